package io.duocrawl.benchmarks;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.duocrawl.common.fetch.ResponseHead;
import io.duocrawl.common.session.Exchange;
import io.duocrawl.common.session.FetchRequest;
import io.duocrawl.warc.WarcArchive;
import io.duocrawl.warc.WarcEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.MessageVersion;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcDigest;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of archiving one exchange with {@code crawl --warc}: an 8 KB HTML page ({@code
 * article-8k.html}) with a fixture server's response headers, turned into its gzip-compressed
 * {@code request} and {@code response} records, on one thread (so time is CPU time).
 *
 * <ul>
 *   <li>{@code jwarc}: the first writer (before): jwarc's record builders and its {@code
 *       WarcWriter} with gzip (zlib level 9, a new deflater per pair), the block built as a copy of
 *       the body, each digest its own pass, ids from {@link UUID#randomUUID()}.
 *   <li>{@code NONE}, {@code FAST}, {@code DEFAULT}, {@code BEST}: {@link WarcEncoder} (after) at
 *       each {@link WarcArchive.Compression}: body never copied, digests in one pass, one reused
 *       deflater.
 * </ul>
 *
 * <p>The bytes per exchange (the size cost of each level) are printed at the end of each trial.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar WarcBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * java -cp benchmarks/target/benchmarks.jar io.duocrawl.benchmarks.WarcBenchmark  # CPU time
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WarcBenchmark {
  /** The writer: {@code jwarc} (before) or a compression level of {@link WarcEncoder} (after). */
  @Param({"jwarc", "NONE", "FAST", "DEFAULT", "BEST"})
  String writer = "FAST";

  private Exchange exchange;
  private WarcEncoder encoder;
  private long bytes;
  private long calls;

  /** The exchange, and the encoder of the level. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    byte[] body;
    try (InputStream in = ParseBenchmark.class.getResourceAsStream("article-8k.html")) {
      if (in == null) {
        throw new IllegalStateException("article-8k.html is missing from the benchmarks jar");
      }
      body = in.readAllBytes();
    }
    exchange =
        new Exchange(
            FetchRequest.Kind.PAGE,
            "http://127.0.0.1:18080/p/1234?ref=5",
            Instant.now(),
            java.util.Optional.of("127.0.0.1"),
            List.of(
                Map.entry("Host", "127.0.0.1:18080"),
                Map.entry("User-Agent", "duocrawl/0.1 (+https://github.com/duocrawl)"),
                Map.entry("Accept-Encoding", "gzip")),
            new ResponseHead(
                "HTTP/1.1",
                200,
                "OK",
                List.of(
                    Map.entry("Content-Type", "text/html; charset=utf-8"),
                    Map.entry("Content-Length", String.valueOf(body.length)),
                    Map.entry("Date", "Wed, 02 Dec 2026 04:00:00 GMT"),
                    Map.entry("Last-Modified", "Tue, 01 Dec 2026 12:00:00 GMT"),
                    Map.entry("ETag", "\"5f3a-1234\""),
                    Map.entry("Cache-Control", "max-age=60"),
                    Map.entry("Server", "duocrawl-fixture"))),
            body,
            body.length,
            false);
    if (!writer.equals("jwarc")) {
      encoder = WarcEncoder.create(WarcArchive.Compression.valueOf(writer));
    }
  }

  /** One exchange, as its two gzip members; returns their size. */
  @Benchmark
  public int archiveOneExchange() throws IOException {
    int size =
        encoder == null ? jwarcPair(exchange) : encoder.encode(exchange).orElseThrow().remaining();
    bytes += size;
    calls++;
    return size;
  }

  /** Prints the size cost of the level. */
  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.printf("%n%s: %,d bytes per exchange (8 KB page)%n", writer, bytes / calls);
    if (encoder != null) {
      encoder.close();
    }
  }

  /**
   * Thread CPU time per exchange of each writer (median and best of {@link ParseBenchmark#cpuTime}
   * rounds): robust where a shared machine makes wall time noise.
   */
  public static void main(String[] args) throws IOException {
    for (String writer : new String[] {"jwarc", "NONE", "FAST", "DEFAULT", "BEST"}) {
      WarcBenchmark b = new WarcBenchmark();
      b.writer = writer;
      b.setUp();
      ParseBenchmark.cpuTime(
          writer,
          1,
          () -> {
            try {
              return b.archiveOneExchange();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      b.tearDown();
    }
  }

  /** The first writer's path, kept here as the before. */
  private static int jwarcPair(Exchange exchange) throws IOException {
    URI uri = URI.create(exchange.url());
    UUID responseId = UUID.randomUUID();
    InetAddress ip = InetAddress.getByName(exchange.remoteAddress().orElseThrow());
    byte[] block = responseBlock(exchange);
    int payloadStart = block.length - exchange.length();
    WarcResponse response =
        new WarcResponse.Builder(uri)
            .version(MessageVersion.WARC_1_1)
            .recordId(responseId)
            .date(exchange.captured())
            .blockDigest(sha1(block, 0, block.length))
            .payloadDigest(sha1(block, payloadStart, exchange.length()))
            .body(MediaType.HTTP_RESPONSE, block)
            .ipAddress(ip)
            .build();
    byte[] requestBlock = requestBlock(exchange, uri);
    WarcRequest request =
        new WarcRequest.Builder(uri)
            .version(MessageVersion.WARC_1_1)
            .date(exchange.captured())
            .concurrentTo(URI.create("urn:uuid:" + responseId))
            .blockDigest(sha1(requestBlock, 0, requestBlock.length))
            .body(MediaType.HTTP_REQUEST, requestBlock)
            .ipAddress(ip)
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    WarcWriter writer = new WarcWriter(Channels.newChannel(out), WarcCompression.GZIP);
    writer.write(request);
    writer.write(response);
    return out.toByteArray().length;
  }

  private static byte[] requestBlock(Exchange exchange, URI uri) {
    StringBuilder text = new StringBuilder(256);
    text.append("GET ").append(uri.getRawPath()).append('?').append(uri.getRawQuery());
    text.append(" HTTP/1.1\r\n");
    for (Map.Entry<String, String> header : exchange.requestHeaders()) {
      text.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    return text.append("\r\n").toString().getBytes(ISO_8859_1);
  }

  private static byte[] responseBlock(Exchange exchange) {
    StringBuilder text = new StringBuilder(512).append("HTTP/1.1 200 OK\r\n");
    for (Map.Entry<String, String> header : exchange.response().headers()) {
      String name = header.getKey();
      if (name.equalsIgnoreCase("Content-Length")) {
        name = "X-Crawler-" + name;
      }
      text.append(name).append(": ").append(header.getValue()).append("\r\n");
    }
    text.append("Content-Length: ").append(exchange.length()).append("\r\n\r\n");
    byte[] head = text.toString().getBytes(ISO_8859_1);
    ByteArrayOutputStream block = new ByteArrayOutputStream(head.length + exchange.length());
    block.writeBytes(head);
    block.write(exchange.body(), 0, exchange.length());
    return block.toByteArray();
  }

  private static WarcDigest sha1(byte[] bytes, int offset, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      digest.update(bytes, offset, length);
      return new WarcDigest("sha1", digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
