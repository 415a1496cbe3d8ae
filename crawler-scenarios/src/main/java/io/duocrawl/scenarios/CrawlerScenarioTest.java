package io.duocrawl.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.Outcome;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.fixtures.FaultKind;
import io.duocrawl.fixtures.FaultMix;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.GroundTruth;
import io.duocrawl.fixtures.LatencyModel;
import io.duocrawl.fixtures.RequestLogEntry;
import io.duocrawl.fixtures.Section;
import io.duocrawl.fixtures.SiteSpec;
import io.duocrawl.fixtures.junit.FixtureSiteExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every engine must show, written once: subclass it, return the engine from {@link
 * #crawler()}, and the whole suite runs against that engine. It uses only the public {@link
 * Crawler} API and the fixture site (its ground truth and request log), nothing of any engine.
 *
 * <p>Each scenario crawls a fixture site and compares what the engine reported (the report and one
 * {@link PageResult} per URL from the listener) with what the site says a correct crawler does.
 * Because every engine is held to the same ground truth, URL by URL, two engines that pass this
 * suite find the same pages, with the same outcomes and reasons: there is no separate "engines
 * agree" test because it would be implied.
 *
 * <p>Every scenario also checks the accounting: {@code report.balanced()}, each terminal URL
 * reported to the listener exactly once, and the listener's counts per outcome equal to the
 * report's.
 *
 * <p>Several scenarios look at different aspects of one crawl of the main site with the default
 * configuration, made once per test class (with its request log kept beside it), because a crawl of
 * the site takes over a second (a page answers 429 with {@code Retry-After: 1}).
 *
 * <p>Timing shows up only as lower bounds read from the fixture's request log (politeness gaps,
 * Retry-After) and as generous upper bounds that detect a hang (a crawl has a minute; {@code
 * cancel()} has two seconds); nothing here measures speed. The sites are small and mostly without
 * latency, so the suite takes seconds per engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CrawlerScenarioTest {
  /** Upper bound of any crawl here: only a hang reaches it. */
  private static final Duration CRAWL_LIMIT = Duration.ofSeconds(60);

  /** The body cap of every crawl here (the oversized pages are larger). */
  private static final long BODY_CAP = 64 * 1024;

  /**
   * The site logs when it receives a request, not when the crawler dispatched it; between the two
   * lie the client's and the server's threads, which a loaded machine (two cores shared with
   * builds) can hold up for tens of milliseconds. So two requests can arrive closer together than
   * they were dispatched, and gaps are checked against the delay less this slack. A crawler that
   * ignored the delay would show gaps near zero.
   */
  private static final Duration GAP_SLACK = Duration.ofMillis(150);

  /**
   * The politeness delays here: large against {@link #GAP_SLACK}, few requests to keep it quick.
   */
  private static final Duration DELAY = Duration.ofMillis(400);

  /** Every section but the calendar trap's content, every fault kind, no latency. */
  @RegisterExtension
  static final FixtureSiteExtension SITE =
      FixtureSiteExtension.of(
          SiteSpec.builder()
              .pages(300)
              .linksPerPage(6)
              .pageBytes(2048)
              .allSections()
              .oversizedBytes(300 * 1024)
              .faults(
                  FaultMix.none()
                      .with(FaultKind.HTTP_500, 2)
                      .with(FaultKind.HTTP_503, 2)
                      .with(FaultKind.CONNECTION_RESET, 2)
                      .with(FaultKind.EMPTY_RESPONSE, 2)
                      .with(FaultKind.MALFORMED_CHUNK, 2)
                      .with(FaultKind.DRIBBLE, 1)
                      .withDribble(3, Duration.ofMillis(300)))
              .build());

  /** A plain site where every response takes 40 ms, so that overlapping requests show. */
  @RegisterExtension
  static final FixtureSiteExtension SLOW_SITE =
      FixtureSiteExtension.of(
          SiteSpec.builder()
              .pages(120)
              .linksPerPage(4)
              .pageBytes(1024)
              .latency(LatencyModel.fixed(Duration.ofMillis(40)))
              .build());

  /** A site where a quarter of the pages dribble their body over 3 s. */
  @RegisterExtension
  static final FixtureSiteExtension DRIBBLE_SITE =
      FixtureSiteExtension.of(
          SiteSpec.builder()
              .pages(40)
              .linksPerPage(4)
              .pageBytes(1024)
              .faults(
                  FaultMix.none().with(FaultKind.DRIBBLE, 25).withDribble(3, Duration.ofSeconds(3)))
              .build());

  /** A site whose robots.txt asks for a crawl delay of 400 ms. */
  @RegisterExtension
  static final FixtureSiteExtension POLITE_SITE =
      FixtureSiteExtension.of(
          SiteSpec.builder()
              .pages(60)
              .linksPerPage(4)
              .pageBytes(1024)
              .with(Section.ROBOTS)
              .crawlDelay(DELAY)
              .build());

  /** The crawl of {@link #SITE} with the default configuration; see {@link #defaultCrawl()}. */
  private Crawl defaultCrawl;

  /** The engine under test; a new or shared instance, either works. */
  protected abstract Crawler crawler();

  // ---------------------------------------------------------------------------------------------
  // The whole site

  @ParameterizedTest(name = "at concurrency {0}")
  @ValueSource(ints = {1, 16, 256})
  void findsExactlyTheGroundTruthOfTheWholeSite(int concurrency) {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().build());

    Crawl crawl =
        concurrency == 16
            ? defaultCrawl()
            : crawl(configFor(site, truth.query()).concurrency(concurrency).build(), site);

    assertMatchesGroundTruth(crawl, truth, site);
    assertNoCrawlerThreadLeft();
  }

  @Test
  void aDepthLimitStopsAtThatDepthAndNeverRequestsDeeperPages() {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().maxDepth(2).build());

    Crawl crawl = crawl(configFor(site, truth.query()).build(), site);

    assertMatchesGroundTruth(crawl, truth, site);
    assertThat(truth.neverRequested()).containsValue(GroundTruth.TOO_DEEP);
    assertThat(crawl.results().stream().mapToInt(PageResult::depth).max()).hasValue(2);
  }

  @Test
  void aPageLimitAcceptsThatManyUrlsAndFetchesOnlyRealPages() {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().build());

    Crawl crawl = crawl(configFor(site, truth.query()).maxPages(40).build(), site);

    assertThat(crawl.report().accepted()).isEqualTo(40);
    assertThat(crawl.byOutcome(Outcome.FETCHED)).isSubsetOf(truth.fetched());
    assertThat(crawl.results()).hasSize(40);
    assertAccounted(crawl);
  }

  // ---------------------------------------------------------------------------------------------
  // Robots and politeness

  @Test
  void robotsDisallowedUrlsAreSkippedAndNeverRequested() {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().build());

    Crawl crawl = defaultCrawl();

    Set<String> disallowed = urlsWithReason(truth.neverRequested(), GroundTruth.ROBOTS_DISALLOWED);
    assertThat(disallowed).isNotEmpty().allMatch(url -> url.contains("/private/"));
    assertThat(requestedUrls(crawl, site)).doesNotContainAnyElementsOf(disallowed);
    assertThat(crawl.reasons()).containsAllEntriesOf(reasonsOf(truth.skipped()));
    assertThat(crawl.report().count(Reason.ROBOTS_DISALLOWED)).isPositive();
    assertAccounted(crawl);
  }

  @Test
  void withRobotsOffTheDisallowedSectionIsCrawled() {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().robotsEnabled(false).build());

    Crawl crawl = crawl(configFor(site, truth.query()).build(), site);

    assertMatchesGroundTruth(crawl, truth, site);
    assertThat(crawl.byOutcome(Outcome.FETCHED)).anyMatch(url -> url.contains("/private/"));
    assertThat(requestedPaths(crawl)).doesNotContain("/robots.txt");
  }

  @Test
  void theRobotsCrawlDelayIsObservedBetweenRequests() {
    FixtureSite site = POLITE_SITE.site();
    Duration crawlDelay = site.spec().crawlDelay();

    Crawl crawl =
        crawl(
            CrawlConfig.builder()
                .seed(site.rootUrl().toString())
                .concurrency(8)
                .perHostConcurrency(8)
                .maxPages(5)
                .build(),
            site);

    // Five URLs accepted: the root links to a disallowed page too, skipped without a request.
    assertThat(crawl.report().accepted()).isEqualTo(5);
    assertThat(crawl.report().fetched()).isGreaterThanOrEqualTo(3);
    List<RequestLogEntry> pages =
        crawl.requests().stream().filter(e -> !e.path().equals("/robots.txt")).toList();
    assertThat(pages).hasSize((int) crawl.report().fetched());
    assertThat(smallestGap(pages)).isGreaterThanOrEqualTo(crawlDelay.minus(GAP_SLACK));
    assertAccounted(crawl);
  }

  @Test
  void thePolitenessDelayIsObservedBetweenRequestsToOneHost() {
    FixtureSite site = SLOW_SITE.site();
    Duration delay = DELAY;

    Crawl crawl =
        crawl(
            CrawlConfig.builder()
                .seed(site.rootUrl().toString())
                .concurrency(8)
                .perHostConcurrency(8)
                .politenessDelay(delay)
                .maxPages(5)
                .build(),
            site);

    assertThat(crawl.report().fetched()).isEqualTo(5);
    List<RequestLogEntry> pages =
        crawl.requests().stream().filter(e -> !e.path().equals("/robots.txt")).toList();
    assertThat(pages).hasSize(5);
    assertThat(smallestGap(pages)).isGreaterThanOrEqualTo(delay.minus(GAP_SLACK));
    assertAccounted(crawl);
  }

  @Test
  void thePerHostInFlightCapIsNeverExceeded() {
    FixtureSite site = SLOW_SITE.site();
    Duration latency = Duration.ofMillis(40);
    int cap = 3;

    Crawl crawl =
        crawl(
            CrawlConfig.builder()
                .seed(site.rootUrl().toString())
                .robots(false)
                .concurrency(16)
                .perHostConcurrency(cap)
                .build(),
            site);

    assertThat(crawl.report().fetched()).isEqualTo(site.groundTruth().fetched().size());
    // The server holds every request for the latency, so a request it received at t occupies
    // [t, t + latency): the next request in the same slot can only arrive after that.
    int mostAtOnce = mostOverlapping(crawl.requests(), latency);
    assertThat(mostAtOnce).isLessThanOrEqualTo(cap).isGreaterThan(1);
    assertAccounted(crawl);
  }

  // ---------------------------------------------------------------------------------------------
  // Faults, redirects, retries, size

  @Test
  void everyFaultKindEndsInItsOutcomeAndReasonAndTheCrawlCompletes() {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().build());

    Crawl crawl = defaultCrawl();

    for (FaultKind kind : FaultKind.values()) {
      if (kind.failureReason().isEmpty()) {
        continue;
      }
      String expected = kind.failureReason().get();
      Set<String> urls = urlsWithReason(truth.failed(), expected);
      assertThat(urls).as("pages failing with %s in the ground truth", expected).isNotEmpty();
      for (String url : urls) {
        assertThat(crawl.result(url).outcome()).as(url).isEqualTo(Outcome.FAILED);
        assertThat(crawl.result(url).reason()).as(url).isEqualTo(reasonOf(expected));
      }
    }
    assertThat(crawl.report().cancelled()).isFalse();
    assertAccounted(crawl);
  }

  @Test
  void aBodyDribbledPastTheRequestTimeoutFailsWithRequestTimeout() {
    FixtureSite site = DRIBBLE_SITE.site();
    // The dribble takes 3 s; 1.5 s is too short for it and ample for every other page.
    // Without retries: a retried timeout would only take another 1.5 s to fail the same way.
    GroundTruth truth =
        site.groundTruth(query().requestTimeout(Duration.ofMillis(1500)).maxRetries(0).build());
    Set<String> timedOut = urlsWithReason(truth.failed(), GroundTruth.TIMEOUT);
    assertThat(timedOut).isNotEmpty();

    Crawl crawl = crawl(configFor(site, truth.query()).build(), site);

    assertMatchesGroundTruth(crawl, truth, site);
    for (String url : timedOut) {
      assertThat(crawl.result(url).reason()).as(url).isEqualTo(Reason.REQUEST_TIMEOUT);
    }
  }

  @Test
  void aRedirectChainIsFollowedOnceAndALoopEndsWithRedirectLoop() {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().build());

    Crawl crawl = defaultCrawl();

    Map<String, Long> requests = requestCounts(crawl);
    for (String path :
        List.of(
            "/redirect/chain/1", "/redirect/chain/2", "/redirect/chain/3", "/redirect/target")) {
      assertThat(requests.get(path)).as(path).isEqualTo(1);
    }
    assertThat(crawl.result(site.urlOf("/redirect/target")).outcome()).isEqualTo(Outcome.FETCHED);
    Map<String, String> redirects = new LinkedHashMap<>();
    crawl.results().stream()
        .filter(r -> r.outcome() == Outcome.REDIRECTED)
        .forEach(r -> redirects.put(r.url(), r.finalUrl()));
    assertThat(redirects).isEqualTo(truth.redirects());
    Set<String> loops = urlsWithReason(truth.failed(), GroundTruth.REDIRECT_LOOP);
    assertThat(loops).isNotEmpty();
    loops.forEach(url -> assertThat(crawl.result(url).reason()).isEqualTo(Reason.REDIRECT_LOOP));
    assertAccounted(crawl);
  }

  @Test
  void a429ThenA200IsFetchedOnTheSecondAttemptAfterRetryAfter() {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().build());

    Crawl crawl = defaultCrawl();

    PageResult page = crawl.result(site.urlOf("/flaky/429"));
    assertThat(page.outcome()).isEqualTo(Outcome.FETCHED);
    assertThat(page.attempts()).isEqualTo(2);
    List<RequestLogEntry> attempts = requestsFor(crawl, "/flaky/429");
    assertThat(attempts).hasSize(2);
    // Retry-After: 1 counts from the 429 response, which came after the first request arrived.
    assertThat(Duration.ofNanos(attempts.get(1).nanoTime() - attempts.get(0).nanoTime()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(crawl.report().retries()).isPositive();
    assertAccounted(crawl);
  }

  @Test
  void a503ThenA200IsFetchedOnTheSecondAttempt() {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().build());

    Crawl crawl = defaultCrawl();

    PageResult page = crawl.result(site.urlOf("/flaky/503"));
    assertThat(page.outcome()).isEqualTo(Outcome.FETCHED);
    assertThat(page.attempts()).isEqualTo(2);
    assertThat(requestsFor(crawl, "/flaky/503")).hasSize(2);
    assertAccounted(crawl);
  }

  @Test
  void withoutRetriesTheFlakyPagesFail() {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().maxRetries(0).build());

    Crawl crawl = crawl(configFor(site, truth.query()).build(), site);

    assertMatchesGroundTruth(crawl, truth, site);
    assertThat(crawl.result(site.urlOf("/flaky/429")).reason()).isEqualTo(Reason.TOO_MANY_REQUESTS);
    assertThat(crawl.result(site.urlOf("/flaky/503")).reason()).isEqualTo(Reason.HTTP_SERVER_ERROR);
  }

  @Test
  void anOversizedPageIsSkippedTooLargeWithoutReadingItWhole() {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(query().build());

    Crawl crawl = defaultCrawl();

    for (String path : List.of("/big/declared", "/big/chunked")) {
      PageResult page = crawl.result(site.urlOf(path));
      assertThat(page.outcome()).as(path).isEqualTo(Outcome.SKIPPED);
      assertThat(page.reason()).as(path).isEqualTo(Reason.TOO_LARGE);
      // The engine reports how far it read: past the cap, far short of the 300 KiB body. (No
      // gzip bomb here: the fixture serves no compressed bodies; the engines test that alone.)
      assertThat(page.bytes()).isLessThanOrEqualTo(BODY_CAP);
      assertThat(bytesSeen(page.detail())).isGreaterThan(BODY_CAP).isLessThan(2 * BODY_CAP);
    }
    assertAccounted(crawl);
  }

  // ---------------------------------------------------------------------------------------------
  // Cancel

  @Test
  void cancelMidCrawlReturnsPromptlyAndLeavesABalancedReportWithPendingUrls() {
    FixtureSite site = SLOW_SITE.site();
    ConcurrentLinkedQueue<PageResult> results = new ConcurrentLinkedQueue<>();
    RunningCrawl run =
        crawler()
            .start(
                CrawlConfig.builder()
                    .seed(site.rootUrl().toString())
                    .robots(false)
                    .concurrency(4)
                    .perHostConcurrency(4)
                    .build(),
                results::add);
    await().atMost(CRAWL_LIMIT).until(() -> run.progress().fetched() >= 10);

    assertTimeoutPreemptively(Duration.ofSeconds(2), run::cancel);

    await().atMost(Duration.ofSeconds(10)).until(() -> run.completion().isDone());
    CrawlReport report = run.completion().join();
    assertThat(report.cancelled()).isTrue();
    assertThat(report.pending()).isPositive();
    assertThat(report.fetched()).isLessThan(site.groundTruth().fetched().size());
    assertAccounted(new Crawl(report, List.copyOf(results), site.requestLog()));
    assertNoCrawlerThreadLeft();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** The ground-truth query every scenario starts from: the calendar trap out of scope. */
  private static GroundTruth.Query.Builder query() {
    return GroundTruth.Query.builder()
        .maxBodyBytes(BODY_CAP)
        .maxRedirects(5)
        .maxRetries(2)
        .requestTimeout(Duration.ofSeconds(10));
  }

  /** A crawl config that asks for what {@code query} describes, at concurrency 16. */
  private static CrawlConfig.Builder configFor(FixtureSite site, GroundTruth.Query query) {
    CrawlConfig.Builder config =
        CrawlConfig.builder()
            .seed(site.rootUrl().toString())
            .concurrency(16)
            .perHostConcurrency(1_000)
            .maxDepth(query.maxDepth() == GroundTruth.Query.UNLIMITED ? 10_000 : query.maxDepth())
            .maxPages(1_000_000)
            .robots(query.robotsEnabled())
            .maxRedirects(query.maxRedirects())
            .maxBodyBytes(query.maxBodyBytes())
            // The read timeout stays at its default, far above these whole-request timeouts, so a
            // dribbled body always meets the whole-request timeout first.
            .requestTimeout(query.requestTimeout())
            // Short backoffs keep the suite quick; Retry-After still wins over them.
            .retry(
                new RetryPolicy(
                    query.maxRetries(),
                    Duration.ofMillis(50),
                    Duration.ofMillis(200),
                    2.0,
                    Set.of(429, 500, 502, 503, 504),
                    true,
                    Duration.ofSeconds(5)));
    if (!query.includeTrap()) {
      config.excludes(List.of("/calendar/"));
    }
    return config;
  }

  /**
   * The crawl of {@link #SITE} with the default configuration at concurrency 16, made by the first
   * scenario that asks for it.
   */
  private Crawl defaultCrawl() {
    if (defaultCrawl == null) {
      FixtureSite site = SITE.site();
      defaultCrawl = crawl(configFor(site, query().build()).build(), site);
    }
    return defaultCrawl;
  }

  /**
   * Runs a crawl of {@code site} to its end, failing (after cancelling it) if it takes longer than
   * a minute, and keeps the site's request log.
   */
  private Crawl crawl(CrawlConfig config, FixtureSite site) {
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
    return new Crawl(report, List.copyOf(results), site.requestLog());
  }

  private static void assertMatchesGroundTruth(Crawl crawl, GroundTruth truth, FixtureSite site) {
    assertThat(crawl.byOutcome(Outcome.FETCHED))
        .as("fetched")
        .containsExactlyInAnyOrderElementsOf(truth.fetched());
    Map<String, String> redirects = new LinkedHashMap<>();
    crawl.results().stream()
        .filter(r -> r.outcome() == Outcome.REDIRECTED)
        .forEach(r -> redirects.put(r.url(), r.finalUrl()));
    assertThat(redirects).as("redirects").isEqualTo(truth.redirects());
    assertThat(crawl.reasonsOf(Outcome.SKIPPED))
        .as("skipped")
        .isEqualTo(reasonsOf(truth.skipped()));
    assertThat(crawl.reasonsOf(Outcome.FAILED)).as("failed").isEqualTo(reasonsOf(truth.failed()));
    assertThat(requestedUrls(crawl, site))
        .as("URLs that must never be requested")
        .filteredOn(neverRequested(truth)::contains)
        .isEmpty();
    assertAccounted(crawl);
  }

  /**
   * The ground truth's never-requested URLs, less the accepted ones it lists only because a deeper
   * link to them was also seen (a non-HTML file linked from the root and, too deep, from a page at
   * the depth limit): the ground truth says itself that those "may or may not be requested".
   * Robots-disallowed URLs are accepted too, and stay.
   */
  private static Set<String> neverRequested(GroundTruth truth) {
    Set<String> never = new java.util.LinkedHashSet<>();
    truth
        .neverRequested()
        .forEach(
            (url, why) -> {
              if (why.equals(GroundTruth.ROBOTS_DISALLOWED) || !truth.depths().containsKey(url)) {
                never.add(url);
              }
            });
    return never;
  }

  /**
   * The invariant of every crawl: the report balances, the listener heard of every terminal URL
   * exactly once, and its counts per outcome are the report's.
   */
  private static void assertAccounted(Crawl crawl) {
    CrawlReport report = crawl.report();
    assertThat(report.balanced())
        .as("accepted = fetched + redirected + failed + skipped + pending: %s", report)
        .isTrue();
    List<String> urls = crawl.results().stream().map(PageResult::url).toList();
    assertThat(urls).as("one PageResult per URL").doesNotHaveDuplicates();
    Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    crawl.results().forEach(r -> counts.merge(r.outcome(), 1L, Long::sum));
    assertThat(counts.getOrDefault(Outcome.FETCHED, 0L)).as("fetched").isEqualTo(report.fetched());
    assertThat(counts.getOrDefault(Outcome.REDIRECTED, 0L))
        .as("redirected")
        .isEqualTo(report.redirected());
    assertThat(counts.getOrDefault(Outcome.FAILED, 0L)).as("failed").isEqualTo(report.failed());
    assertThat(counts.getOrDefault(Outcome.SKIPPED, 0L)).as("skipped").isEqualTo(report.skipped());
    assertThat(report.fetched() + report.redirected() + report.failed() + report.skipped())
        .as("terminal URLs")
        .isEqualTo(urls.size());
  }

  private static void assertNoCrawlerThreadLeft() {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(CrawlerThreads.live()).isEmpty());
  }

  /** The core's reason for a ground-truth reason name. */
  private static Reason reasonOf(String truthReason) {
    switch (truthReason) {
      case GroundTruth.HTTP_TOO_MANY_REQUESTS:
        return Reason.TOO_MANY_REQUESTS;
      case GroundTruth.TIMEOUT:
        // The read timeout is far longer than the whole-request timeout here (see configFor).
        return Reason.REQUEST_TIMEOUT;
      default:
        return Reason.valueOf(truthReason);
    }
  }

  private static Map<String, Reason> reasonsOf(Map<String, String> truth) {
    Map<String, Reason> mapped = new LinkedHashMap<>();
    truth.forEach((url, reason) -> mapped.put(url, reasonOf(reason)));
    return mapped;
  }

  private static Set<String> urlsWithReason(Map<String, String> truth, String reason) {
    return truth.entrySet().stream()
        .filter(e -> e.getValue().equals(reason))
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  private static List<String> requestedPaths(Crawl crawl) {
    return crawl.requests().stream().map(RequestLogEntry::path).toList();
  }

  private static Set<String> requestedUrls(Crawl crawl, FixtureSite site) {
    return crawl.requests().stream().map(e -> site.urlOf(e.path())).collect(Collectors.toSet());
  }

  private static Map<String, Long> requestCounts(Crawl crawl) {
    return crawl.requests().stream()
        .collect(Collectors.groupingBy(RequestLogEntry::path, Collectors.counting()));
  }

  private static List<RequestLogEntry> requestsFor(Crawl crawl, String path) {
    return crawl.requests().stream()
        .filter(e -> e.path().equals(path))
        .sorted(Comparator.comparingLong(RequestLogEntry::nanoTime))
        .toList();
  }

  private static Duration smallestGap(List<RequestLogEntry> requests) {
    List<Long> times = requests.stream().map(RequestLogEntry::nanoTime).sorted().toList();
    long smallest = Long.MAX_VALUE;
    for (int i = 1; i < times.size(); i++) {
      smallest = Math.min(smallest, times.get(i) - times.get(i - 1));
    }
    return Duration.ofNanos(smallest);
  }

  /** The most intervals [receivedAt, receivedAt + hold) that overlap at one moment. */
  private static int mostOverlapping(List<RequestLogEntry> requests, Duration hold) {
    List<long[]> events = new ArrayList<>();
    for (RequestLogEntry e : requests) {
      events.add(new long[] {e.nanoTime(), 1});
      events.add(new long[] {e.nanoTime() + hold.toNanos(), -1});
    }
    // At equal times, an end comes before a start: [t, t + hold) is half-open.
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int now = 0;
    int most = 0;
    for (long[] e : events) {
      now += (int) e[1];
      most = Math.max(most, now);
    }
    return most;
  }

  /** The byte count in a TOO_LARGE detail such as "body exceeded the limit after 65537 bytes". */
  private static long bytesSeen(String detail) {
    Matcher m = Pattern.compile("(\\d+) bytes").matcher(detail);
    assertThat(m.find()).as("a byte count in '%s'", detail).isTrue();
    return Long.parseLong(m.group(1));
  }

  /**
   * What a crawl produced: its report, every PageResult the listener received (in order), and the
   * requests the site received.
   */
  private record Crawl(
      CrawlReport report, List<PageResult> results, List<RequestLogEntry> requests) {
    Crawl {
      results = List.copyOf(results);
      requests = List.copyOf(requests);
    }

    Set<String> byOutcome(Outcome outcome) {
      return results.stream()
          .filter(r -> r.outcome() == outcome)
          .map(PageResult::url)
          .collect(Collectors.toSet());
    }

    Map<String, Reason> reasonsOf(Outcome outcome) {
      Map<String, Reason> reasons = new LinkedHashMap<>();
      results.stream()
          .filter(r -> r.outcome() == outcome)
          .forEach(r -> reasons.put(r.url(), r.reason()));
      return reasons;
    }

    Map<String, Reason> reasons() {
      Map<String, Reason> reasons = new LinkedHashMap<>();
      results.forEach(r -> reasons.put(r.url(), r.reason()));
      return reasons;
    }

    PageResult result(String url) {
      return results.stream()
          .filter(r -> r.url().equals(url))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no PageResult for " + url));
    }
  }
}
