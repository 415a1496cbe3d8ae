package io.duocrawl.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.fetch.RequestOptions;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.url.UrlRewriter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The embedding API on every engine: request options on the wire (headers, cookies, auth, per
 * request, a proxy), response headers and {@code X-Robots-Tag} in the results, URL rewriters and
 * filters, a handler that offers URLs, and the graceful stop. Subclass it and return the engine.
 */
public abstract class EmbeddingScenarioTest {
  /** The engine under test. */
  protected abstract Crawler crawler();

  @Test
  void theCrawlsHeadersCookiesAuthorizationAndPerRequestHeadersReachTheServer() throws IOException {
    try (RawHttpServer server = RawHttpServer.start(loopback(), path(p -> page("")))) {
      RequestOptions options =
          RequestOptions.NONE
              .withHeader("Accept-Language", "en")
              .withCookie("consent", "yes")
              .withBasicAuth("user", "pass")
              .withPerRequest(url -> List.of(Map.entry("X-Url-Length", "" + url.length())));
      String seed = root(server);

      crawl(config(seed).request(options).build(), PageListener.NONE);

      String request = server.requests().get(0);
      assertThat(request)
          .containsIgnoringCase("accept-language: en\r\n")
          .containsIgnoringCase("cookie: consent=yes\r\n")
          .containsIgnoringCase("authorization: Basic dXNlcjpwYXNz\r\n")
          .containsIgnoringCase("x-url-length: " + seed.length() + "\r\n")
          .containsIgnoringCase("user-agent: " + CrawlConfig.DEFAULT_USER_AGENT);
    }
  }

  @Test
  void requestsGoThroughTheConfiguredProxy() throws IOException {
    try (RawHttpServer server = RawHttpServer.start(loopback(), path(p -> page("")));
        LoopbackProxy proxy = LoopbackProxy.start()) {
      String seed = root(server);
      RequestOptions options = RequestOptions.NONE.withProxy("127.0.0.1", proxy.port());

      Queue<PageResult> pages = crawl(config(seed).request(options).build(), PageListener.NONE);

      assertThat(pages).extracting(PageResult::reason).containsExactly(Reason.OK);
      assertThat(proxy.requestLines())
          .first()
          .asString()
          .containsAnyOf("CONNECT 127.0.0.1:" + server.port(), "GET " + seed);
    }
  }

  @Test
  void everyResponseHeaderReachesTheListenerWithEtagAndLastModified() throws IOException {
    String head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nETag: \"v7\"\r\n"
            + "Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT\r\nX-Extra: 1\r\nX-Extra: 2\r\n"
            + "Content-Length: 12";
    try (RawHttpServer server =
        RawHttpServer.start(
            loopback(),
            h ->
                RawHttpServer.response(head, "<p>hello</p>".getBytes(StandardCharsets.US_ASCII)))) {
      PageResult page = crawl(config(root(server)).build(), PageListener.NONE).peek();

      assertThat(page.etag()).contains("\"v7\"");
      assertThat(page.lastModified()).contains("Tue, 01 Dec 2026 10:00:00 GMT");
      assertThat(page.headers().values("X-Extra")).containsExactly("1", "2");
    }
  }

  @Test
  void xRobotsTagNofollowKeepsThePagesLinksOut() throws IOException {
    byte[] body = "<a href=/a>a</a><a href=/b>b</a>".getBytes(StandardCharsets.US_ASCII);
    String head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Robots-Tag: nofollow\r\n"
            + "Content-Length: "
            + body.length;
    try (RawHttpServer server =
        RawHttpServer.start(loopback(), h -> RawHttpServer.response(head, body))) {
      CrawlReportAndPages run =
          crawlWithReport(config(root(server)).maxDepth(3).build(), PageListener.NONE);

      assertThat(server.requests()).hasSize(1);
      assertThat(run.report.rejections()).containsEntry(Rejection.NOFOLLOW, 2L);
    }
  }

