package io.duocrawl.common.state;

import io.duocrawl.common.NanoClock;
import io.duocrawl.common.Reason;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead journal of one generation (format: {@link StateFormat}). Thread-safe: one lock
 * around a buffer and a file.
 *
 * <p>When bytes reach the file: an {@code ACCEPTED} record waits in the buffer (at most 64 KiB) and
 * goes out with the next {@code DONE}, which is written through to the operating system before
 * {@link #done} returns. So a process killed at any moment loses only the outcomes of the requests
 * in flight (their pages are fetched again on resume) and never an accepted URL that a durable
 * outcome depends on: the links of a page are accepted before the page is done, and the one buffer
 * keeps that order on disk.
 *
 * <p>When bytes reach the disk (fsync, for a machine that loses power): group commit — the writer
 * that finds the last {@code force} older than {@code fsyncEvery} forces the file, covering every
 * record written since; {@link java.time.Duration#ZERO} forces after every write. On close the file
 * is forced.
 *
 * <p>A write that fails (disk full, file system gone read-only) poisons the journal: the failure is
 * kept, {@code onFailure} runs once (the state cancels the crawl), and nothing more is written, so
 * the file ends at most in a torn record that the next open cuts.
 */
final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);
  private static final int WRITE_THRESHOLD = 1 << 16;

  private final ReentrantLock lock = new ReentrantLock();
  private final Path file;
  private final FileChannel channel;
  private final NanoClock clock;
  private final long fsyncEveryNanos;
  private final RecordBuffer buffer = new RecordBuffer(WRITE_THRESHOLD + 4096);
  private long lastForce;
  private volatile Runnable onFailure = () -> {};
  private volatile Optional<IOException> failure = Optional.empty();
  private boolean closed;

  private Journal(Path file, FileChannel channel, NanoClock clock, long fsyncEveryNanos) {
    this.file = file;
    this.channel = channel;
    this.clock = clock;
    this.fsyncEveryNanos = fsyncEveryNanos;
    this.lastForce = clock.nanoTime();
  }

  /** Creates the journal file of a generation and writes its header. */
  static Journal create(Path file, NanoClock clock, long fsyncEveryNanos) throws IOException {
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    Journal journal = new Journal(file, channel, clock, fsyncEveryNanos);
    try {
      journal.buffer.fileHeader(StateFormat.JOURNAL_MAGIC);
      journal.buffer.writeTo(channel);
      channel.force(true);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return journal;
  }

  void onFailure(Runnable onFailure) {
    this.onFailure = onFailure;
  }

  Optional<IOException> failure() {
    return failure;
  }

  Path file() {
    return file;
  }

  /**
   * Runs {@code offer} and, if it accepted the request, records that — both under the journal's
   * lock, so the order of ACCEPTED records is the order of acceptance.
   */
  Frontier.Offer accept(CrawlRequest request, Supplier<Frontier.Offer> offer) {
    lock.lock();
    try {
      Frontier.Offer result = offer.get();
      if (result == Frontier.Offer.ACCEPTED && !closed && failure.isEmpty()) {
        buffer.begin(StateFormat.ACCEPTED).putRequest(request).end();
        if (buffer.size() >= WRITE_THRESHOLD) {
          write(false);
        }
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** Records a URL's terminal outcome and writes it (and every record before it) through. */
  void done(String url, Reason reason) {
    long fp = Frontier.fingerprint(url);
    lock.lock();
    try {
      if (closed || failure.isPresent()) {
        return;
      }
      buffer.begin(StateFormat.DONE).putLong(fp).putByte(StateFormat.codeOf(reason)).end();
      write(true);
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private void write(boolean maybeForce) {
    try {
      buffer.writeTo(channel);
      if (maybeForce) {
        long now = clock.nanoTime();
        if (now - lastForce >= fsyncEveryNanos) {
          channel.force(false);
          lastForce = now;
        }
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void fail(IOException e) {
    if (failure.isEmpty()) {
      failure = Optional.of(e);
      log.error("state journal {} cannot be written, stopping the crawl: {}", file, e.toString());
      onFailure.run();
    }
  }

  /** For tests: what kill -9 leaves — the buffer is dropped, the file closed as it is. */
  void abandon() {
    lock.lock();
    try {
      closed = true;
      try {
        channel.close();
      } catch (IOException e) {
        // as a kill would
      }
    } finally {
      lock.unlock();
    }
  }

  /** Writes what is buffered, forces the file, closes it. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (failure.isEmpty()) {
        try {
          buffer.writeTo(channel);
          channel.force(true);
        } catch (IOException e) {
          fail(e);
        }
      }
      try {
        channel.close();
      } catch (IOException e) {
        // closing after a failed write: the failure is already recorded
      }
    } finally {
      lock.unlock();
    }
  }
}
