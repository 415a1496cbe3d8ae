package io.duocrawl.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.PageResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Writes one JSON Lines record per terminal URL, each ended by a newline. Called from engine
 * threads, many at once: writes are serialized by a lock (a few microseconds per record, far below
 * a fetch), and an I/O error is kept and reported at {@link #close()} instead of being thrown into
 * the crawl.
 *
 * <p>Jackson's streaming generator rather than string concatenation: titles and error details hold
 * quotes, control characters and any Unicode, and escaping them right is the generator's job.
 */
final class PagesWriter implements PageListener, AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  private final OutputStream out;
  private final JsonGenerator json;
  private final boolean closeStream;
  private final boolean flushEachRecord;
  private IOException error;
  private Runnable onFailure = () -> {};
  private long records;
  private long lastFlush = System.nanoTime();

  /** How often records reach the file at the latest, so {@code tail -f pages.jsonl} keeps up. */
  private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

  private PagesWriter(OutputStream out, boolean closeStream, boolean flushEachRecord)
      throws IOException {
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.json = JSON.createGenerator(this.out, JsonEncoding.UTF8);
    // One record per line: each ends with its own newline (written below), nothing is indented.
    this.json.setPrettyPrinter(new MinimalPrettyPrinter(""));
    this.json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    this.closeStream = closeStream;
    this.flushEachRecord = flushEachRecord;
  }

  /** Writes to {@code target} (truncated), or to {@code stdout} when the target is {@code -}. */
  static PagesWriter open(String target, OutputStream stdout) {
    return open(target, stdout, false);
  }

  /**
   * Writes to {@code target}, or to {@code stdout} when the target is {@code -}. {@code durable}
   * (for {@code --state}): the file is appended to, a partial last line (a kill in the middle of a
   * write; its URL was not yet journaled as done, so it is fetched again) is cut first, and every
   * record reaches the operating system before {@link #onPage} returns.
   */
  static PagesWriter open(String target, OutputStream stdout, boolean durable) {
    try {
      if ("-".equals(target)) {
        return new PagesWriter(stdout, false, durable);
      }
      Path path = Path.of(target);
      if (!durable) {
        return new PagesWriter(Files.newOutputStream(path), true, false);
      }
      cutPartialLastLine(path);
      return new PagesWriter(
          Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
          true,
          true);
    } catch (IOException e) {
      throw new UsageException("cannot write " + target + ": " + e.getMessage());
    }
  }

  private static void cutPartialLastLine(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      return;
    }
    try (FileChannel file =
        FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = file.size();
      ByteBuffer one = ByteBuffer.allocate(1);
      long end = size;
      // Walk back to the last newline; a record is a few hundred bytes, so this is short.
      while (end > 0) {
        one.clear();
        file.read(one, end - 1);
        if (one.get(0) == '\n') {
          break;
        }
        end--;
      }
      if (end < size) {
        file.truncate(end);
      }
    }
  }

  /** Run once, on the writing thread, when a write fails (the CLI cancels the crawl). */
  synchronized void onFailure(Runnable onFailure) {
    this.onFailure = onFailure;
  }

  /**
   * Writes one record. A failed write is kept for {@link #close()}; in durable mode it is also
   * thrown, so that the URL is not journaled as done without its record.
   */
  @Override
  public synchronized void onPage(PageResult page) {
    if (error != null) {
      if (flushEachRecord) {
        throw new UncheckedIOException("writing pages failed: " + error.getMessage(), error);
      }
      return;
    }
    try {
      json.writeStartObject();
      json.writeStringField("url", page.url());
      json.writeStringField("finalUrl", page.finalUrl());
      json.writeNumberField("status", page.status());
      json.writeNumberField("depth", page.depth());
      json.writeStringField("title", page.title());
      json.writeStringField("contentType", page.contentType());
      json.writeNumberField("bytes", page.bytes());
      json.writeNumberField("fetchMs", Math.round(page.fetchTime().toNanos() / 1e3) / 1e3);
      json.writeNumberField("linksFound", page.linksFound());
      json.writeStringField("outcome", page.outcome().name());
      json.writeStringField("reason", page.reason().name());
      json.writeStringField("detail", page.detail());
      json.writeNumberField("attempts", page.attempts());
      json.writeStringField("lastmod", page.lastmod().map(Instant::toString).orElse(""));
      json.writeEndObject();
      json.writeRaw('\n');
      records++;
      if (flushEachRecord) {
        json.flush();
        return;
      }
      long now = System.nanoTime();
      if (now - lastFlush > FLUSH_INTERVAL_NANOS) {
        lastFlush = now;
        json.flush();
      }
    } catch (IOException e) {
      error = e;
      onFailure.run();
      if (flushEachRecord) {
        throw new UncheckedIOException("writing pages failed: " + e.getMessage(), e);
      }
    }
  }

  /** Records written so far. */
  synchronized long records() {
    return records;
  }

  /** Flushes what was written, so an interrupted crawl leaves whole lines. */
  synchronized void flush() {
    try {
      json.flush();
    } catch (IOException e) {
      if (error == null) {
        error = e;
      }
    }
  }

  /**
   * Ends the last line and closes the file (not stdout).
   *
   * @throws UncheckedIOException if any write failed
   */
  @Override
  public synchronized void close() {
    try {
      json.close();
      if (closeStream) {
        out.close();
      } else {
        out.flush();
      }
    } catch (IOException e) {
      if (error == null) {
        error = e;
      }
    }
    if (error != null) {
      throw new UncheckedIOException("writing pages failed: " + error.getMessage(), error);
    }
  }
}
