package io.duocrawl.common.state;

import io.duocrawl.common.frontier.CrawlRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Records being framed for a write (see {@link StateFormat}): {@link #begin} a record, put its
 * fields, {@link #end} it (which fills in length and CRC), and {@link #writeTo} a channel. Not
 * thread-safe; the journal guards it with its lock.
 */
final class RecordBuffer {
  private byte[] bytes;
  private int size;
  private int recordStart = -1;
  private final CRC32C crc = new CRC32C();

  RecordBuffer(int capacity) {
    bytes = new byte[capacity];
  }

  int size() {
    return size;
  }

  void fileHeader(int magic) {
    putInt(magic);
    putInt(StateFormat.VERSION);
  }

  RecordBuffer begin(int type) {
    recordStart = size;
    ensure(StateFormat.RECORD_HEADER_BYTES + 1);
    size += StateFormat.RECORD_HEADER_BYTES;
    bytes[size++] = (byte) type;
    return this;
  }

  void end() {
    int bodyStart = recordStart + StateFormat.RECORD_HEADER_BYTES;
    int length = size - bodyStart;
    if (length > StateFormat.MAX_RECORD) {
      throw new IllegalStateException("record of " + length + " bytes is over the format's limit");
    }
    crc.reset();
    crc.update(bytes, bodyStart, length);
    int crcValue = (int) crc.getValue();
    int end = size;
    size = recordStart;
    putInt(length);
    putInt(crcValue);
    size = end;
    recordStart = -1;
  }

  RecordBuffer putByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
    return this;
  }

  RecordBuffer putInt(int v) {
    ensure(4);
    bytes[size++] = (byte) (v >>> 24);
    bytes[size++] = (byte) (v >>> 16);
    bytes[size++] = (byte) (v >>> 8);
    bytes[size++] = (byte) v;
    return this;
  }

  RecordBuffer putLong(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (v >>> shift);
    }
    return this;
  }

  RecordBuffer putVarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
    return this;
  }

  RecordBuffer putString(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    putVarint(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, bytes, size, utf8.length);
    size += utf8.length;
    return this;
  }

  /** The fields of an ACCEPTED record, also one entry of a QUEUED block. */
  RecordBuffer putRequest(CrawlRequest request) {
    putVarint(request.depth());
    putString(request.url());
    putVarint(request.redirectChain().size());
    for (String hop : request.redirectChain()) {
      putString(hop);
    }
    return this;
  }

  /** Writes every whole record (and a pending file header) and empties the buffer. */
  void writeTo(FileChannel channel) throws IOException {
    if (recordStart >= 0) {
      throw new IllegalStateException("a record is still open");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, size);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    size = 0;
    if (bytes.length > 1 << 20) {
      bytes = new byte[1 << 16]; // one big snapshot block should not pin its buffer forever
    }
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
