package io.duocrawl.warc;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.duocrawl.common.session.Exchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.netpreserve.jwarc.WarcDigest;
import org.netpreserve.jwarc.Warcinfo;

/**
 * Turns exchanges into their WARC/1.1 {@code request} and {@code response} records, each its own
 * gzip member (or plain, with {@link WarcArchive.Compression#NONE}), in a buffer it reuses: the
 * work {@link WarcArchive}'s writer thread does for every exchange, public so that a benchmark (or
 * an embedder writing somewhere else than files) can run it alone.
 *
 * <p>Built for cost per exchange: the body is never copied (it is digested and deflated from the
 * exchange's own array), both digests are taken in one pass over it before it is compressed, one
 * {@link Deflater} is reused at the chosen {@link WarcArchive.Compression} level, and record ids
 * come from a random generator seeded once from {@link SecureRandom} rather than {@link
 * UUID#randomUUID()} (whose shared lock was where 1,024 crawl threads queued). The WARC header
 * lines are written here; jwarc reads them back in the tests and writes the {@code warcinfo}
 * records.
 *
 * <p>Not thread-safe: one encoder per thread.
 *
 * <pre>{@code
 * WarcEncoder encoder = WarcEncoder.create(WarcArchive.Compression.FAST);
 * ByteBuffer members = encoder.encode(exchange).orElseThrow(); // valid until the next call
 * }</pre>
 */
public final class WarcEncoder implements AutoCloseable {
  private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  private static final byte[] TRAILER = {'\r', '\n', '\r', '\n'};
  private static final int CHUNK = 16 * 1024;
  private static final byte[] EMPTY = new byte[0];

  private final Deflater deflater;
  private final boolean gzip;
  private final CRC32 crc = new CRC32();
  private final MessageDigest blockDigest = sha1();
  private final MessageDigest payloadDigest = sha1();
  private final SplittableRandom ids = new SplittableRandom(new SecureRandom().nextLong());
  private final Map<String, String> addresses = new HashMap<>();
  private final StringBuilder text = new StringBuilder(1024);
  private final Bytes scratch = new Bytes(64 * 1024);
  private long dateSecond = Long.MIN_VALUE;
  private String datePrefix = "";

  private WarcEncoder(WarcArchive.Compression compression) {
    this.deflater = new Deflater(compression.level(), true);
    this.gzip = compression != WarcArchive.Compression.NONE;
  }

  /** An encoder compressing at {@code compression}. Close it to free the deflater's memory. */
  public static WarcEncoder create(WarcArchive.Compression compression) {
    return new WarcEncoder(Objects.requireNonNull(compression, "compression"));
  }

  /**
   * The exchange's request and response records, two gzip members; empty when its URL is not a
   * valid URI (it cannot be a {@code WARC-Target-URI}). The buffer is the encoder's own: read it
   * before the next call.
   */
  public Optional<ByteBuffer> encode(Exchange exchange) {
    scratch.clear();
    if (!encodeTo(exchange, scratch)) {
      return Optional.empty();
    }
    return Optional.of(ByteBuffer.wrap(scratch.array(), 0, scratch.size()).asReadOnlyBuffer());
  }

  /** Appends the pair of records to {@code out}; false (nothing appended) when not a URI. */
  boolean encodeTo(Exchange exchange, Bytes out) {
    Optional<String> target = HttpBlocks.requestTarget(exchange.url());
    if (target.isEmpty()) {
      return false;
    }
    String date = date(exchange.captured());
    Optional<String> ip = exchange.remoteAddress().flatMap(this::address);
    UUID responseId = nextId();

    byte[] responseHead = HttpBlocks.responseHead(exchange);
    byte[] body = exchange.body();
    int length = exchange.length();
    // One pass over the body for both digests, chunk by chunk while it is in cache.
    blockDigest.update(responseHead);
    for (int off = 0; off < length; off += CHUNK) {
      int n = Math.min(CHUNK, length - off);
      blockDigest.update(body, off, n);
      payloadDigest.update(body, off, n);
    }
    String block = digest(blockDigest);
    String payload = digest(payloadDigest);

    byte[] requestBlock = HttpBlocks.request(exchange, target.get());
    String request =
        header("request", nextId(), date, exchange.url(), ip)
            .append("WARC-Concurrent-To: <urn:uuid:")
            .append(responseId)
            .append(">\r\n")
            .append("WARC-Block-Digest: ")
            .append(digest(blockDigest, requestBlock))
            .append("\r\nContent-Type: application/http;msgtype=request\r\nContent-Length: ")
            .append(requestBlock.length)
            .append("\r\n\r\n")
            .toString();
    member(out, request.getBytes(UTF_8), requestBlock, requestBlock.length, EMPTY, 0);

    StringBuilder response = header("response", responseId, date, exchange.url(), ip);
    if (exchange.truncated()) {
      response.append("WARC-Truncated: length\r\n");
    }
    response
        .append("WARC-Block-Digest: ")
        .append(block)
        .append("\r\nWARC-Payload-Digest: ")
        .append(payload)
        .append("\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: ")
        .append((long) responseHead.length + length)
        .append("\r\n\r\n");
    member(
        out, response.toString().getBytes(UTF_8), responseHead, responseHead.length, body, length);
    return true;
  }

