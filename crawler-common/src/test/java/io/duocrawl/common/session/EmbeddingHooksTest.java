package io.duocrawl.common.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Offers;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.fetch.RequestOptions;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.url.UrlFilter;
import io.duocrawl.common.url.UrlRewriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The embedding hooks as the session applies them, for every engine alike: URL rewriters and
 * filters, handlers that offer URLs, X-Robots-Tag, response headers in the result, request options
 * on each request, and the graceful stop.
 */
class EmbeddingHooksTest {
  private static final String ROOT = "http://site.test/";

  private final FakeWeb web = new FakeWeb();
  private final List<PageResult> results = new CopyOnWriteArrayList<>();

  private CrawlConfig.Builder config() {
    return CrawlConfig.builder().seed(ROOT).robots(false);
  }

  private CrawlSession open(CrawlConfig config, PageListener listener) {
    return CrawlSession.open(
        "test",
        config,
        ((PageListener) results::add).andThen(listener),
        Frontier.inMemory(config, web.now::get),
        web.now::get);
  }

  private CrawlReport crawl(CrawlConfig config, PageListener listener) {
    CrawlSession session = open(config, listener);
    web.crawl(session);
    CrawlReport report = session.finish();
    assertThat(report.balanced()).as("report adds up: %s", report).isTrue();
    assertThat(results).hasSize((int) (report.accepted() - report.pending()));
    return report;
  }

  @Test
  void strippedTrackingParametersMakeOnePageOfTwoSpellings() {
    web.page(ROOT, "/a?utm_source=x&id=1", "/a?id=1&utm_medium=y", "/b;jsessionid=42")
        .page(ROOT + "a?id=1")
        .page(ROOT + "b");

    CrawlReport report =
        crawl(
            config().urlRewriter(UrlRewriter.stripParams(List.of("utm_*", "jsessionid"))).build(),
            PageListener.NONE);

    assertThat(web.requested).containsExactly(ROOT, ROOT + "a?id=1", ROOT + "b");
    assertThat(report.rejections()).containsEntry(Rejection.DUPLICATE, 1L);
  }

  @Test
  void aFilterRefusalIsCountedAsFilteredAndNotFetched() {
    web.page(ROOT, "/keep", "/drop.pdf", "/calendar/2024").page(ROOT + "keep");
    UrlFilter noPdf = url -> !url.endsWith(".pdf");

    CrawlReport report =
        crawl(
            config()
                .urlFilter(noPdf.and(UrlFilter.excluding(Pattern.compile("/calendar/"))))
                .build(),
            PageListener.NONE);

    assertThat(web.requested).containsExactly(ROOT, ROOT + "keep");
    assertThat(report.rejections()).containsEntry(Rejection.FILTERED, 2L);
  }

  @Test
  void aFilterThatThrowsRefusesTheUrlAndTheCrawlGoesOn() {
    web.page(ROOT, "/boom", "/ok").page(ROOT + "ok");
    UrlFilter broken =
        url -> {
          if (url.endsWith("boom")) {
            throw new IllegalStateException("bug");
          }
          return true;
        };

    CrawlReport report = crawl(config().urlFilter(broken).build(), PageListener.NONE);

    assertThat(web.requested).containsExactly(ROOT, ROOT + "ok");
    assertThat(report.rejections()).containsEntry(Rejection.FILTERED, 1L);
  }

  @Test
  void aHandlerOffersUrlsFoundInDataAttributesWithTheAccountingOfLinks() {
    web.html(ROOT, "<title>r</title><div data-href=\"/item/1\"></div><a href=/a>a</a>")
        .page(ROOT + "a")
        .page(ROOT + "item/1");
    List<Optional<Rejection>> answers = new CopyOnWriteArrayList<>();
    PageListener handler =
        PageListener.of(
            (page, offers) -> {
              if (page.url().equals(ROOT)) {
                answers.add(offers.offer("/item/1"));
                answers.add(offers.offer("/a")); // already a link of the page
                answers.add(offers.offer("http://elsewhere.test/")); // out of scope
                answers.add(offers.offer("mailto:x@y"));
              }
            });

    CrawlReport report = crawl(config().build(), handler);

    assertThat(answers)
        .containsExactly(
            Optional.empty(),
            Optional.of(Rejection.DUPLICATE),
            Optional.of(Rejection.OUT_OF_SCOPE),
            Optional.of(Rejection.UNSUPPORTED_SCHEME));
    assertThat(web.requested).containsExactlyInAnyOrder(ROOT, ROOT + "a", ROOT + "item/1");
    assertThat(results)
        .filteredOn(r -> r.url().equals(ROOT + "item/1"))
        .singleElement()
        .satisfies(r -> assertThat(r.depth()).isEqualTo(1));
    assertThat(report.rejections())
        .containsEntry(Rejection.DUPLICATE, 1L)
        .containsEntry(Rejection.OUT_OF_SCOPE, 1L)
        .containsEntry(Rejection.UNSUPPORTED_SCHEME, 1L);
  }

  @Test
  void offeredUrlsObeyMaxDepth() {
    web.page(ROOT);
    AtomicReference<Optional<Rejection>> answer = new AtomicReference<>();
    CrawlReport report =
        crawl(
            config().maxDepth(0).build(),
            PageListener.of((page, offers) -> answer.set(offers.offer("/deeper"))));

    assertThat(answer.get()).contains(Rejection.MAX_DEPTH);
    assertThat(report.rejections()).containsEntry(Rejection.MAX_DEPTH, 1L);
  }

