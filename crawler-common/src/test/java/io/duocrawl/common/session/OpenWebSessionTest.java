package io.duocrawl.common.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.ScopeMode;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.report.CrawlReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What the session does with the open web's failure modes: robots.txt per RFC 9309, hosts that stop
 * answering, servers that ask to slow down, seeds that redirect. On a fake clock: times are read
 * from the fake web's request log.
 */
class OpenWebSessionTest {
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

  private CrawlReport crawl(CrawlConfig config) {
    CrawlSession session =
        CrawlSession.open(
            "test", config, results::add, Frontier.inMemory(config, web.now::get), web.now::get);
    web.crawl(session);
    CrawlReport report = session.finish();
    assertThat(report.balanced()).as("balanced: %s", report).isTrue();
    assertThat(results).hasSize((int) report.accepted());
    assertThat(results.stream().map(PageResult::url).distinct()).hasSize(results.size());
    return report;
  }

  private Map<String, Reason> reasons() {
    return results.stream().collect(Collectors.toMap(PageResult::url, PageResult::reason));
  }

  private PageResult result(String url) {
    return results.stream().filter(r -> r.url().equals(url)).findFirst().orElseThrow();
  }

  private static FetchResponse robotsBody(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    return FetchResponse.of(200, FakeWeb.headers("text/plain"), body, body.length);
  }

  @Test
  void robotsTxtAnswering503OnceIsRetriedAndItsRulesApply() {
    web.respond(
            ROBOTS,
            attempt ->
                attempt == 0
                    ? FetchResponse.withoutBody(503, HeaderLookup.NONE)
                    : robotsBody("User-agent: *\nDisallow: /private/\n"))
        .page(ROOT, "/private/x", "/public")
        .page(ROOT + "public");

    crawl(config().build());

    assertThat(web.requested.subList(0, 2)).containsExactly(ROBOTS, ROBOTS);
    assertThat(web.requestedAt.get(1) - web.requestedAt.get(0))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(reasons())
        .containsEntry(ROOT, Reason.OK)
        .containsEntry(ROOT + "public", Reason.OK)
        .containsEntry(ROOT + "private/x", Reason.ROBOTS_DISALLOWED);
  }

  @Test
  void robotsTxtThatNeverAnswersFailsTheHostsUrlsAsUnavailableWithTheError() {
    web.respond(ROBOTS, attempt -> FetchResponse.error(FetchError.READ_TIMEOUT, "timeout"))
        .page(ROOT);

    CrawlReport report = crawl(config().build());

    assertThat(reasons()).containsEntry(ROOT, Reason.ROBOTS_UNAVAILABLE);
    assertThat(result(ROOT).detail())
        .isEqualTo("robots.txt: READ_TIMEOUT (timeout) after 3 attempts");
    assertThat(web.requested).containsExactly(ROBOTS, ROBOTS, ROBOTS);
    assertThat(report.count(Reason.ROBOTS_DISALLOWED)).isZero();
  }

  @Test
  void robotsTxtOfAnUnknownHostIsNotRetriedAndSaysUnknownHost() {
    web.respond(ROBOTS, attempt -> FetchResponse.error(FetchError.UNKNOWN_HOST, "site.test"))
        .page(ROOT);

    crawl(config().build());

    assertThat(result(ROOT).reason()).isEqualTo(Reason.ROBOTS_UNAVAILABLE);
    assertThat(result(ROOT).detail()).contains("UNKNOWN_HOST");
    assertThat(web.requested).containsExactly(ROBOTS);
  }

  @Test
  void robotsTxtRedirectsAreFollowedAcrossHostsUpToFiveHops() {
    web.status(ROBOTS, 301, "Location", "/robots-1.txt");
    for (int i = 1; i < 4; i++) {
      web.status(ROOT + "robots-" + i + ".txt", 301, "Location", "/robots-" + (i + 1) + ".txt");
    }
    web.status(ROOT + "robots-4.txt", 302, "Location", "http://cdn.test/robots.txt")
        .robots("http://cdn.test/robots.txt", "User-agent: *\nDisallow: /private/\n")
        .page(ROOT, "/private/x");

    crawl(config().build());

    assertThat(web.requested).contains("http://cdn.test/robots.txt");
    assertThat(reasons())
        .containsEntry(ROOT, Reason.OK)
        .containsEntry(ROOT + "private/x", Reason.ROBOTS_DISALLOWED);
  }

