package io.duocrawl.warc;

import io.duocrawl.common.session.Exchange;
import io.duocrawl.common.session.ExchangeListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.MessageVersion;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcDigest;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTruncationReason;
import org.netpreserve.jwarc.Warcinfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every exchange of one crawl into gzip-compressed WARC files of a directory: a {@code
 * warcinfo} record at the head of each file, then a {@code request} and a {@code response} record
 * per exchange (robots.txt and sitemaps included). Hang it on a session with {@code
 * session.onExchange(archive)}; close it after the crawl.
 *
 * <pre>{@code
 * try (WarcArchive archive = WarcArchive.open(Path.of("warc"), WarcArchive.DEFAULT_MAX_FILE_BYTES, "duocrawl/0.1")) {
 *   SessionOpener sessions = (engine, config, listener) -> {
 *     CrawlSession session = CrawlSession.open(engine, config, listener);
 *     session.onExchange(archive);
 *     return session;
 *   };
 *   crawler.start(config, listener, sessions).await();
 * }
 * }</pre>
 *
 * <p>Files are named {@code duocrawl-<yyyyMMddHHmmssSSS>-<serial>.warc.gz}: the UTC time the
 * archive was opened, and a five-digit serial from {@code 00000}. A new file starts when the next
 * pair of records would take the current one past {@code maxFileBytes} (a single pair larger than
 * that gets a file of its own). Records are WARC/1.1 (its {@code WARC-Date} keeps milliseconds).
 * Every record is its own gzip member, so files can be read from any record offset.
 *
 * <p>Thread-safe, and built for many crawl threads: each caller digests and compresses its own
 * records; only the append to the file is serialized. The first I/O error stops the writing (the
 * crawl goes on) and is kept in {@link #failure()}.
 */
public final class WarcArchive implements ExchangeListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WarcArchive.class);

  /** The default size after which a new file starts: 1 GiB, as Heritrix and Common Crawl use. */
  public static final long DEFAULT_MAX_FILE_BYTES = 1L << 30;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final long maxFileBytes;
  private final String software;
  private final String stamp;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Path> files = new ArrayList<>();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private @Nullable FileChannel channel;
  private long fileBytes;
  private int pairsInFile;
  private volatile @Nullable IOException failure;

  private WarcArchive(Path dir, long maxFileBytes, String software) {
    this.dir = dir;
    this.maxFileBytes = maxFileBytes;
    this.software = software;
    this.stamp = STAMP.format(Instant.now());
  }

  /**
   * Opens an archive in {@code dir} (created if missing) and writes its first file's {@code
   * warcinfo} record, so that a directory that cannot be written fails here, before any crawl.
   *
   * @param dir the directory of the WARC files
   * @param maxFileBytes the size after which a new file starts; > 0
   * @param software the {@code software} field of the {@code warcinfo} records, e.g. {@code
   *     duocrawl/0.1}
   * @throws UncheckedIOException when the directory cannot be made or written, with the reason
   */
  public static WarcArchive open(Path dir, long maxFileBytes, String software) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(software, "software");
    if (maxFileBytes <= 0) {
      throw new IllegalArgumentException("maxFileBytes must be > 0, was " + maxFileBytes);
    }
    WarcArchive archive = new WarcArchive(dir, maxFileBytes, software);
    try {
      Files.createDirectories(dir);
      archive.lock.lock();
      try {
        archive.startFile();
      } finally {
        archive.lock.unlock();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write WARC files in " + dir + ": " + describe(e), e);
    }
    return archive;
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }

  /** Writes the exchange's request and response records; never throws (see {@link #failure}). */
  @Override
  public void onExchange(Exchange exchange) {
    if (failure != null) {
      return;
    }
    URI uri;
    try {
      uri = URI.create(exchange.url());
    } catch (IllegalArgumentException e) {
      // Normalized URLs are valid URIs; one that is not cannot be a WARC-Target-URI.
      skipped.incrementAndGet();
      log.debug("not archived, not a URI: {}", exchange.url());
      return;
    }
    byte[] pair;
    try {
      pair = compress(records(exchange, uri));
    } catch (IOException e) {
      fail(e);
      return;
    }
    append(pair);
  }

  private List<WarcRecord> records(Exchange exchange, URI uri) throws IOException {
    UUID responseId = UUID.randomUUID();
    Optional<InetAddress> ip = exchange.remoteAddress().flatMap(WarcArchive::address);
    byte[] responseBlock = HttpBlocks.response(exchange);
    int payloadStart = responseBlock.length - exchange.length();
    WarcResponse.Builder response =
        new WarcResponse.Builder(uri)
            .version(MessageVersion.WARC_1_1)
            .recordId(responseId)
            .date(exchange.captured())
            .blockDigest(sha1(responseBlock, 0, responseBlock.length))
            .payloadDigest(sha1(responseBlock, payloadStart, exchange.length()))
            .body(MediaType.HTTP_RESPONSE, responseBlock);
    if (exchange.truncated()) {
      response.truncated(WarcTruncationReason.LENGTH);
    }
    byte[] requestBlock = HttpBlocks.request(exchange, uri);
    WarcRequest.Builder request =
        new WarcRequest.Builder(uri)
            .version(MessageVersion.WARC_1_1)
            .date(exchange.captured())
            .concurrentTo(URI.create("urn:uuid:" + responseId))
            .blockDigest(sha1(requestBlock, 0, requestBlock.length))
            .body(MediaType.HTTP_REQUEST, requestBlock);
    if (ip.isPresent()) {
      response.ipAddress(ip.get());
      request.ipAddress(ip.get());
    }
    return List.of(request.build(), response.build());
  }

  private static Optional<InetAddress> address(String literal) {
    try {
      // A literal address: no name lookup happens.
      return Optional.of(InetAddress.getByName(literal));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static WarcDigest sha1(byte[] bytes, int offset, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      digest.update(bytes, offset, length);
      return new WarcDigest("sha1", digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  /** The records as gzip members, compressed on the calling thread. */
  private static byte[] compress(List<WarcRecord> pair) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    org.netpreserve.jwarc.WarcWriter writer =
        new org.netpreserve.jwarc.WarcWriter(Channels.newChannel(out), WarcCompression.GZIP);
    for (WarcRecord record : pair) {
      writer.write(record);
    }
    return out.toByteArray();
  }

  private void append(byte[] pair) {
    lock.lock();
    try {
      if (failure != null || channel == null) {
        return;
      }
      if (pairsInFile > 0 && fileBytes + pair.length > maxFileBytes) {
        channel.close();
        startFile();
      }
      writeFully(channel, pair);
      fileBytes += pair.length;
      pairsInFile++;
      records.addAndGet(2);
    } catch (IOException e) {
      fail(e);
    } finally {
      lock.unlock();
    }
  }

  /** Opens the next file and writes its warcinfo record; under the lock. */
  private void startFile() throws IOException {
    String name = String.format("duocrawl-%s-%05d.warc.gz", stamp, files.size());
    Path file = dir.resolve(name);
    FileChannel next =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    files.add(file);
    channel = next;
    Map<String, List<String>> fields = new LinkedHashMap<>();
    fields.put("software", List.of(software));
    fields.put("format", List.of("WARC File Format 1.1"));
    fields.put(
        "description",
        List.of("HTTP payloads decoded (gzip, chunks); wire framing headers renamed X-Crawler-*"));
    Warcinfo info =
        new Warcinfo.Builder()
            .version(MessageVersion.WARC_1_1)
            .date(Instant.now())
            .filename(name)
            .fields(fields)
            .build();
    byte[] bytes = compress(List.of(info));
    writeFully(next, bytes);
    fileBytes = bytes.length;
    pairsInFile = 0;
    records.incrementAndGet();
  }

  private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private void fail(IOException e) {
    lock.lock();
    try {
      if (failure == null) {
        failure = e;
        log.error("WARC writing stopped: {}", describe(e));
      }
    } finally {
      lock.unlock();
    }
  }

  /** The first I/O error met, after which nothing more was written; empty while all is well. */
  public Optional<IOException> failure() {
    return Optional.ofNullable(failure);
  }

  /** The files written so far, in order. */
  public List<Path> files() {
    lock.lock();
    try {
      return List.copyOf(files);
    } finally {
      lock.unlock();
    }
  }

  /** Records written so far, {@code warcinfo} records included. */
  public long records() {
    return records.get();
  }

  /** Exchanges not archived because their URL is not a valid URI. */
  public long skipped() {
    return skipped.get();
  }

  /** Flushes and closes the current file. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (channel != null) {
        try {
          channel.force(false);
          channel.close();
        } catch (IOException e) {
          if (failure == null) {
            failure = e;
          }
        }
        channel = null;
      }
    } finally {
      lock.unlock();
    }
  }
}
