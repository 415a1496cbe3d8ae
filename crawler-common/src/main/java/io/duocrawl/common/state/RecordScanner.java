package io.duocrawl.common.state;

import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.url.UrlNormalizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

  /** Bytes read from the file at a time: large reads, and records parsed where they lie. */
  private static final int CHUNK = 1 << 20;

  static Scan scan(Path file, int magic, Visitor visitor) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < StateFormat.HEADER_BYTES) {
        // A file created and killed before its header was written: nothing in it.
        return new Scan(0, fileSize);
      }
      Window in = new Window(channel, (int) Math.min(CHUNK, fileSize));
      in.fill(StateFormat.HEADER_BYTES);
      int foundMagic = in.buffer.getInt();
      if (foundMagic != magic) {
        throw CrawlStateException.unreadable(
            file
                + " is not a duocrawl "
                + (magic == StateFormat.JOURNAL_MAGIC ? "journal" : "snapshot")
                + " (magic 0x"
                + Integer.toHexString(foundMagic)
                + ")");
      }
      int version = in.buffer.getInt();
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
      Cursor cursor = new Cursor(file);
      while (fileSize - position >= StateFormat.RECORD_HEADER_BYTES) {
        if (!in.fill(StateFormat.RECORD_HEADER_BYTES)) {
          break;
        }
        int length = in.buffer.getInt();
        int expectedCrc = in.buffer.getInt();
        if (length < 1
            || length > StateFormat.MAX_RECORD
            || length > fileSize - position - StateFormat.RECORD_HEADER_BYTES
            || !in.fill(length)) {
          break;
        }
        ByteBuffer buffer = in.buffer;
        int bodyStart = buffer.position();
        crc.reset();
        crc.update(buffer.array(), bodyStart, length);
        if ((int) crc.getValue() != expectedCrc) {
          break;
        }
        position += StateFormat.RECORD_HEADER_BYTES + length;
        cursor.reset(buffer.array(), bodyStart + 1, bodyStart + length);
        visitor.record(buffer.get(bodyStart) & 0xFF, cursor);
        buffer.position(bodyStart + length);
      }
      return new Scan(position, fileSize - position);
    }
  }

  /** A heap buffer over a channel, refilled a chunk at a time; records are parsed in place. */
  private static final class Window {
    private final FileChannel channel;
    private ByteBuffer buffer;

    Window(FileChannel channel, int capacity) {
      this.channel = channel;
      this.buffer = ByteBuffer.allocate(Math.max(capacity, StateFormat.HEADER_BYTES)).flip();
    }

    /** Makes {@code n} bytes available at the buffer's position; false at the end of the file. */
    boolean fill(int n) throws IOException {
      if (buffer.remaining() >= n) {
        return true;
      }
      if (buffer.capacity() < n) {
        ByteBuffer larger = ByteBuffer.allocate(Math.max(n, buffer.capacity() * 2));
        larger.put(buffer);
        buffer = larger;
      } else {
        buffer.compact();
      }
      while (buffer.position() < n) {
        if (channel.read(buffer) < 0) {
          buffer.flip();
          return false;
        }
      }
      buffer.flip();
      return true;
    }
  }

  /** Reads payload fields; a field that runs past the record is a corrupt file, not a torn one. */
  static final class Cursor {
    private final Path file;
    private byte[] bytes;
    private int position;
    private int end;

    Cursor(Path file) {
      this.file = file;
    }

    /** Points the cursor at the payload {@code bytes[from, to)}; one cursor serves every record. */
    void reset(byte[] bytes, int from, int to) {
      this.bytes = bytes;
      this.position = from;
      this.end = to;
    }

    int getByte() {
      check(1);
      return bytes[position++] & 0xFF;
    }

    long getLong() {
      check(8);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (bytes[position++] & 0xFF);
      }
      return v;
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
      if (n > end - position) {
        throw corrupt("a count of " + n + " in a record of " + (end - position) + " bytes");
      }
      return (int) n;
    }

    String getString() {
      int n = getCount();
      String s = new String(bytes, position, n, StandardCharsets.UTF_8);
      position += n;
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
          int n = getCount(); // read first: `position += getCount()` would add to the old position
          position += n;
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
      if (end - position < n) {
        throw corrupt("a field past the end of its record");
      }
    }

    private CrawlStateException corrupt(String what) {
      return CrawlStateException.unreadable(file + " is corrupt: " + what);
    }
  }
}
