package io.duocrawl.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchError;
import io.duocrawl.common.session.FetchRequest;
import io.duocrawl.common.session.FetchResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OkHttpFetcherTest {
  private static final String HTML = "text/html; charset=utf-8";

  private RawServer server;

  @AfterEach
  void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void sendsTheConfiguredUserAgentAndAsksForGzip() throws Exception {
    server = RawServer.start((head, s) -> RawServer.respond(s, 200, HTML, bytes("<p>hi")));

    FetchResponse response = fetch("/", c -> c.userAgent("testbot/2.0 (+http://x.test)"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(new String(response.body(), 0, response.length(), StandardCharsets.UTF_8))
        .isEqualTo("<p>hi");
    assertThat(server.requests().get(0))
        .containsIgnoringCase("User-Agent: testbot/2.0 (+http://x.test)")
        .containsIgnoringCase("Accept-Encoding: gzip");
  }

  @Test
  void aBodyOfExactlyTheLimitIsKeptAndOneByteMoreIsTooLarge() throws Exception {
    server =
        RawServer.start(
            (head, s) ->
                RawServer.respond(s, 200, HTML, new byte[head.contains("/big") ? 1001 : 1000]));

    FetchResponse exact = fetch("/exact", c -> c.maxBodyBytes(1000));
    FetchResponse big = fetch("/big", c -> c.maxBodyBytes(1000));

    assertThat(exact.truncated()).isFalse();
    assertThat(exact.length()).isEqualTo(1000);
    assertThat(big.truncated()).isTrue();
    assertThat(big.length()).isZero();
    assertThat(big.detail()).contains("after 1001 bytes");
  }

  @Test
  void anEndlessBodyIsReadOnlyToTheCapAndTheConnectionDropped() throws Exception {
    AtomicLong sent = new AtomicLong();
    server =
        RawServer.start(
            (head, s) -> {
              OutputStream out = s.getOutputStream();
              out.write(
                  bytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"));
              byte[] chunk = new byte[64 * 1024];
              Arrays.fill(chunk, (byte) 'a');
              while (true) { // until the client hangs up
                out.write(chunk);
                sent.addAndGet(chunk.length);
              }
            });

    FetchResponse response = fetch("/endless", c -> c.maxBodyBytes(100_000));

    assertThat(response.truncated()).isTrue();
    assertThat(response.detail()).contains("after 100001 bytes");
  }

  @Test
  void aGzipBombIsNotInflatedPastTheCap() throws Exception {
    // 1 GiB of zeros compresses to about 1 MiB; the cap is 64 KiB of decompressed bytes.
    server =
        RawServer.start(
            (head, s) -> {
              OutputStream out = s.getOutputStream();
              out.write(
                  bytes(
                      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                          + "Connection: close\r\n\r\n"));
              GZIPOutputStream gzip = new GZIPOutputStream(out, 8192);
              byte[] zeros = new byte[1 << 20];
              for (int i = 0; i < 1024; i++) {
                gzip.write(zeros);
              }
              gzip.finish();
            });

    FetchResponse response = fetch("/bomb", c -> c.maxBodyBytes(64 * 1024));

    assertThat(response.truncated()).isTrue();
    assertThat(response.detail()).contains("after " + (64 * 1024 + 1) + " bytes");
  }

  @Test
  void aGzippedPageIsDecompressed() throws Exception {
    server =
        RawServer.start(
            (head, s) -> {
              java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
              try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                gzip.write(bytes("<html>zipped</html>"));
              }
              OutputStream out = s.getOutputStream();
              out.write(
                  bytes(
                      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                          + "Content-Length: "
                          + zipped.size()
                          + "\r\nConnection: close\r\n\r\n"));
              zipped.writeTo(out);
            });

    FetchResponse response = fetch("/z", c -> c);

    assertThat(new String(response.body(), 0, response.length(), StandardCharsets.UTF_8))
        .isEqualTo("<html>zipped</html>");
  }

  @Test
  void theBodyOfANonHtmlResponseIsNotRead() throws Exception {
    server =
        RawServer.start((head, s) -> RawServer.respond(s, 200, "image/png", new byte[500_000]));

    FetchResponse response = fetch("/image.png", c -> c);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("image/png");
    assertThat(response.length()).isZero();
    assertThat(response.truncated()).isFalse();
  }

  @Test
  void aRedirectIsReturnedNotFollowed() throws Exception {
    server =
        RawServer.start(
            (head, s) ->
                s.getOutputStream()
                    .write(
                        bytes(
                            "HTTP/1.1 301 Moved\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n")));

    FetchResponse response = fetch("/from", c -> c);

    assertThat(response.status()).isEqualTo(301);
    assertThat(response.location()).contains("/elsewhere");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void aConnectionClosedWithoutAByteIsAnEmptyResponse() throws Exception {
    server = RawServer.start((head, s) -> s.close());

    assertThat(fetch("/", c -> c).error()).contains(FetchError.EMPTY_RESPONSE);
  }

  @Test
  void garbageInsteadOfAStatusLineIsAProtocolError() throws Exception {
    server = RawServer.start((head, s) -> s.getOutputStream().write(bytes("lorem ipsum\r\n\r\n")));

    assertThat(fetch("/", c -> c).error()).contains(FetchError.PROTOCOL_ERROR);
  }

  @Test
  void garbageWithoutALineEndIsAProtocolErrorNotAnEmptyResponse() throws Exception {
    server = RawServer.start((head, s) -> s.getOutputStream().write(bytes("lorem ipsum")));

    assertThat(fetch("/", c -> c).error()).contains(FetchError.PROTOCOL_ERROR);
  }

  @Test
  void aResetConnectionIsAConnectionReset() throws Exception {
    server =
        RawServer.start(
            (head, s) -> {
              s.setSoLinger(true, 0); // close() now sends RST
              s.close();
            });

    assertThat(fetch("/", c -> c).error())
        .hasValueSatisfying(
            e -> assertThat(e).isIn(FetchError.CONNECTION_RESET, FetchError.EMPTY_RESPONSE));
  }

  @Test
  void aBodyCutShortIsAConnectionReset() throws Exception {
    server =
        RawServer.start(
            (head, s) ->
                s.getOutputStream()
                    .write(
                        bytes(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n"
                                + "only ten..")));

    assertThat(fetch("/", c -> c).error()).contains(FetchError.CONNECTION_RESET);
  }

  @Test
  void aMalformedChunkIsAProtocolError() throws Exception {
    server =
        RawServer.start(
            (head, s) ->
                s.getOutputStream()
                    .write(
                        bytes(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n")));

    assertThat(fetch("/", c -> c).error()).contains(FetchError.PROTOCOL_ERROR);
  }

  @Test
  void aBodyDribbledPastTheRequestTimeoutIsARequestTimeout() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    server =
        RawServer.start(
            (head, s) -> {
              OutputStream out = s.getOutputStream();
              out.write(
                  bytes(
                      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n"));
              // The server dribbles one byte every 20 ms, well within readTimeout, until the
              // test is over (the latch ends the dribble at once instead of after 20 s).
              for (int i = 0; i < 1000 && !done.await(20, TimeUnit.MILLISECONDS); i++) {
                out.write('a');
                out.flush();
              }
            });
    try {
      FetchResponse response =
          fetch(
              "/",
              c -> c.readTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofMillis(300)));

      assertThat(response.error()).contains(FetchError.REQUEST_TIMEOUT);
    } finally {
      done.countDown();
    }
  }

  @Test
  void noByteWithinTheReadTimeoutIsAReadTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server = RawServer.start((head, s) -> release.await(10, TimeUnit.SECONDS));
    try {
      FetchResponse response = fetch("/", c -> c.readTimeout(Duration.ofMillis(200)));

      assertThat(response.error()).contains(FetchError.READ_TIMEOUT);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aRefusedConnectionIsAConnectFailure() throws Exception {
    int port;
    try (ServerSocket unused = new ServerSocket(0)) {
      port = unused.getLocalPort();
    }

    FetchResponse response = fetchUrl("http://127.0.0.1:" + port + "/", c -> c);

    assertThat(response.error()).contains(FetchError.CONNECT_FAILED);
  }

  @Test
  void cancelAllEndsACallInFlightPromptly() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    server =
        RawServer.start(
            (head, s) -> {
              arrived.countDown();
              release.await(10, TimeUnit.SECONDS);
            });
    CrawlSession session = session(server.url("/"), c -> c);
    FetchRequest request = session.next().orElseThrow();
    try (OkHttpFetcher fetcher = OkHttpFetcher.create(new OkHttpClient(), session, "test-")) {
      CompletableFuture<FetchResponse> response =
          CompletableFuture.supplyAsync(() -> fetcher.fetch(request));
      assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();

      fetcher.cancelAll();

      await().atMost(Duration.ofSeconds(2)).until(response::isDone);
      assertThat(response.join().error()).isPresent();
      assertThat(fetcher.inFlight()).isZero();
    } finally {
      release.countDown();
    }
  }

  @Test
  void aCallStartedAfterCancelAllFailsAtOnce() throws Exception {
    server = RawServer.start((head, s) -> RawServer.respond(s, 200, HTML, bytes("x")));
    CrawlSession session = session(server.url("/"), c -> c);
    FetchRequest request = session.next().orElseThrow();
    try (OkHttpFetcher fetcher = OkHttpFetcher.create(new OkHttpClient(), session, "test-")) {
      fetcher.cancelAll();

      assertThat(fetcher.fetch(request).error()).isPresent();
    }
    assertThat(server.requests()).isEmpty();
  }

  private FetchResponse fetch(String path, UnaryOperator<CrawlConfig.Builder> config) {
    return fetchUrl(server.url(path), config);
  }

  private static FetchResponse fetchUrl(String url, UnaryOperator<CrawlConfig.Builder> config) {
    CrawlSession session = session(url, config);
    FetchRequest request = session.next().orElseThrow();
    try (OkHttpFetcher fetcher = OkHttpFetcher.create(new OkHttpClient(), session, "test-")) {
      return fetcher.fetch(request);
    }
  }

  private static CrawlSession session(String url, UnaryOperator<CrawlConfig.Builder> config) {
    CrawlConfig.Builder builder = CrawlConfig.builder().seed(url).robots(false);
    return CrawlSession.open("test", config.apply(builder).build(), PageListener.NONE);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
