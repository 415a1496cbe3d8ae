package io.duocrawl.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.session.FetchError;
import io.duocrawl.common.session.FetchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The fetcher against a real server: bodies, caps, timeouts and broken responses. */
class HttpFetcherTest {
  private static final Duration VERIFY = Duration.ofSeconds(20);
  private static TestSite site;
  private HttpFetcher fetcher;

  @BeforeAll
  static void startSite() {
    site = TestSite.start(10, 3);
  }

  @AfterAll
  static void stopSite() {
    site.close();
  }

  @AfterEach
  void disposeFetcher() {
    if (fetcher != null) {
      StepVerifier.create(fetcher.disposeLater()).expectComplete().verify(VERIFY);
    }
  }

  private static CrawlConfig.Builder config() {
    return CrawlConfig.builder().seed(site.url("/site/0")).concurrency(4).robots(false);
  }

  private Mono<FetchResponse> fetch(CrawlConfig config, String path, long limit) {
    fetcher = HttpFetcher.create(config);
    String url = path.startsWith("http") ? path : site.url(path);
    return fetcher.fetch(url, (status, headers) -> limit);
  }

  private static Optional<FetchError> errorOf(FetchResponse response) {
    return response.error();
  }

  @Test
  void aPageComesBackWithItsStatusTypeAndWholeBody() {
    StepVerifier.create(fetch(config().build(), "/site/0", 1_000_000))
        .assertNext(
            response -> {
              assertThat(response.status()).isEqualTo(200);
              assertThat(response.contentType()).startsWith("text/html");
              assertThat(response.truncated()).isFalse();
              String body =
                  new String(response.body(), 0, response.length(), StandardCharsets.UTF_8);
              assertThat(body).contains("<title>page 0</title>").contains("/site/3");
            })
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aBodyOfExactlyTheLimitIsKeptWholeAndOneByteMoreIsTooLarge() {
    StepVerifier.create(fetch(config().build(), "/exact/1000", 1000))
        .assertNext(
            response -> {
              assertThat(response.truncated()).isFalse();
              assertThat(response.length()).isEqualTo(1000);
            })
        .expectComplete()
        .verify(VERIFY);
    StepVerifier.create(fetcher.fetch(site.url("/exact/1001"), (status, headers) -> 1000))
        .assertNext(response -> assertThat(response.truncated()).isTrue())
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aFiftyMegabyteBodyIsCutAtTheCapAndItsConnectionClosed() {
    long before = site.bigBytesSent();
    StepVerifier.create(fetch(config().build(), "/big", 100_000))
        .assertNext(
            response -> {
              assertThat(response.status()).isEqualTo(200);
              assertThat(response.truncated()).isTrue();
              assertThat(response.length()).isZero();
            })
        .expectComplete()
        .verify(VERIFY);
    // The client closed the connection: the server stops writing far short of 50 MB (what it
    // wrote is at most what fit into the socket buffers when the close arrived).
    await().atMost(Duration.ofSeconds(10)).until(() -> site.openConnections() == 0);
    assertThat(site.bigBytesSent() - before).isLessThan(TestSite.BIG_BODY_BYTES / 2);
  }

  @Test
  void theCapCountsDecompressedBytes() {
    StepVerifier.create(fetch(config().build(), "/gzip-bomb", 1_000_000))
        .assertNext(response -> assertThat(response.truncated()).isTrue())
        .expectComplete()
        .verify(VERIFY);
    StepVerifier.create(fetcher.fetch(site.url("/gzip-bomb"), (status, headers) -> 8_000_000))
        .assertNext(
            response -> {
              assertThat(response.truncated()).isFalse();
              assertThat(response.length()).isEqualTo(4 * 1024 * 1024);
            })
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aRedirectIsNotFollowedAndItsBodyIsNotRead() {
    StepVerifier.create(fetch(config().build(), "/redirect", 0))
        .assertNext(
            response -> {
              assertThat(response.status()).isEqualTo(301);
              assertThat(response.location()).contains("/site/0");
              assertThat(response.length()).isZero();
            })
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void theUserAgentOfTheConfigIsSent() {
    StepVerifier.create(fetch(config().userAgent("probe/1.0").build(), "/echo-user-agent", 10_000))
        .assertNext(
            response ->
                assertThat(
                        new String(response.body(), 0, response.length(), StandardCharsets.UTF_8))
                    .isEqualTo("probe/1.0"))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aServerSilentBeforeTheHeadersIsAReadTimeout() {
    CrawlConfig config = config().readTimeout(Duration.ofMillis(300)).build();
    StepVerifier.create(fetch(config, "/stall-headers", 10_000))
        .assertNext(response -> assertThat(errorOf(response)).contains(FetchError.READ_TIMEOUT))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aServerSilentInTheBodyIsAReadTimeout() {
    CrawlConfig config = config().readTimeout(Duration.ofMillis(300)).build();
    StepVerifier.create(fetch(config, "/stall-body", 10_000))
        .assertNext(response -> assertThat(errorOf(response)).contains(FetchError.READ_TIMEOUT))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aDribbledBodyIsEndedByTheWholeRequestTimeout() {
    CrawlConfig config =
        config().readTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofMillis(700)).build();
    StepVerifier.create(fetch(config, "/dribble", 100_000))
        .assertNext(response -> assertThat(errorOf(response)).contains(FetchError.REQUEST_TIMEOUT))
        .expectComplete()
        .verify(VERIFY);
    await().atMost(Duration.ofSeconds(10)).until(() -> site.openConnections() == 0);
  }

  @Test
  void aConnectionClosedBeforeAnyResponseIsAnEmptyResponse() {
    StepVerifier.create(fetch(config().build(), site.rawUrl("/close-before-response"), 10_000))
        .assertNext(response -> assertThat(errorOf(response)).contains(FetchError.EMPTY_RESPONSE))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aConnectionClosedInTheBodyIsAConnectionReset() {
    StepVerifier.create(fetch(config().build(), site.rawUrl("/close-during-body"), 1_000_000))
        .assertNext(response -> assertThat(errorOf(response)).contains(FetchError.CONNECTION_RESET))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aMalformedChunkIsAProtocolError() {
    StepVerifier.create(fetch(config().build(), site.rawUrl("/malformed-chunk"), 10_000))
        .assertNext(response -> assertThat(errorOf(response)).contains(FetchError.PROTOCOL_ERROR))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void garbageWhereAChunkSizeBelongsIsAProtocolErrorEvenWhenTheServerClosesBeforeAnyCrlf() {
    StepVerifier.create(fetch(config().build(), site.rawUrl("/garbage-chunk-then-close"), 10_000))
        .assertNext(response -> assertThat(errorOf(response)).contains(FetchError.PROTOCOL_ERROR))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aConnectionClosedInTheMiddleOfChunkDataIsAConnectionReset() {
    StepVerifier.create(fetch(config().build(), site.rawUrl("/close-in-chunk-data"), 10_000))
        .assertNext(response -> assertThat(errorOf(response)).contains(FetchError.CONNECTION_RESET))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aRefusedConnectionIsAConnectFailure() {
    // A port just released by a server of our own: nothing listens there.
    TestSite closed = TestSite.start(1, 1);
    String url = closed.url("/site/0");
    closed.close();
    StepVerifier.create(fetch(config().build(), url, 10_000))
        .assertNext(response -> assertThat(errorOf(response)).contains(FetchError.CONNECT_FAILED))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aTimedOutRequestGivesItsConnectionBack() {
    // One connection for the whole client: the second fetch can only succeed if the first,
    // timed out while waiting for headers, released it.
    CrawlConfig config = config().concurrency(1).requestTimeout(Duration.ofMillis(300)).build();
    StepVerifier.create(fetch(config, "/stall-headers", 10_000))
        .assertNext(response -> assertThat(errorOf(response)).contains(FetchError.REQUEST_TIMEOUT))
        .expectComplete()
        .verify(VERIFY);
    // The abort closed the connection; once the server has seen the close, a fetch can only get
    // a connection if the pool's only slot was given back (else it waits and times out).
    await().atMost(Duration.ofSeconds(10)).until(() -> site.openConnections() == 0);
    StepVerifier.create(fetcher.fetch(site.url("/site/2"), (status, headers) -> 10_000))
        .assertNext(response -> assertThat(response.status()).as(response.detail()).isEqualTo(200))
        .expectComplete()
        .verify(VERIFY);
  }
}
