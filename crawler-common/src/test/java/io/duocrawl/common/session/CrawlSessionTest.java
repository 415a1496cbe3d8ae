package io.duocrawl.common.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Outcome;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.report.CrawlReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CrawlSessionTest {
  private static final String ROOT = "http://site.test/";
  private static final String ROBOTS = "http://site.test/robots.txt";

  private final FakeWeb web = new FakeWeb();
  private final List<PageResult> results = new CopyOnWriteArrayList<>();

  private CrawlConfig.Builder config() {
    return CrawlConfig.builder()
        .seed(ROOT)
        .retry(
            new RetryPolicy(
                2,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                2.0,
                Set.of(429, 500, 503),
                true,
                Duration.ofSeconds(30)));
  }

  private CrawlSession open(CrawlConfig config) {
    return CrawlSession.open(
        "test", config, results::add, Frontier.inMemory(config, web.now::get), web.now::get);
  }

  private CrawlReport crawl(CrawlConfig config) {
    CrawlSession session = open(config);
    web.crawl(session);
    CrawlReport report = session.finish();
    assertThat(report.balanced()).as("accepted = sum of outcomes + pending: %s", report).isTrue();
    assertThat(results).hasSize((int) (report.accepted() - report.pending()));
    return report;
  }

  private Map<String, Reason> reasons() {
    return results.stream().collect(Collectors.toMap(PageResult::url, PageResult::reason));
  }

  @Test
  void robotsTxtIsFetchedBeforeAnyPageOfItsHost() {
    web.robots(ROBOTS, "User-agent: *\nAllow: /\n").page(ROOT, "/a").page(ROOT + "a");

    crawl(config().build());

    assertThat(web.requested).containsExactly(ROBOTS, ROOT, ROOT + "a");
  }

  @Test
  void wholeSiteIsFetchedAndLinksAreDeduplicated() {
    web.page(ROOT, "/a", "/b", "/a#top", "HTTP://SITE.test:80/b")
        .page(ROOT + "a", "/b", "/")
        .page(ROOT + "b", "a");

    CrawlReport report = crawl(config().robots(false).build());

    assertThat(report.fetched()).isEqualTo(3);
    assertThat(report.accepted()).isEqualTo(3);
    assertThat(report.count(Rejection.DUPLICATE)).isEqualTo(5);
    assertThat(web.requested).containsExactlyInAnyOrder(ROOT, ROOT + "a", ROOT + "b");
  }

  @Test
  void robotsDisallowedUrlIsSkippedWithoutBeingRequested() {
    web.robots(ROBOTS, "User-agent: *\nDisallow: /private/\n")
        .page(ROOT, "/private/x", "/public")
        .page(ROOT + "public");

    CrawlReport report = crawl(config().build());

    assertThat(reasons())
        .containsEntry(ROOT + "private/x", Reason.ROBOTS_DISALLOWED)
        .containsEntry(ROOT + "public", Reason.OK);
    assertThat(web.requested).doesNotContain(ROOT + "private/x");
    assertThat(report.robotsFetches()).isEqualTo(1);
  }

  @Test
  void unreachableRobotsTxtFailsTheHostsUrlsWithTheirOwnReason() {
    web.status(ROBOTS, 503).page(ROOT);

    crawl(config().build());

    assertThat(reasons()).containsEntry(ROOT, Reason.ROBOTS_UNAVAILABLE);
    assertThat(results.get(0).detail()).isEqualTo("robots.txt: 503 after 3 attempts");
    assertThat(web.requested).containsExactly(ROBOTS, ROBOTS, ROBOTS);
  }

  @Test
  void missingRobotsTxtAllowsEverything() {
    web.page(ROOT);

    crawl(config().build());

    assertThat(reasons()).containsEntry(ROOT, Reason.OK);
  }

  @Test
  void crawlDelayFromRobotsSpacesRequestsToTheHost() {
    web.robots(ROBOTS, "User-agent: *\nCrawl-delay: 2\n")
        .page(ROOT, "/a", "/b")
        .page(ROOT + "a")
        .page(ROOT + "b");

    crawl(config().build());

    List<Long> pageTimes = web.requestedAt.subList(1, web.requestedAt.size());
    assertThat(pageTimes).hasSize(3);
    for (int i = 1; i < pageTimes.size(); i++) {
      assertThat(pageTimes.get(i) - pageTimes.get(i - 1))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());
    }
  }

  @Test
  void crawlDelayIsCappedAtMaxCrawlDelay() {
    web.robots(ROBOTS, "User-agent: *\nCrawl-delay: 3600\n").page(ROOT, "/a").page(ROOT + "a");

    crawl(config().maxCrawlDelay(Duration.ofSeconds(5)).build());

    List<Long> t = web.requestedAt;
    assertThat(t.get(2) - t.get(1)).isEqualTo(Duration.ofSeconds(5).toNanos());
  }

  @Test
  void redirectIsFollowedThroughTheFrontierAndKeepsItsDepth() {
    web.status(ROOT, 301, "Location", "/home").page(ROOT + "home", "/deeper").page(ROOT + "deeper");

    CrawlReport report = crawl(config().robots(false).maxDepth(1).build());

    assertThat(report.redirected()).isEqualTo(1);
    assertThat(reasons())
        .containsEntry(ROOT, Reason.REDIRECT)
        .containsEntry(ROOT + "home", Reason.OK)
        .containsEntry(ROOT + "deeper", Reason.OK);
    PageResult redirect = results.stream().filter(r -> r.url().equals(ROOT)).findFirst().get();
    assertThat(redirect.finalUrl()).isEqualTo(ROOT + "home");
    PageResult home = results.stream().filter(r -> r.url().equals(ROOT + "home")).findFirst().get();
    assertThat(home.depth()).isZero();
  }

  @Test
  void redirectLoopEndsWithReasonRedirectLoop() {
    web.status(ROOT, 302, "Location", "/a")
        .status(ROOT + "a", 302, "Location", "/b")
        .status(ROOT + "b", 302, "Location", "/a");

    CrawlReport report = crawl(config().robots(false).build());

    assertThat(reasons()).containsEntry(ROOT + "b", Reason.REDIRECT_LOOP);
    assertThat(report.redirected()).isEqualTo(2);
    assertThat(report.failed()).isEqualTo(1);
  }

  @Test
  void redirectToItselfEndsWithReasonRedirectLoop() {
    web.status(ROOT, 302, "Location", ROOT + "#x");

    crawl(config().robots(false).build());

    assertThat(reasons()).containsEntry(ROOT, Reason.REDIRECT_LOOP);
  }

  @Test
  void longRedirectChainEndsWithTooManyRedirects() {
    web.status(ROOT, 301, "Location", "/1")
        .status(ROOT + "1", 301, "Location", "/2")
        .status(ROOT + "2", 301, "Location", "/3");

    crawl(config().robots(false).maxRedirects(2).build());

    assertThat(reasons()).containsEntry(ROOT + "2", Reason.TOO_MANY_REDIRECTS);
    assertThat(web.requested).doesNotContain(ROOT + "3");
  }

  @Test
  void redirectWithoutLocationFailsAsBadRedirect() {
    web.status(ROOT, 302);

    crawl(config().robots(false).build());

    assertThat(reasons()).containsEntry(ROOT, Reason.BAD_REDIRECT);
  }

  @Test
  void serverErrorIsRetriedWithBackoffThenFails() {
    web.status(ROOT, 500);

    CrawlReport report = crawl(config().robots(false).build());

    assertThat(web.requested).containsExactly(ROOT, ROOT, ROOT);
    assertThat(web.requestedAt.get(1) - web.requestedAt.get(0))
        .isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(web.requestedAt.get(2) - web.requestedAt.get(1))
        .isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(reasons()).containsEntry(ROOT, Reason.HTTP_SERVER_ERROR);
    assertThat(report.retries()).isEqualTo(2);
    assertThat(results.get(0).attempts()).isEqualTo(3);
  }

  @Test
  void tooManyRequestsHonoursRetryAfterThenSucceeds() {
    byte[] body = "<title>ok</title>".getBytes(StandardCharsets.UTF_8);
    web.respond(
        ROOT,
        attempt ->
            attempt == 0
                ? FetchResponse.withoutBody(429, FakeWeb.headers("Retry-After", "7"))
                : FetchResponse.of(200, FakeWeb.headers("text/html"), body, body.length));

    crawl(config().robots(false).build());

    assertThat(web.requestedAt.get(1) - web.requestedAt.get(0))
        .isEqualTo(Duration.ofSeconds(7).toNanos());
    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(Reason.OK);
              assertThat(r.attempts()).isEqualTo(2);
              assertThat(r.title()).isEqualTo("ok");
            });
  }

  @Test
  void connectionResetIsRetriedThenFailsWithItsReason() {
    web.respond(ROOT, attempt -> FetchResponse.error(FetchError.CONNECTION_RESET, "reset"));

    crawl(config().robots(false).build());

    assertThat(web.requested).hasSize(3);
    assertThat(reasons()).containsEntry(ROOT, Reason.CONNECTION_RESET);
  }

  @Test
  void unknownHostIsNotRetried() {
    web.respond(ROOT, attempt -> FetchResponse.error(FetchError.UNKNOWN_HOST, "nope"));

    crawl(config().robots(false).build());

    assertThat(web.requested).hasSize(1);
    assertThat(reasons()).containsEntry(ROOT, Reason.UNKNOWN_HOST);
  }

  @Test
  void notFoundFailsWithoutRetry() {
    web.page(ROOT, "/missing");

    crawl(config().robots(false).build());

    assertThat(reasons()).containsEntry(ROOT + "missing", Reason.NOT_FOUND);
    assertThat(web.requested).containsExactly(ROOT, ROOT + "missing");
  }

  @Test
  void oversizedBodyIsSkippedAsTooLarge() {
    web.respond(ROOT, attempt -> FetchResponse.tooLarge(200, FakeWeb.headers("text/html"), 11));

    CrawlReport report = crawl(config().robots(false).build());

    assertThat(reasons()).containsEntry(ROOT, Reason.TOO_LARGE);
    assertThat(report.skipped()).isEqualTo(1);
  }

  @Test
  void nonHtmlIsSkippedAsUnsupportedContentType() {
    web.page(ROOT, "/doc.pdf").status(ROOT + "doc.pdf", 200, "Content-Type", "application/pdf");

    crawl(config().robots(false).build());

    assertThat(reasons()).containsEntry(ROOT + "doc.pdf", Reason.UNSUPPORTED_CONTENT_TYPE);
  }

  @Test
  void bodyLimitAsksForHtmlBodiesOnly() {
    CrawlSession session = open(config().robots(false).maxBodyBytes(1234).build());
    FetchRequest page = session.next().orElseThrow();

    assertThat(session.bodyLimit(page, 200, FakeWeb.headers("text/html; charset=utf-8")))
        .isEqualTo(1234);
    assertThat(session.bodyLimit(page, 200, FakeWeb.headers("image/png"))).isZero();
    assertThat(session.bodyLimit(page, 301, FakeWeb.headers("text/html"))).isZero();
    assertThat(session.bodyLimit(page, 500, FakeWeb.headers("text/html"))).isZero();
  }

  @Test
  void linksDeeperThanMaxDepthAreRejected() {
    web.page(ROOT, "/1").page(ROOT + "1", "/2").page(ROOT + "2");

    CrawlReport report = crawl(config().robots(false).maxDepth(1).build());

    assertThat(web.requested).containsExactly(ROOT, ROOT + "1");
    assertThat(report.count(Rejection.MAX_DEPTH)).isEqualTo(1);
  }

  @Test
  void maxPagesCapsAcceptedUrls() {
    web.page(ROOT, "/1", "/2", "/3", "/4").page(ROOT + "1").page(ROOT + "2");

    CrawlReport report = crawl(config().robots(false).maxPages(3).build());

    assertThat(report.accepted()).isEqualTo(3);
    assertThat(report.count(Rejection.MAX_PAGES)).isEqualTo(2);
  }

  @Test
  void outOfScopeAndUnsupportedLinksAreCountedNotFollowed() {
    web.page(ROOT, "http://other.test/", "mailto:a@b.c", "javascript:void(0)", "http://[bad");

    CrawlReport report = crawl(config().robots(false).build());

    assertThat(report.count(Rejection.OUT_OF_SCOPE)).isEqualTo(1);
    assertThat(report.count(Rejection.UNSUPPORTED_SCHEME)).isEqualTo(2);
    assertThat(report.count(Rejection.MALFORMED)).isEqualTo(1);
    assertThat(web.requested).containsExactly(ROOT);
  }

  @Test
  void malformedSeedIsRejectedAndTheOthersAreCrawled() {
    web.page(ROOT);

    CrawlReport report = crawl(config().robots(false).seed("http://exa mple:99999/").build());

    assertThat(report.count(Rejection.MALFORMED)).isEqualTo(1);
    assertThat(reasons()).containsEntry(ROOT, Reason.OK);
  }

  @Test
  void aThrowingListenerDoesNotStopTheCrawl() {
    web.page(ROOT, "/a").page(ROOT + "a");
    CrawlConfig config = config().robots(false).build();
    CrawlSession session =
        CrawlSession.open(
            "test",
            config,
            page -> {
              throw new IllegalStateException("boom");
            },
            Frontier.inMemory(config, web.now::get),
            web.now::get);

    web.crawl(session);
    CrawlReport report = session.finish();

    assertThat(report.fetched()).isEqualTo(2);
    assertThat(report.balanced()).isTrue();
  }

  @Test
  void cancelLeavesUnfinishedUrlsPendingAndTheReportBalanced() {
    web.page(ROOT, "/a", "/b", "/c");
    CrawlSession session = open(config().robots(false).build());
    FetchRequest root = session.next().orElseThrow();
    session.complete(root, web.fetch(root));
    FetchRequest a = session.next().orElseThrow();

    session.cancel();
    session.complete(a, FetchResponse.error(FetchError.IO_ERROR, "Canceled"));
    CrawlReport report = session.finish();

    assertThat(session.isDone()).isTrue();
    assertThat(session.next()).isEmpty();
    assertThat(report.cancelled()).isTrue();
    assertThat(report.fetched()).isEqualTo(1);
    assertThat(report.pending()).isEqualTo(3);
    assertThat(report.balanced()).isTrue();
  }

  @Test
  void wakeIsCalledAfterEveryCompletionAndOnCancel() {
    web.page(ROOT);
    CrawlSession session = open(config().robots(false).build());
    ConcurrentHashMap<String, Integer> wakes = new ConcurrentHashMap<>();
    session.onWake(() -> wakes.merge("wake", 1, Integer::sum));

    FetchRequest root = session.next().orElseThrow();
    session.complete(root, web.fetch(root));
    session.cancel();

    assertThat(wakes).containsEntry("wake", 2);
  }

  @Test
  void finishTwiceIsAMistake() {
    CrawlSession session = open(config().robots(false).build());
    session.cancel();
    session.finish();

    assertThatThrownBy(session::finish).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void listenerSeesOutcomesConsistentWithTheReport() {
    web.page(ROOT, "/ok", "/gone", "/moved")
        .page(ROOT + "ok")
        .status(ROOT + "gone", 410)
        .status(ROOT + "moved", 301, "Location", "/ok");

    CrawlReport report = crawl(config().robots(false).build());

    Map<Outcome, Long> byOutcome =
        results.stream().collect(Collectors.groupingBy(PageResult::outcome, Collectors.counting()));
    assertThat(byOutcome)
        .containsEntry(Outcome.FETCHED, report.fetched())
        .containsEntry(Outcome.FAILED, report.failed())
        .containsEntry(Outcome.REDIRECTED, report.redirected());
    assertThat(Optional.ofNullable(byOutcome.get(Outcome.SKIPPED)).orElse(0L))
        .isEqualTo(report.skipped());
    Function<String, Reason> reason = reasons()::get;
    assertThat(reason.apply(ROOT + "gone")).isEqualTo(Reason.NOT_FOUND);
  }
}
