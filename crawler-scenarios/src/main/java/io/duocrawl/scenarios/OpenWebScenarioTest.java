package io.duocrawl.scenarios;

import static io.duocrawl.scenarios.LoopbackHost.html;
import static io.duocrawl.scenarios.LoopbackHost.respond;
import static io.duocrawl.scenarios.LoopbackHost.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.Outcome;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.ScopeMode;
import io.duocrawl.common.report.CrawlReport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The open web's failure modes, written once for every engine: several hosts on distinct loopback
 * addresses (127.0.0.2, 127.0.0.3, …), each a {@link LoopbackHost} scripted to misbehave as real
 * hosts do — seeds that redirect to another host, robots.txt that fails, is huge or redirects, a
 * host that accepts connections and never answers, servers that ask to slow down, and a page budget
 * that should cost no robots.txt fetch for hosts it refuses.
 *
 * <p>Subclass it and return the engine from {@link #crawler()}. Every scenario checks the
 * accounting: {@code report.balanced()}, one {@link PageResult} with a reason per URL. Timing is
 * only a generous upper bound that detects a hang and lower bounds read from the hosts' request
 * logs.
 */
public abstract class OpenWebScenarioTest {
  /** Upper bound of any crawl here: only a hang reaches it. */
  private static final Duration CRAWL_LIMIT = Duration.ofSeconds(60);

  /** Arrival at the server may lag the dispatch on a loaded machine; see CrawlerScenarioTest. */
  private static final Duration GAP_SLACK = Duration.ofMillis(150);

  private final List<LoopbackHost> hosts = new ArrayList<>();

  /** The engine under test. */
  protected abstract Crawler crawler();

  @AfterEach
  void closeHosts() throws IOException {
    for (LoopbackHost host : hosts) {
      host.close();
    }
  }

  private LoopbackHost host(int n, LoopbackHost.Script script) throws IOException {
    LoopbackHost host = LoopbackHost.start("127.0.0." + n, script);
    hosts.add(host);
    return host;
  }

  /** Quick retries and timeouts so that failure modes play out in seconds. */
  private static CrawlConfig.Builder config(String... seeds) {
    return CrawlConfig.builder()
        .seeds(List.of(seeds))
        .concurrency(8)
        .perHostConcurrency(2)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofMillis(500))
        .requestTimeout(Duration.ofSeconds(2))
        .retry(
            new RetryPolicy(
                2,
                Duration.ofMillis(50),
                Duration.ofMillis(200),
                2.0,
                Set.of(429, 500, 502, 503, 504),
                true,
                Duration.ofSeconds(5)));
  }

  @Test
  void aSeedRedirectingToAnotherHostIsCrawledThere() throws IOException {
    LoopbackHost www =
        host(
            3,
            (path, hit) ->
                switch (path) {
                  case "/" -> html("/a", "/b");
                  case "/a", "/b" -> html("/");
                  default -> status(404);
                });
    LoopbackHost apex = host(2, (path, hit) -> status(301, "Location", www.url(path)));

    Crawl crawl = crawl(config(apex.url("/")).build());

    assertThat(crawl.reasons())
        .containsEntry(apex.url("/"), Reason.REDIRECT)
        .containsEntry(www.url("/"), Reason.OK)
        .containsEntry(www.url("/a"), Reason.OK)
        .containsEntry(www.url("/b"), Reason.OK);
    assertThat(crawl.report().fetched()).isEqualTo(3);
    assertThat(crawl.result(apex.url("/")).detail())
        .endsWith("(seed redirect: its host joins the scope)");
  }

  @Test
  void robotsTxtAnswering503OnceIsRetriedAndItsRulesApply() throws IOException {
    LoopbackHost site =
        host(
            2,
            (path, hit) ->
                switch (path) {
                  case "/robots.txt" ->
                      hit == 0
                          ? status(503)
                          : respond(200, "text/plain", "User-agent: *\nDisallow: /private/\n");
                  case "/" -> html("/private/x", "/public");
                  default -> html();
                });

    Crawl crawl = crawl(config(site.url("/")).build());

    assertThat(site.hits("/robots.txt")).isEqualTo(2);
    assertThat(crawl.reasons())
        .containsEntry(site.url("/"), Reason.OK)
        .containsEntry(site.url("/public"), Reason.OK)
        .containsEntry(site.url("/private/x"), Reason.ROBOTS_DISALLOWED);
    assertThat(site.hits("/private/x")).isZero();
    assertThat(site.log().get(0).path()).as("robots.txt comes first").isEqualTo("/robots.txt");
    assertThat(site.log().get(1).path()).isEqualTo("/robots.txt");
  }

  @ParameterizedTest(name = "robots.txt {0}")
  @ValueSource(strings = {"503", "reset", "timeout"})
  void robotsTxtThatNeverAnswersFailsTheHostsUrlsAsUnavailableWithTheCause(String mode)
      throws IOException {
    LoopbackHost broken =
        host(
            2,
            (path, hit) ->
                !path.equals("/robots.txt")
                    ? html("/other")
                    : switch (mode) {
                      case "503" -> status(503);
                      case "reset" -> LoopbackHost.reset();
                      default -> LoopbackHost.silence();
                    });
    LoopbackHost fine = host(3, (path, hit) -> path.equals("/") ? html() : status(404));

    Crawl crawl = crawl(config(broken.url("/"), broken.url("/x"), fine.url("/")).build());

    assertThat(broken.pageHits()).as("no page of the host is fetched").isEmpty();
    assertThat(broken.hits("/robots.txt")).isEqualTo(3);
    assertThat(crawl.reasons())
        .containsEntry(broken.url("/"), Reason.ROBOTS_UNAVAILABLE)
        .containsEntry(broken.url("/x"), Reason.ROBOTS_UNAVAILABLE)
        .containsEntry(fine.url("/"), Reason.OK);
    String detail = crawl.result(broken.url("/")).detail();
    assertThat(detail).startsWith("robots.txt: ").endsWith("after 3 attempts");
    switch (mode) {
      case "503" -> assertThat(detail).isEqualTo("robots.txt: 503 after 3 attempts");
      case "reset" -> assertThat(detail).containsAnyOf("CONNECTION_RESET", "EMPTY_RESPONSE");
      default -> assertThat(detail).contains("TIMEOUT");
    }
  }

  @Test
  void robotsTxtLargerThan512KiBIsParsedUpToItsFirst500KiB() throws IOException {
    StringBuilder robots = new StringBuilder("User-agent: *\nDisallow: /private/\n");
    while (robots.length() < 600 * 1024) {
      robots.append("# padding padding padding padding padding padding padding padding\n");
    }
    String text = robots.toString();
    LoopbackHost site =
        host(
            2,
            (path, hit) ->
                switch (path) {
                  case "/robots.txt" -> respond(200, "text/plain", text);
                  case "/" -> html("/private/x", "/public");
                  default -> html();
                });

    Crawl crawl = crawl(config(site.url("/")).build());

    assertThat(crawl.reasons())
        .containsEntry(site.url("/private/x"), Reason.ROBOTS_DISALLOWED)
        .containsEntry(site.url("/public"), Reason.OK);
    assertThat(site.hits("/private/x")).isZero();
  }

  @Test
  void robotsTxtRedirectedToAnotherPathIsFollowed() throws IOException {
    LoopbackHost site =
        host(
            2,
            (path, hit) ->
                switch (path) {
                  case "/robots.txt" -> status(301, "Location", "/policies/robots.txt");
                  case "/policies/robots.txt" ->
                      respond(200, "text/plain", "User-agent: *\nDisallow: /private/\n");
                  case "/" -> html("/private/x", "/public");
                  default -> html();
                });

    Crawl crawl = crawl(config(site.url("/")).build());

    assertThat(site.hits("/policies/robots.txt")).isEqualTo(1);
    assertThat(crawl.reasons())
        .containsEntry(site.url("/private/x"), Reason.ROBOTS_DISALLOWED)
        .containsEntry(site.url("/public"), Reason.OK);
    assertThat(site.hits("/private/x")).isZero();
  }

  @Test
  void aHostThatAcceptsAndNeverAnswersIsGivenUpInBoundedTime() throws IOException {
    LoopbackHost dead =
        host(2, (path, hit) -> path.equals("/robots.txt") ? status(404) : LoopbackHost.silence());
    LoopbackHost live = host(3, (path, hit) -> path.equals("/") ? html("/a") : html());
    List<String> seeds = new ArrayList<>(List.of(live.url("/")));
    IntStream.range(0, 40).forEach(i -> seeds.add(dead.url("/p" + i)));

    // Without host health: 40 URLs × 3 attempts × 500 ms ÷ 2 per host = 30 s.
    Crawl crawl = crawl(config(seeds.toArray(String[]::new)).hostFailureThreshold(3).build());

    assertThat(crawl.reasons())
        .containsEntry(live.url("/"), Reason.OK)
        .containsEntry(live.url("/a"), Reason.OK);
    assertThat(dead.pageHits().size()).as("requests the dead host received").isLessThan(10);
    Map<Reason, Long> deadReasons =
        crawl.results().stream()
            .filter(r -> r.url().startsWith(dead.url("/")))
            .collect(Collectors.groupingBy(PageResult::reason, Collectors.counting()));
    assertThat(deadReasons.get(Reason.HOST_UNRESPONSIVE)).isGreaterThanOrEqualTo(30);
    assertThat(deadReasons.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(40);
    PageResult given = crawl.firstWith(Reason.HOST_UNRESPONSIVE);
    assertThat(given.detail()).contains("3 consecutive failures").contains("TIMEOUT");
  }

  @Test
  void retryAfterBeyondTheCapFailsTheUrlAndIsNotRetriedEarly() throws IOException {
    LoopbackHost site =
        host(
            2,
            (path, hit) ->
                switch (path) {
                  case "/robots.txt" -> status(404);
                  case "/" -> html("/busy");
                  case "/busy" -> status(503, "Retry-After", "3600");
                  default -> html();
                });

    Crawl crawl = crawl(config(site.url("/")).build());

    assertThat(crawl.result(site.url("/busy")).reason()).isEqualTo(Reason.RETRY_AFTER_TOO_LONG);
    assertThat(crawl.result(site.url("/busy")).detail()).contains("3600");
    assertThat(site.hits("/busy")).isEqualTo(1);
  }

  @Test
  void tooManyRequestsSlowsTheWholeHost() throws IOException {
    LoopbackHost site =
        host(
            2,
            (path, hit) ->
                switch (path) {
                  case "/robots.txt" -> status(404);
                  case "/" -> html("/limited", "/b", "/c", "/d", "/e");
                  case "/limited" -> hit == 0 ? status(429, "Retry-After", "1") : html();
                  default -> html();
                });

    Crawl crawl = crawl(config(site.url("/")).perHostConcurrency(1).concurrency(1).build());

    List<LoopbackHost.Hit> pages = site.pageHits();
    int limited = -1;
    for (int i = 0; i < pages.size(); i++) {
      if (pages.get(i).path().equals("/limited")) {
        limited = i;
        break;
      }
    }
    assertThat(limited).isNotNegative();
    long at429 = pages.get(limited).nanoTime();
    for (LoopbackHost.Hit later : pages.subList(limited + 1, pages.size())) {
      assertThat(Duration.ofNanos(later.nanoTime() - at429))
          .as("%s after the 429", later.path())
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1).minus(GAP_SLACK));
    }
    assertThat(crawl.report().fetched()).isEqualTo(6);
    assertThat(site.hits("/limited")).isEqualTo(2);
  }

  @Test
  void hostsTheBudgetRefusesCostNoRobotsFetch() throws IOException {
    List<LoopbackHost> others = new ArrayList<>();
    for (int n = 3; n <= 5; n++) {
      others.add(host(n, (path, hit) -> path.equals("/") ? html() : status(404)));
    }
    LoopbackHost first =
        host(
            2,
            (path, hit) ->
                path.equals("/")
                    ? html(others.stream().map(h -> h.url("/")).toArray(String[]::new))
                    : status(404));

    Crawl crawl = crawl(config(first.url("/")).scope(ScopeMode.ANY).maxPages(1).build());

    assertThat(crawl.report().accepted()).isEqualTo(1);
    assertThat(crawl.report().robotsFetches()).isEqualTo(1);
    for (LoopbackHost other : others) {
      assertThat(other.log()).as("requests to a host the budget refused").isEmpty();
    }
  }

  /** Runs a crawl to its end, failing (after cancelling it) if it outlives the limit. */
  private Crawl crawl(CrawlConfig config) {
    ConcurrentLinkedQueue<PageResult> results = new ConcurrentLinkedQueue<>();
    RunningCrawl run = crawler().start(config, results::add);
    CrawlReport report;
    try {
      report = run.completion().get(CRAWL_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      run.cancel();
      return fail("the crawl did not finish within " + CRAWL_LIMIT + ": " + run.progress());
    } catch (Exception e) {
      return fail("the crawl failed", e);
    }
    Crawl crawl = new Crawl(report, List.copyOf(results));
    crawl.assertAccounted();
    return crawl;
  }

  private record Crawl(CrawlReport report, List<PageResult> results) {
    Map<String, Reason> reasons() {
      return results.stream().collect(Collectors.toMap(PageResult::url, PageResult::reason));
    }

    PageResult result(String url) {
      return results.stream()
          .filter(r -> r.url().equals(url))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no result for " + url + " in " + results));
    }

    PageResult firstWith(Reason reason) {
      return results.stream().filter(r -> r.reason() == reason).findFirst().orElseThrow();
    }

    /** The report balances; one result per URL, each with a reason; counts match the report. */
    void assertAccounted() {
      assertThat(report.balanced()).as("balanced: %s", report).isTrue();
      assertThat(report.pending()).as("pending").isZero();
      List<String> urls = results.stream().map(PageResult::url).toList();
      assertThat(urls).as("one PageResult per URL").doesNotHaveDuplicates();
      assertThat((long) urls.size()).as("results").isEqualTo(report.accepted());
      assertThat(results).allSatisfy(r -> assertThat(r.reason()).isNotNull());
      Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
      results.forEach(r -> counts.merge(r.outcome(), 1L, Long::sum));
      assertThat(counts.getOrDefault(Outcome.FETCHED, 0L)).isEqualTo(report.fetched());
      assertThat(counts.getOrDefault(Outcome.FAILED, 0L)).isEqualTo(report.failed());
      assertThat(counts.getOrDefault(Outcome.SKIPPED, 0L)).isEqualTo(report.skipped());
    }
  }
}