  @Test
  void aHandlerThatThrowsWhileOfferingKeepsWhatItOfferedAndTheReportAddsUp() {
    web.page(ROOT).page(ROOT + "x").page(ROOT + "y");
    PageListener handler =
        PageListener.of(
            (page, offers) -> {
              if (page.url().equals(ROOT)) {
                offers.offer("/x");
                offers.offer("/y");
                throw new IllegalStateException("scraper bug");
              }
            });

    CrawlReport report = crawl(config().build(), handler);

    assertThat(web.requested).containsExactlyInAnyOrder(ROOT, ROOT + "x", ROOT + "y");
    assertThat(report.listenerFailures()).isEqualTo(1);
    assertThat(report.fetched()).isEqualTo(3);
  }

  @Test
  void offersAreClosedOnceTheHandlerReturns() {
    web.page(ROOT);
    AtomicReference<Offers> kept = new AtomicReference<>();

    crawl(config().build(), PageListener.of((page, offers) -> kept.set(offers)));

    assertThatThrownBy(() -> kept.get().offer("/late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/late");
  }

  @Test
  void xRobotsTagNofollowKeepsTheLinksOutLikeMetaRobots() {
    byte[] body = "<a href=/a>a</a><a href=/b>b</a>".getBytes(StandardCharsets.UTF_8);
    web.respond(
        ROOT,
        attempt ->
            FetchResponse.of(
                200,
                FakeWeb.headers("Content-Type", "text/html", "X-Robots-Tag", "noindex, nofollow"),
                body,
                body.length));

    CrawlReport report = crawl(config().build(), PageListener.NONE);

    assertThat(web.requested).containsExactly(ROOT);
    assertThat(report.rejections()).containsEntry(Rejection.NOFOLLOW, 2L);
    assertThat(results.get(0).parsed().orElseThrow().noindex()).isTrue();
    assertThat(results.get(0).linksFound()).isEqualTo(2);
  }

  @Test
  void xRobotsTagForAnotherAgentIsIgnored() {
    byte[] body = "<a href=/a>a</a>".getBytes(StandardCharsets.UTF_8);
    web.respond(
            ROOT,
            attempt ->
                FetchResponse.of(
                    200,
                    FakeWeb.headers("Content-Type", "text/html", "X-Robots-Tag", "otherbot: none"),
                    body,
                    body.length))
        .page(ROOT + "a");

    crawl(config().build(), PageListener.NONE);

    assertThat(web.requested).containsExactly(ROOT, ROOT + "a");
  }

  @Test
  void theResultCarriesTheResponseHeadersWithEtagAndLastModified() {
    byte[] body = "<title>t</title>".getBytes(StandardCharsets.UTF_8);
    web.respond(
        ROOT,
        attempt ->
            FetchResponse.of(
                200,
                FakeWeb.headers(
                    "Content-Type",
                    "text/html",
                    "ETag",
                    "\"v1\"",
                    "Last-Modified",
                    "Tue, 01 Dec 2026 10:00:00 GMT",
                    "X-Custom",
                    "yes"),
                body,
                body.length));

    crawl(config().build(), PageListener.NONE);

    PageResult page = results.get(0);
    assertThat(page.etag()).contains("\"v1\"");
    assertThat(page.lastModified()).contains("Tue, 01 Dec 2026 10:00:00 GMT");
    assertThat(page.header("x-custom")).contains("yes");
  }

  @Test
  void everyRequestCarriesTheCrawlsHeadersCookiesAuthorizationAndPerRequestOnes() {
    RequestOptions options =
        RequestOptions.NONE
            .withHeader("Accept-Language", "en")
            .withCookie("consent", "yes")
            .withCookie("theme", "dark")
            .withBearerToken("t0k")
            .withPerRequest(
                url ->
                    url.endsWith("/api")
                        ? List.of(Map.entry("Accept", "application/json"))
                        : List.of());
    CrawlSession session =
        open(config().seed(ROOT + "api").request(options).build(), PageListener.NONE);

    FetchRequest first = session.next().orElseThrow();
    FetchRequest second = session.next().orElseThrow();

    assertThat(first.headers())
        .containsExactly(
            Map.entry("Accept-Language", "en"),
            Map.entry("Cookie", "consent=yes; theme=dark"),
            Map.entry("Authorization", "Bearer t0k"));
    assertThat(second.headers()).endsWith(Map.entry("Accept", "application/json"));
  }

  @Test
  void headersTheEngineOwnsCannotBeSet() {
    assertThatThrownBy(() -> RequestOptions.NONE.withHeader("User-Agent", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("User-Agent");
    assertThatThrownBy(() -> RequestOptions.NONE.withHeader("X-A", "a\r\nInjected: 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RequestOptions.NONE.withBasicAuth("user", "pass").authorization())
        .contains("Basic dXNlcjpwYXNz");
  }

  @Test
  void stopFinishesWhatIsInFlightAndReportsTheQueueAsPending() {
    web.page(ROOT, "/a", "/b", "/c").page(ROOT + "a").page(ROOT + "b").page(ROOT + "c");
    CrawlSession session = open(config().build(), PageListener.NONE);
    FetchRequest root = session.next().orElseThrow();
    session.complete(root, web.fetch(root));
    FetchRequest a = session.next().orElseThrow();

    session.stop();

    assertThat(session.next()).isEmpty();
    assertThat(session.isDone()).isFalse();
    assertThat(session.nanosUntilReady()).isEmpty();
    session.complete(a, web.fetch(a));
    assertThat(session.isDone()).isTrue();
    CrawlReport report = session.finish();
    assertThat(report.fetched()).isEqualTo(2);
    assertThat(report.pending()).isEqualTo(2);
    assertThat(report.cancelled()).isTrue();
    assertThat(report.balanced()).isTrue();
    assertThat(results).extracting(PageResult::reason).containsOnly(Reason.OK);
  }
}
