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
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one JSON Lines record per terminal URL. Called from engine threads, many at once: writes
 * are serialized by a lock (a few microseconds per record, far below a fetch), and an I/O error is
 * kept and reported at {@link #close()} instead of being thrown into the crawl.
 *
 * <p>Jackson's streaming generator rather than string concatenation: titles and error details hold
 * quotes, control characters and any Unicode, and escaping them right is the generator's job.
 */
final class PagesWriter implements PageListener, AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  private final OutputStream out;
  private final JsonGenerator json;
  private final boolean closeStream;
  private IOException error;
  private long records;
  private long lastFlush = System.nanoTime();

  /** How often records reach the file at the latest, so {@code tail -f pages.jsonl} keeps up. */
  private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

  private PagesWriter(OutputStream out, boolean closeStream) throws IOException {
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.json = JSON.createGenerator(this.out, JsonEncoding.UTF8);
    // One record per line: the root-value separator is a newline, nothing else is indented.
    this.json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    this.json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    this.closeStream = closeStream;
  }

  /** Writes to {@code target}, or to {@code stdout} when the target is {@code -}. */
  static PagesWriter open(String target, OutputStream stdout) {
    try {
      if ("-".equals(target)) {
        return new PagesWriter(stdout, false);
      }
      Path path = Path.of(target);
      return new PagesWriter(Files.newOutputStream(path), true);
    } catch (IOException e) {
      throw new UsageException("cannot write " + target + ": " + e.getMessage());
    }
  }

  @Override
  public synchronized void onPage(PageResult page) {
    if (error != null) {
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
      json.writeEndObject();
      records++;
      long now = System.nanoTime();
      if (now - lastFlush > FLUSH_INTERVAL_NANOS) {
        lastFlush = now;
        json.flush();
      }
    } catch (IOException e) {
      error = e;
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
      if (records > 0 && error == null) {
        json.writeRaw('\n');
      }
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
