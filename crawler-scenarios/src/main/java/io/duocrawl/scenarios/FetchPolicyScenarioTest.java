package io.duocrawl.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.Outcome;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.fetch.FetchPolicy;
import io.duocrawl.common.report.CrawlReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Engine parity for the oddities of real servers: each test serves one response from a {@link
 * RawHttpServer} and checks the outcome, reason and byte count that {@link FetchPolicy} and the
 * core prescribe. Every engine runs this class (subclass it and return the engine), so passing it
 * means all engines agree on each case.
 */
public abstract class FetchPolicyScenarioTest {
  /** The body cap of these crawls. */
  private static final int CAP = 4096;

  /** The engine under test. */
  protected abstract Crawler crawler();

  @Test
  void aTwentyKibSetCookieHeaderIsAccepted() {
    PageResult page =
        crawlOne(
            head ->
                ok(
                    "Set-Cookie: big=" + "x".repeat(20 * 1024) + "\r\nContent-Length: 12",
                    html(12)));
    assertFetched(page, 12);
  }

  @Test
  void aHeaderSectionOverTheLimitFailsAsProtocolError() {
    PageResult page =
        crawlOne(
            head ->
                ok("X-Padding: " + "y".repeat(100 * 1024) + "\r\nContent-Length: 12", html(12)));
    assertThat(page.reason()).isEqualTo(Reason.PROTOCOL_ERROR);
  }

  @Test
  void theFirstContentTypeWinsWhenTheHeaderComesTwice() {
    PageResult page =
        crawlOne(
            head ->
                RawHttpServer.response(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: 12",
                    html(12)));
    assertFetched(page, 12);
    assertThat(page.contentType()).isEqualTo("text/html");
  }

  @Test
  void theFirstLocationWinsWhenTheHeaderComesTwice() {
    PageResult page =
        crawlOne(
            head ->
                head.startsWith("GET / ")
                    ? RawHttpServer.response(
                        "HTTP/1.1 301 Moved\r\nLocation: /first\r\nLocation: /second\r\n"
                            + "Content-Length: 0",
                        new byte[0])
                    : ok("Content-Length: 12", html(12)));
    assertThat(page.outcome()).isEqualTo(Outcome.REDIRECTED);
    assertThat(page.finalUrl()).endsWith("/first");
  }

  @Test
  void aGzipBodyIsAskedForDecodedAndCountedDecoded() throws IOException {
    byte[] plain = html(3000);
    byte[] gzipped = gzip(plain);
    try (RawHttpServer server =
        RawHttpServer.start(
            loopback(1),
            head -> ok("Content-Encoding: gzip\r\nContent-Length: " + gzipped.length, gzipped))) {
      PageResult page = crawl(server, "127.0.0.1", b -> b);
      assertFetched(page, 3000);
      assertThat(server.requests().get(0).toLowerCase()).contains("accept-encoding: gzip");
    }
  }

  @Test
  void withNoEncodingsTheRequestAsksForIdentity() throws IOException {
    try (RawHttpServer server =
        RawHttpServer.start(loopback(1), head -> ok("Content-Length: 12", html(12)))) {
      PageResult page =
          crawl(
              server,
              "127.0.0.1",
              b -> b.fetch(FetchPolicy.DEFAULT.withAcceptEncodings(List.of())));
      assertFetched(page, 12);
      assertThat(server.requests().get(0).toLowerCase()).contains("accept-encoding: identity");
    }
  }

  @Test
  void anHttp10ResponseWithoutLengthIsReadToTheClose() {
    PageResult page =
        crawlOne(
            head ->
                RawHttpServer.response("HTTP/1.0 200 OK\r\nContent-Type: text/html", html(3000)));
    assertFetched(page, 3000);
  }