  @Test
  void robotsTxtPastFiveRedirectsMeansNoRules() {
    web.status(ROBOTS, 301, "Location", "/r0");
    for (int i = 0; i < 10; i++) {
      web.status(ROOT + "r" + i, 301, "Location", "/r" + (i + 1));
    }
    web.page(ROOT);

    crawl(config().build());

    assertThat(reasons()).containsEntry(ROOT, Reason.OK);
    assertThat(web.requested).contains(ROOT + "r4").doesNotContain(ROOT + "r5");
  }

  @Test
  void robotsTxtLargerThanTheLimitIsParsedUpToItsFirst500KiB() {
    StringBuilder text = new StringBuilder("User-agent: *\nDisallow: /private/\n");
    while (text.length() < 600 * 1024) {
      text.append("# padding padding padding padding padding padding padding padding\n");
    }
    text.append("Disallow: /late/\n");
    web.respond(ROBOTS, attempt -> robotsBody(text.toString()))
        .page(ROOT, "/private/x", "/late/y")
        .page(ROOT + "late/y");

    crawl(config().build());

    assertThat(reasons())
        .containsEntry(ROOT + "private/x", Reason.ROBOTS_DISALLOWED)
        .containsEntry(ROOT + "late/y", Reason.OK);
  }

  @Test
  void robotsRulesOlderThanRobotsMaxAgeAreFetchedAgain() {
    web.robots(ROBOTS, "User-agent: *\nAllow: /\n").page(ROOT, "/a").page(ROOT + "a");
    web.respond(
        ROOT,
        attempt -> {
          web.now.addAndGet(Duration.ofMinutes(2).toNanos()); // the page takes two minutes
          byte[] body = "<a href=/a>a</a>".getBytes(StandardCharsets.UTF_8);
          return FetchResponse.of(200, FakeWeb.headers("text/html"), body, body.length);
        });

    crawl(config().robotsMaxAge(Duration.ofMinutes(1)).build());

    assertThat(web.requested).containsExactly(ROBOTS, ROOT, ROBOTS, ROOT + "a");
    assertThat(reasons()).containsEntry(ROOT + "a", Reason.OK);
  }

  @Test
  void hostsWhoseUrlsTheBudgetRefusesCostNoRobotsFetch() {
    web.page(ROOT, "http://other-1.test/", "http://other-2.test/", "/a").page(ROOT + "a");

    CrawlReport report = crawl(config().scope(ScopeMode.ANY).maxPages(1).build());

    assertThat(web.requested).containsExactly(ROBOTS, ROOT);
    assertThat(report.robotsFetches()).isEqualTo(1);
    assertThat(report.count(Rejection.MAX_PAGES)).isEqualTo(3);
  }

  @Test
  void aHostThatStopsAnsweringIsGivenUpAfterTheThresholdAndItsOtherUrlsFailFast() {
    String[] links =
        IntStream.range(0, 40).mapToObj(i -> "http://dead.test/p" + i).toArray(String[]::new);
    web.page(ROOT, links);
    for (String link : links) {
      web.respond(link, attempt -> FetchResponse.error(FetchError.READ_TIMEOUT, "timeout"));
    }

    CrawlReport report =
        crawl(config().robots(false).scope(ScopeMode.ANY).hostFailureThreshold(3).build());

    long tried = web.requested.stream().filter(u -> u.startsWith("http://dead.test/")).count();
    assertThat(tried).isEqualTo(3);
    assertThat(report.count(Reason.HOST_UNRESPONSIVE)).isGreaterThanOrEqualTo(37);
    PageResult skipped =
        results.stream().filter(r -> r.reason() == Reason.HOST_UNRESPONSIVE).findFirst().get();
    assertThat(skipped.detail()).contains("3 consecutive failures").contains("READ_TIMEOUT");
  }

  @Test
  void aResponseResetsTheCountOfConsecutiveFailures() {
    web.page(ROOT, "/a", "/b", "/c", "/d")
        .respond(ROOT + "a", attempt -> FetchResponse.error(FetchError.CONNECT_TIMEOUT, "t"))
        .page(ROOT + "b")
        .respond(ROOT + "c", attempt -> FetchResponse.error(FetchError.CONNECT_TIMEOUT, "t"))
        .page(ROOT + "d");

    crawl(config().robots(false).retry(RetryPolicy.NONE).hostFailureThreshold(2).build());

    assertThat(reasons())
        .containsEntry(ROOT + "a", Reason.CONNECT_TIMEOUT)
        .containsEntry(ROOT + "c", Reason.CONNECT_TIMEOUT)
        .containsEntry(ROOT + "d", Reason.OK);
  }

