package io.duocrawl.common.state;

import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.url.UrlNormalizer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.zip.CRC32C;

/**
 * Reads the records of one state file (see {@link StateFormat}): checks magic and version, hands
 * each whole record to a visitor, and stops at a torn tail, reporting how many bytes it cut.
 */
final class RecordScanner {
  private RecordScanner() {}

  /** What a record visitor sees: the type and a cursor over the payload. */
  interface Visitor {
    void record(int type, Cursor payload) throws IOException;
  }

  /**
   * The result of a scan.
   *
   * @param wholeBytes bytes of header and whole records
   * @param tornBytes bytes after the last whole record, cut
   */
  record Scan(long wholeBytes, long tornBytes) {}

  static Scan scan(Path file, int magic, Visitor visitor) throws IOException {
    long fileSize = Files.size(file);
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (fileSize < StateFormat.HEADER_BYTES) {
        // A file created and killed before its header was written: nothing in it.
        return new Scan(0, fileSize);
      }
      int foundMagic = in.readInt();
      if (foundMagic != magic) {
        throw CrawlStateException.unreadable(
            file
                + " is not a duocrawl "
                + (magic == StateFormat.JOURNAL_MAGIC ? "journal" : "snapshot")
                + " (magic 0x"
                + Integer.toHexString(foundMagic)
                + ")");
      }
      int version = in.readInt();
      if (version != StateFormat.VERSION) {
        throw CrawlStateException.unreadable(
            file
                + " has state format version "
                + version
                + "; this duocrawl reads version "
                + StateFormat.VERSION
                + " only");
      }
      long position = StateFormat.HEADER_BYTES;
      CRC32C crc = new CRC32C();
      byte[] body = new byte[256];
      while (position < fileSize) {
        if (fileSize - position < StateFormat.RECORD_HEADER_BYTES) {
          break;
        }
        int length = in.readInt();
        int expectedCrc = in.readInt();
        if (length < 1
            || length > StateFormat.MAX_RECORD
            || length > fileSize - position - StateFormat.RECORD_HEADER_BYTES) {
          break;
        }
        if (body.length < length) {
          body = new byte[Math.max(length, body.length * 2)];
        }
        try {
          in.readFully(body, 0, length);
        } catch (EOFException e) {
          break;
        }
        crc.reset();
        crc.update(body, 0, length);
        if ((int) crc.getValue() != expectedCrc) {
          break;
        }
        position += StateFormat.RECORD_HEADER_BYTES + length;
        visitor.record(body[0] & 0xFF, new Cursor(ByteBuffer.wrap(body, 1, length - 1), file));
      }
      return new Scan(position, fileSize - position);
    }
  }

  /** Reads payload fields; a field that runs past the record is a corrupt file, not a torn one. */
  static final class Cursor {
    private final ByteBuffer buffer;
    private final Path file;

    Cursor(ByteBuffer buffer, Path file) {
      this.buffer = buffer;
      this.file = file;
    }

    int getByte() {
      check(1);
      return buffer.get() & 0xFF;
    }

    long getLong() {
      check(8);
      return buffer.getLong();
    }

    long getVarint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        long b = getByte();
        value |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw corrupt("a varint longer than 10 bytes");
    }

    int getCount() {
      long n = getVarint();
      if (n > buffer.remaining()) {
        throw corrupt("a count of " + n + " in a record of " + buffer.remaining() + " bytes");
      }
      return (int) n;
    }

    String getString() {
      int n = getCount();
      String s =
          new String(
              buffer.array(), buffer.arrayOffset() + buffer.position(), n, StandardCharsets.UTF_8);
      buffer.position(buffer.position() + n);
      return s;
    }

    CrawlRequest getRequest() {
      return getRequestUnless(fp -> false).orElseThrow();
    }

    /**
     * Reads a request's fields; when {@code skip} is true for its URL's fingerprint (a URL already
     * done), skips the rest without building the request, which is most of a resume's records.
     */
    Optional<CrawlRequest> getRequestUnless(LongPredicate skip) {
      int depth = (int) getVarint();
      String url = getString();
      int hops = getCount();
      if (skip.test(Frontier.fingerprint(url))) {
        for (int i = 0; i < hops; i++) {
          int n = getCount();
          buffer.position(buffer.position() + n);
        }
        return Optional.empty();
      }
      List<String> chain = hops == 0 ? List.of() : new ArrayList<>(hops);
      for (int i = 0; i < hops; i++) {
        chain.add(getString());
      }
      // hostKey is not stored: it is a function of the URL.
      return Optional.of(new CrawlRequest(url, UrlNormalizer.hostKey(url), depth, 0, chain));
    }

    private void check(int n) {
      if (buffer.remaining() < n) {
        throw corrupt("a field past the end of its record");
      }
    }

    private CrawlStateException corrupt(String what) {
      return CrawlStateException.unreadable(file + " is corrupt: " + what);
    }
  }
}
