package io.duocrawl.common.state;

import io.duocrawl.common.NanoClock;
import io.duocrawl.common.Reason;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
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
 *
 * <p>Rotation (bounded size): once the current file holds {@link #rotateAtBytes} bytes, the writer
 * that crosses it starts the next generation's file — create, header, swap, all under the lock and
 * without a force — and hands the full file to {@code onRotate}, which forces and closes it and
 * folds it into a snapshot off the engines' threads. Records never straddle two files, and the one
 * buffer keeps their order across the switch.
 */
final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);
  private static final int WRITE_THRESHOLD = 1 << 16;

  private final ReentrantLock lock = new ReentrantLock();
  private final Path dir;
  private Path file;
  private FileChannel channel;
  private long generation;
  private long fileBytes;
  private volatile long rotateAtBytes = Long.MAX_VALUE;
  private volatile RotationListener onRotate = (closed, closedGeneration) -> closeQuietly(closed);
  private long longestRotationNanos;
  private final NanoClock clock;
  private final long fsyncEveryNanos;
  private final RecordBuffer buffer = new RecordBuffer(WRITE_THRESHOLD + 4096);
  private long lastForce;
  private volatile Runnable onFailure = () -> {};
  private volatile Optional<IOException> failure = Optional.empty();
  private boolean closed;

  /** Receives a journal file that is full: it must force and close {@code closed}. */
  interface RotationListener {
    void rotated(FileChannel closed, long closedGeneration);
  }

  private Journal(Path dir, long generation, NanoClock clock, long fsyncEveryNanos) {
    this.dir = dir;
    this.generation = generation;
    this.clock = clock;
    this.fsyncEveryNanos = fsyncEveryNanos;
    this.lastForce = clock.nanoTime();
  }

  /** Creates the journal file of {@code generation} in {@code dir}, its header forced to disk. */
  static Journal create(Path dir, long generation, NanoClock clock, long fsyncEveryNanos)
      throws IOException {
    Journal journal = new Journal(dir, generation, clock, fsyncEveryNanos);
    journal.openFile();
    try {
      journal.channel.force(true);
    } catch (IOException e) {
      journal.channel.close();
      throw e;
    }
    return journal;
  }

  /** Under the lock (or before the journal is shared): creates the file of {@code generation}. */
  private void openFile() throws IOException {
    Path next = dir.resolve(StateFormat.journalName(generation));
    FileChannel created =
        FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      RecordBuffer header = new RecordBuffer(StateFormat.HEADER_BYTES);
      header.fileHeader(StateFormat.JOURNAL_MAGIC);
      header.writeTo(created);
    } catch (IOException e) {
      closeQuietly(created);
      throw e;
    }
    file = next;
    channel = created;
    fileBytes = StateFormat.HEADER_BYTES;
  }

  /**
   * Rotates once the current file holds {@code bytes} (a record is never split, so a file may end a
   * little past it); {@code onRotate} gets each full file.
   */
  void rotateAt(long bytes, RotationListener onRotate) {
    if (bytes < StateFormat.HEADER_BYTES) {
      throw new IllegalArgumentException("rotateAtBytes must be >= 8, was " + bytes);
    }
    this.onRotate = onRotate;
    this.rotateAtBytes = bytes;
  }

  /** Changes the rotation size (the state grows it with its snapshot, see {@link CrawlState}). */
  void rotateAt(long bytes) {
    this.rotateAtBytes = Math.max(StateFormat.HEADER_BYTES, bytes);
  }

  /** The longest time a rotation held the journal's lock so far, in nanoseconds. */
  long longestRotationNanos() {
    lock.lock();
    try {
      return longestRotationNanos;
    } finally {
      lock.unlock();
    }
  }

  void onFailure(Runnable onFailure) {
    this.onFailure = onFailure;
  }

  Optional<IOException> failure() {
    return failure;
  }

  Path file() {
    lock.lock();
    try {
      return file;
    } finally {
      lock.unlock();
    }
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

  /** {@link #accept} for a list, with one round of the journal's lock. */
  List<Frontier.Offer> acceptAll(
      List<CrawlRequest> requests, Supplier<List<Frontier.Offer>> offer) {
    lock.lock();
    try {
      List<Frontier.Offer> results = offer.get();
      if (!closed && failure.isEmpty()) {
        for (int i = 0; i < results.size(); i++) {
          if (results.get(i) == Frontier.Offer.ACCEPTED) {
            buffer.begin(StateFormat.ACCEPTED).putRequest(requests.get(i)).end();
          }
        }
        if (buffer.size() >= WRITE_THRESHOLD) {
          write(false);
        }
      }
      return results;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records that a URL was put back for another attempt ({@code attempt} is the one it will make),
   * so a resume does not give it a fresh retry budget, and writes it through like an outcome: a
   * process killed right after a failed attempt (a crash loop) still has the attempt counted.
   */
  void retry(String url, int attempt) {
    long fp = Frontier.fingerprint(url);
    lock.lock();
    try {
      if (closed || failure.isPresent()) {
        return;
      }
      buffer.begin(StateFormat.RETRY).putLong(fp).putVarint(attempt).end();
      write(true);
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
      fileBytes += buffer.size();
      buffer.writeTo(channel);
      if (maybeForce) {
        long now = clock.nanoTime();
        if (now - lastForce >= fsyncEveryNanos) {
          channel.force(false);
          lastForce = now;
        }
      }
      if (fileBytes >= rotateAtBytes) {
        rotate();
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  /**
   * Under the lock: starts the next generation's file. No force here (the listener forces the full
   * file, and the next group commit the new one), so the engines wait only for a file creation.
   */
  private void rotate() throws IOException {
    long start = clock.nanoTime();
    FileChannel full = channel;
    long fullGeneration = generation;
    generation++;
    try {
      openFile();
    } catch (IOException e) {
      generation--;
      throw e;
    }
    longestRotationNanos = Math.max(longestRotationNanos, clock.nanoTime() - start);
    onRotate.rotated(full, fullGeneration);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing more is written through it
    }
  }

  private void fail(IOException e) {
    if (failure.isEmpty()) {
      failure = Optional.of(e);
      log.error("state journal {} cannot be written, stopping the crawl: {}", file, e.toString());
      onFailure.run();
    }
  }

  /** For tests: closes the file under the journal, so its next write fails as a full disk does. */
  void closeFileForTests() {
    lock.lock();
    try {
      closeQuietly(channel);
    } finally {
      lock.unlock();
    }
  }

  /** For tests: what kill -9 leaves — the buffer is dropped, the file closed as it is. */
  void abandon() {
    lock.lock();
    try {
      closed = true;
      closeQuietly(channel);
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