  @Test
  void aCloseDelimitedBodyCountsExactlyItsBytes() {
    PageResult page =
        crawlOne(
            head ->
                RawHttpServer.response(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close", html(3000)));
    assertFetched(page, 3000);
  }

  @Test
  void interimResponsesAreSkippedAndTheFinalOneCounts() {
    byte[] interim =
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] last = ok("Content-Length: 12", html(12));
    byte[] both = Arrays.copyOf(interim, interim.length + last.length);
    System.arraycopy(last, 0, both, interim.length, last.length);
    PageResult page = crawlOne(head -> both);
    assertFetched(page, 12);
  }

  @Test
  void a300WithoutLocationFailsAsBadRedirect() {
    PageResult page =
        crawlOne(
            head ->
                RawHttpServer.response("HTTP/1.1 300 Choices\r\nContent-Length: 0", new byte[0]));
    assertThat(page.reason()).isEqualTo(Reason.BAD_REDIRECT);
    assertThat(page.status()).isEqualTo(300);
    assertThat(page.detail()).isEqualTo("HTTP 300 without a Location header");
  }

  @Test
  void a304ToAnUnconditionalGetFailsAsUnexpectedStatus() {
    PageResult page =
        crawlOne(head -> RawHttpServer.response("HTTP/1.1 304 Not Modified", new byte[0]));
    assertThat(page.reason()).isEqualTo(Reason.UNEXPECTED_STATUS);
    assertThat(page.status()).isEqualTo(304);
    assertThat(page.detail()).isEqualTo("HTTP 304 to an unconditional GET");
  }

  @Test
  void aBodyExactlyAtTheCapIsFetched() {
    PageResult page = crawlOne(head -> ok("Content-Length: " + CAP, html(CAP)));
    assertFetched(page, CAP);
  }

  @Test
  void aBodyOneByteOverTheCapIsTooLarge() {
    PageResult page = crawlOne(head -> ok("Content-Length: " + (CAP + 1), html(CAP + 1)));
    assertThat(page.reason()).isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void aCloseDelimitedBodyOneByteOverTheCapIsTooLarge() {
    PageResult page =
        crawlOne(
            head ->
                RawHttpServer.response(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close",
                    html(CAP + 1)));
    assertThat(page.reason()).isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void aNameFixedInThePolicyResolvesToItsLoopbackAddress() throws IOException {
    try (RawHttpServer server =
        RawHttpServer.start(loopback(2), head -> ok("Content-Length: 12", html(12)))) {
      PageResult page =
          crawl(
              server,
              "example.test",
              b -> b.fetch(FetchPolicy.DEFAULT.withHosts(Map.of("Example.TEST", loopback(2)))));
      assertFetched(page, 12);
      assertThat(server.requests().get(0)).containsIgnoringCase("host: example.test:");
    }
  }

  private static void assertFetched(PageResult page, long bytes) {
    assertThat(page.reason()).as(page.toString()).isEqualTo(Reason.OK);
    assertThat(page.bytes()).isEqualTo(bytes);
  }

  private PageResult crawlOne(Function<String, byte[]> responder) {
    try (RawHttpServer server = RawHttpServer.start(loopback(1), responder)) {
      return crawl(server, "127.0.0.1", b -> b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Crawls the server's {@code /} (and a redirect target) by {@code host}; the seed's result. */
  private PageResult crawl(
      RawHttpServer server, String host, UnaryOperator<CrawlConfig.Builder> tweak) {
    String seed = "http://" + host + ":" + server.port() + "/";
    CrawlConfig config =
        tweak
            .apply(
                CrawlConfig.builder()
                    .seed(seed)
                    .robots(false)
                    .maxDepth(0)
                    .maxBodyBytes(CAP)
                    .retry(RetryPolicy.NONE)
                    .requestTimeout(Duration.ofSeconds(10)))
            .build();
    ConcurrentLinkedQueue<PageResult> pages = new ConcurrentLinkedQueue<>();
    CrawlReport report =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> crawler().crawl(config, pages::add));
    assertThat(report.balanced()).isTrue();
    return pages.stream().filter(p -> p.url().equals(seed)).findFirst().orElseThrow();
  }

  private static byte[] ok(String headers, byte[] body) {
    return RawHttpServer.response("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + headers, body);
  }

  /** An HTML page of exactly {@code size} bytes (at least 12). */
  private static byte[] html(int size) {
    String open = "<p>";
    String close = "</p>";
    byte[] page = new byte[size];
    Arrays.fill(page, (byte) 'a');
    byte[] o = open.getBytes(StandardCharsets.US_ASCII);
    byte[] c = close.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(o, 0, page, 0, o.length);
    System.arraycopy(c, 0, page, size - c.length, c.length);
    return page;
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(plain);
    }
    return out.toByteArray();
  }

  private static InetAddress loopback(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