  /** A {@code warcinfo} record, built by jwarc, as one gzip member appended to {@code out}. */
  void warcinfo(Warcinfo info, Bytes out) throws IOException {
    byte[] block = info.body().stream().readAllBytes();
    member(out, info.serializeHeader(), block, block.length, EMPTY, 0);
  }

  private StringBuilder header(
      String type, UUID id, String date, String target, Optional<String> ip) {
    text.setLength(0);
    text.append("WARC/1.1\r\nWARC-Type: ")
        .append(type)
        .append("\r\nWARC-Record-ID: <urn:uuid:")
        .append(id)
        .append(">\r\nWARC-Date: ")
        .append(date)
        .append("\r\nWARC-Target-URI: ")
        .append(target)
        .append("\r\n");
    ip.ifPresent(a -> text.append("WARC-IP-Address: ").append(a).append("\r\n"));
    return text;
  }

  /**
   * One gzip member: the WARC header, the block (in two parts, so the body is deflated from its own
   * array), and the record trailer.
   */
  private void member(Bytes out, byte[] header, byte[] a, int aLength, byte[] b, int bLength) {
    if (!gzip) {
      out.write(header, 0, header.length);
      out.write(a, 0, aLength);
      out.write(b, 0, bLength);
      out.write(TRAILER, 0, TRAILER.length);
      return;
    }
    out.write(GZIP_HEADER, 0, GZIP_HEADER.length);
    deflater.reset();
    crc.reset();
    deflate(out, header, header.length);
    deflate(out, a, aLength);
    deflate(out, b, bLength);
    deflate(out, TRAILER, TRAILER.length);
    deflater.finish();
    while (!deflater.finished()) {
      out.ensureFree(8 * 1024);
      out.advance(deflater.deflate(out.array(), out.size(), out.free()));
    }
    long input = (long) header.length + aLength + bLength + TRAILER.length;
    out.writeIntLe((int) crc.getValue());
    out.writeIntLe((int) input);
  }

  private void deflate(Bytes out, byte[] bytes, int length) {
    if (length == 0) {
      return;
    }
    crc.update(bytes, 0, length);
    deflater.setInput(bytes, 0, length);
    while (!deflater.needsInput()) {
      out.ensureFree(8 * 1024);
      out.advance(deflater.deflate(out.array(), out.size(), out.free()));
    }
  }

  /** A version 4 (random) UUID; unique without a shared lock. */
  private UUID nextId() {
    long most = (ids.nextLong() & ~0xF000L) | 0x4000L;
    long least = (ids.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least);
  }

  /**
   * The capture time in milliseconds, as WARC/1.1 allows, {@code 2026-12-02T04:00:00.123Z}: the
   * text up to the second is kept from the previous call (formatting it was a tenth of the
   * encoder's Java time).
   */
  private String date(Instant captured) {
    long second = captured.getEpochSecond();
    if (second != dateSecond) {
      String text = Instant.ofEpochSecond(second).toString(); // 2026-12-02T04:00:00Z
      datePrefix = text.substring(0, text.length() - 1);
      dateSecond = second;
    }
    int millis = captured.getNano() / 1_000_000;
    char[] fraction = {
      '.',
      (char) ('0' + millis / 100),
      (char) ('0' + millis / 10 % 10),
      (char) ('0' + millis % 10),
      'Z'
    };
    return datePrefix.concat(new String(fraction));
  }

  /** A literal address in its canonical text form; no name lookup happens. */
  private Optional<String> address(String literal) {
    String known = addresses.get(literal);
    if (known != null) {
      return Optional.of(known);
    }
    try {
      String canonical = InetAddress.getByName(literal).getHostAddress();
      if (addresses.size() >= 1024) {
        addresses.clear();
      }
      addresses.put(literal, canonical);
      return Optional.of(canonical);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static String digest(MessageDigest digest) {
    return new WarcDigest("sha1", digest.digest()).prefixedBase32();
  }

  private static String digest(MessageDigest digest, byte[] bytes) {
    return new WarcDigest("sha1", digest.digest(bytes)).prefixedBase32();
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  /** Frees the deflater's native memory. */
  @Override
  public void close() {
    deflater.end();
  }

  /** A growable byte array, written at its end. */
  static final class Bytes {
    private byte[] array;
    private int size;

    Bytes(int capacity) {
      this.array = new byte[capacity];
    }

    byte[] array() {
      return array;
    }

    int size() {
      return size;
    }

    int free() {
      return array.length - size;
    }

    void clear() {
      size = 0;
    }

    void advance(int n) {
      size += n;
    }

    void ensureFree(int n) {
      if (array.length - size < n) {
        long grown = Math.max((long) array.length * 2, (long) size + n);
        array = java.util.Arrays.copyOf(array, (int) Math.min(grown, Integer.MAX_VALUE - 8));
      }
    }

    void write(byte[] bytes, int offset, int length) {
      ensureFree(length);
      System.arraycopy(bytes, offset, array, size, length);
      size += length;
    }

    void writeIntLe(int value) {
      ensureFree(4);
      array[size++] = (byte) value;
      array[size++] = (byte) (value >>> 8);
      array[size++] = (byte) (value >>> 16);
      array[size++] = (byte) (value >>> 24);
    }
  }
}