  @Test
  void retryAfterLongerThanTheCapFailsTheUrlInsteadOfRetryingEarly() {
    web.status(ROOT, 503, "Retry-After", "3600");

    crawl(config().robots(false).build());

    assertThat(result(ROOT).reason()).isEqualTo(Reason.RETRY_AFTER_TOO_LONG);
    assertThat(result(ROOT).detail()).contains("3600").contains("PT30S");
    assertThat(web.requested).containsExactly(ROOT);
  }

  @Test
  void tooManyRequestsHoldsTheWholeHostNotOnlyThatUrl() {
    web.page(ROOT, "/a", "/b")
        .respond(
            ROOT + "a",
            attempt ->
                attempt == 0
                    ? FetchResponse.withoutBody(429, FakeWeb.headers("Retry-After", "7"))
                    : FetchResponse.of(200, FakeWeb.headers("text/html"), new byte[0], 0))
        .page(ROOT + "b");

    crawl(config().robots(false).build());

    int a = web.requested.indexOf(ROOT + "a");
    int b = web.requested.indexOf(ROOT + "b");
    assertThat(b).isGreaterThan(a);
    assertThat(web.requestedAt.get(b) - web.requestedAt.get(a))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(7).toNanos());
    assertThat(reasons()).containsEntry(ROOT + "a", Reason.OK).containsEntry(ROOT + "b", Reason.OK);
  }

  @Test
  void aSeedsRedirectTargetJoinsTheHostScope() {
    web.status(ROOT, 301, "Location", "https://www.site.test/")
        .robots("https://www.site.test/robots.txt", "User-agent: *\nAllow: /\n")
        .page("https://www.site.test/", "/a", "http://elsewhere.test/")
        .page("https://www.site.test/a");

    CrawlReport report = crawl(config().build());

    assertThat(reasons())
        .containsEntry(ROOT, Reason.REDIRECT)
        .containsEntry("https://www.site.test/", Reason.OK)
        .containsEntry("https://www.site.test/a", Reason.OK);
    assertThat(report.count(Rejection.OUT_OF_SCOPE)).isEqualTo(1);
    assertThat(result(ROOT).detail())
        .isEqualTo("-> https://www.site.test/ (seed redirect: its host joins the scope)");
  }

  @Test
  void aSeedsRedirectToAnotherDomainJoinsTheDomainScopeWithItsSubdomains() {
    web.status(ROOT, 301, "Location", "https://www.brand.test/")
        .page("https://www.brand.test/", "https://shop.brand.test/", "http://elsewhere.test/")
        .page("https://shop.brand.test/");

    CrawlReport report = crawl(config().robots(false).scope(ScopeMode.DOMAIN).build());

    assertThat(reasons())
        .containsEntry("https://www.brand.test/", Reason.OK)
        .containsEntry("https://shop.brand.test/", Reason.OK);
    assertThat(report.count(Rejection.OUT_OF_SCOPE)).isEqualTo(1);
  }

  @Test
  void refetchForAHostFetchesItsRobotsTxtAgainBeforeItsNextPage() {
    CrawlConfig config = config().build();
    Frontier frontier = Frontier.inMemory(config, web.now::get);
    RobotsRegistry robots =
        new RobotsRegistry(
            config,
            frontier,
            web.now::get,
            io.duocrawl.common.report.CrawlStats.start("test", 1, web.now::get),
            io.duocrawl.common.url.UrlNormalizer.create());

    robots.refetch("site.test:80", ROOT);

    assertThat(robots.idle()).isFalse();
    FetchRequest fetch = robots.next().orElseThrow();
    assertThat(fetch.url()).isEqualTo(ROBOTS);
    frontier.offer(io.duocrawl.common.frontier.CrawlRequest.of(ROOT, "site.test:80", 0));
    assertThat(frontier.poll()).as("the host waits for its rules").isEmpty();
    robots.complete(fetch, robotsBody("User-agent: *\nDisallow: /\n"));
    assertThat(robots.idle()).isTrue();
    assertThat(robots.check(frontier.poll().orElseThrow()))
        .isEqualTo(RobotsRegistry.Verdict.DISALLOW);
  }

  @Test
  void aRedirectOfALinkedPageDoesNotWidenTheScope() {
    web.page(ROOT, "/go").status(ROOT + "go", 301, "Location", "http://elsewhere.test/");

    CrawlReport report = crawl(config().robots(false).build());

    assertThat(reasons()).containsEntry(ROOT + "go", Reason.REDIRECT);
    assertThat(reasons()).doesNotContainKey("http://elsewhere.test/");
    assertThat(report.count(Rejection.OUT_OF_SCOPE)).isEqualTo(1);
  }
}