  @Test
  void aHandlerOffersUrlsAndTheRewriterAndFilterApplyToThem() throws IOException {
    Function<String, byte[]> site =
        path(
            p ->
                switch (p) {
                  case "/" ->
                      page("<div data-href=\"/hidden\"></div><a href=\"/a?utm_source=x\">a</a>");
                  default -> page("");
                });
    try (RawHttpServer server = RawHttpServer.start(loopback(), site)) {
      String root = root(server);
      PageListener handler =
          PageListener.of(
              (page, offers) ->
                  page.parsed()
                      .ifPresent(
                          parsed -> {
                            parsed
                                .document()
                                .select("[data-href]")
                                .forEach(e -> offers.offer(e.attr("data-href")));
                            offers.offer("/private/x");
                          }));
      CrawlConfig config =
          config(root)
              .maxDepth(3)
              .urlRewriter(UrlRewriter.stripParams(List.of("utm_*")))
              .urlFilter(url -> !url.contains("/private/"))
              .build();

      CrawlReportAndPages run = crawlWithReport(config, handler);

      assertThat(run.pages)
          .extracting(PageResult::url)
          .containsExactlyInAnyOrder(root, root + "a", root + "hidden");
      // /hidden and /a each offer /private/x once more; the filter refuses all three.
      assertThat(run.report.rejections()).containsEntry(Rejection.FILTERED, 3L);
      assertThat(run.report.fetched()).isEqualTo(3);
    }
  }

  @Test
  void stopFinishesTheRequestInFlightAndReportsTheQueueAsPending() throws IOException {
    CountDownLatch release = new CountDownLatch(1);
    Function<String, byte[]> site =
        path(
            p -> {
              if (p.equals("/")) {
                return page("<a href=/p1>1</a><a href=/p2>2</a><a href=/p3>3</a><a href=/p4>4</a>");
              }
              if (p.equals("/p1")) {
                try {
                  release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return page("");
            });
    try (RawHttpServer server = RawHttpServer.start(loopback(), site)) {
      CrawlConfig config =
          config(root(server)).maxDepth(3).concurrency(1).perHostConcurrency(1).build();
      Queue<PageResult> pages = new ConcurrentLinkedQueue<>();
      RunningCrawl run = crawler().start(config, pages::add);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                return server.requests().stream().anyMatch(r -> r.startsWith("GET /p1 "));
              });

      run.stop();
      release.countDown();
      CrawlReport report = assertTimeoutPreemptively(Duration.ofSeconds(30), run::await);

      assertThat(pages)
          .extracting(PageResult::url)
          .containsExactlyInAnyOrder(root(server), root(server) + "p1");
      assertThat(report.fetched()).isEqualTo(2);
      assertThat(report.pending()).isEqualTo(3);
      assertThat(report.cancelled()).isTrue();
      assertThat(report.balanced()).isTrue();
    }
  }

  private record CrawlReportAndPages(CrawlReport report, Queue<PageResult> pages) {}

  private Queue<PageResult> crawl(CrawlConfig config, PageListener listener) {
    return crawlWithReport(config, listener).pages;
  }

  private CrawlReportAndPages crawlWithReport(CrawlConfig config, PageListener listener) {
    Queue<PageResult> pages = new ConcurrentLinkedQueue<>();
    CrawlReport report =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> crawler().crawl(config, ((PageListener) pages::add).andThen(listener)));
    assertThat(report.balanced()).as("report adds up: %s", report).isTrue();
    return new CrawlReportAndPages(report, pages);
  }

  private static CrawlConfig.Builder config(String seed) {
    return CrawlConfig.builder()
        .seed(seed)
        .robots(false)
        .maxDepth(0)
        .retry(RetryPolicy.NONE)
        .requestTimeout(Duration.ofSeconds(10));
  }

  private static String root(RawHttpServer server) {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  /** A responder by request path. */
  private static Function<String, byte[]> path(Function<String, byte[]> byPath) {
    return head -> byPath.apply(head.split(" ", 3)[1]);
  }

  private static byte[] page(String html) {
    byte[] body = ("<html><body>" + html + "</body></html>").getBytes(StandardCharsets.UTF_8);
    return RawHttpServer.response(
        // The raw server serves one request per connection: say so, or a client reuses it.
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: "
            + body.length,
        body);
  }

  private static InetAddress loopback() {
    return InetAddress.getLoopbackAddress();
  }
}
