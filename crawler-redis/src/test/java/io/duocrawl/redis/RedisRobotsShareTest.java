package io.duocrawl.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.Outcome;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.ScopeMode;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.robots.RobotsShare;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.GroundTruth;
import io.duocrawl.fixtures.LatencyModel;
import io.duocrawl.fixtures.RequestLogEntry;
import io.duocrawl.fixtures.Section;
import io.duocrawl.fixtures.SiteSpec;
import io.duocrawl.fixtures.junit.FixtureSiteExtension;
import io.duocrawl.reactive.ReactiveCrawler;
import io.duocrawl.threads.ThreadsCrawler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * robots.txt shared in the cluster: the share itself against a real Redis Cluster, and three
 * workers (one per engine, in this JVM) on one crawl id against the fixture site, which must see
 * each host's robots.txt requested once.
 */
@ExtendWith(RedisClusterExtension.class)
class RedisRobotsShareTest {
  private static final AtomicInteger crawls = new AtomicInteger();
  private static FrontierStore store;

  /** One host with a robots.txt that disallows /private/; 40 ms a response, so workers overlap. */
  @RegisterExtension
  static final FixtureSiteExtension SITE =
      FixtureSiteExtension.of(
          SiteSpec.builder()
              .pages(300)
              .linksPerPage(5)
              .pageBytes(1024)
              .with(Section.ROBOTS)
              .latency(LatencyModel.fixed(Duration.ofMillis(40)))
              .build());

  /** Six hosts (127.0.0.11 … 16 on one port), each with its own robots.txt. */
  @RegisterExtension
  static final FixtureSiteExtension HOSTS =
      FixtureSiteExtension.of(
          SiteSpec.builder()
              .pages(120)
              .linksPerPage(5)
              .pageBytes(1024)
              .bindAddress("127.0.0.11")
              .origins(6)
              .latency(LatencyModel.fixed(Duration.ofMillis(40)))
              .build());

  @BeforeAll
  static void connect(FrontierStore connected) {
    store = connected;
  }

  private static String newCrawlId() {
    return "robots-" + ProcessHandle.current().pid() + "-" + crawls.incrementAndGet();
  }

  private static RedisFrontier.Settings settings() {
    return RedisFrontier.Settings.defaults().withBuckets(64);
  }

  private static CrawlConfig config(FixtureSite site) {
    return CrawlConfig.builder()
        .seed(site.rootUrl().toString())
        .concurrency(8)
        // Above one worker's concurrency: with a lower cap (held across workers) the first worker
        // to claim keeps every slot of a one-host site and the others get no URL to check.
        .perHostConcurrency(64)
        .politenessDelay(Duration.ZERO)
        .maxDepth(10_000)
        .requestTimeout(Duration.ofSeconds(10))
        .excludes(List.of("/calendar/"))
        // Several origins are several hosts of one site: the crawl follows links across them.
        .scope(site.origins().size() > 1 ? ScopeMode.ANY : ScopeMode.HOST)
        .build();
  }

  private static RobotsShare share(String crawlId, CrawlConfig config) {
    return store.frontier(crawlId, config, settings(), NanoClock.system()).robotsShare();
  }

  // ---------------------------------------------------------------------------------------------
  // The share

  @Test
  void anOutcomeStoredByOneWorkerIsReadByAnotherWithItsBytesAndAge() {
    CrawlConfig config = config(SITE.site());
    String id = newCrawlId();
    RobotsShare a = share(id, config);
    RobotsShare b = share(id, config);
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i; // every byte value, NUL, newlines and non-UTF-8 included
    }
    RobotsShare.Body body = new RobotsShare.Body("http://h.test/robots.txt", "text/plain", bytes);

    assertThat(b.lookup("h.test:80")).isEmpty();
    assertThat(a.tryTake("h.test:80", Duration.ofMinutes(1))).isTrue();
    assertThat(b.tryTake("h.test:80", Duration.ofMinutes(1))).isFalse();
    assertThat(a.tryTake("h.test:80", Duration.ofMinutes(1))).as("extends its own").isTrue();
    a.store("h.test:80", body);

    Optional<RobotsShare.Stored> stored = b.lookup("h.test:80");
    assertThat(stored).isPresent();
    assertThat(stored.get().outcome()).isEqualTo(body);
    assertThat(stored.get().age()).isBetween(Duration.ZERO, Duration.ofSeconds(5));
    assertThat(b.tryTake("h.test:80", Duration.ofMinutes(1))).as("released by the store").isTrue();

    a.store("u.test:80", new RobotsShare.Unreachable("robots.txt: 503 after 3 attempts"));
    a.store("x.test:80", new RobotsShare.AllowAll());
    assertThat(b.lookup("u.test:80").map(RobotsShare.Stored::outcome))
        .contains(new RobotsShare.Unreachable("robots.txt: 503 after 3 attempts"));
    assertThat(b.lookup("x.test:80").map(RobotsShare.Stored::outcome))
        .contains(new RobotsShare.AllowAll());
    assertThat(share(newCrawlId(), config).lookup("x.test:80")).as("another crawl").isEmpty();
  }

  @Test
  void aWorkerThatLookedBeforeAnotherStoredDoesNotTakeTheFetch() {
    CrawlConfig config = config(SITE.site());
    String id = newCrawlId();
    RobotsShare first = share(id, config);
    RobotsShare late = share(id, config);
    // Both look and find nothing; the first fetches and stores before the late one asks to fetch.
    assertThat(first.lookup("h.test:80")).isEmpty();
    assertThat(late.lookup("h.test:80")).isEmpty();
    assertThat(first.tryTake("h.test:80", Duration.ofMinutes(1))).isTrue();
    first.store("h.test:80", new RobotsShare.AllowAll());

    assertThat(late.tryTake("h.test:80", Duration.ofMinutes(1))).isFalse();
    assertThat(late.lookup("h.test:80"))
        .map(RobotsShare.Stored::outcome)
        .contains(new RobotsShare.AllowAll());
    // Having seen the outcome (too old for it, say), it may take the fetch again.
    assertThat(late.tryTake("h.test:80", Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void aLockWhoseHolderDiedExpires() {
    CrawlConfig config = config(SITE.site());
    String id = newCrawlId();
    RobotsShare dead = share(id, config);
    RobotsShare alive = share(id, config);

    assertThat(dead.tryTake("h.test:80", Duration.ofMillis(300))).isTrue();
    assertThat(alive.tryTake("h.test:80", Duration.ofMinutes(1))).isFalse();
    // Redis expires the 300 ms lock by itself; the live worker takes it then.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> alive.tryTake("h.test:80", Duration.ofMinutes(1)));
    assertThat(dead.tryTake("h.test:80", Duration.ofMinutes(1))).isFalse();
  }

  @Test
  void aHostsOutcomesLiveInTheSlotOfItsBucket() {
    BucketKeys keys = new BucketKeys("slots");
    for (int n = 0; n < 64; n++) {
      long bucketSlot = store.sync().clusterKeyslot(keys.bucket(n)[0]);
      assertThat(store.sync().clusterKeyslot(keys.robots(n))).isEqualTo(bucketSlot);
      assertThat(store.sync().clusterKeyslot(keys.robots(n) + ":lock:h.test:80"))
          .isEqualTo(bucketSlot);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Three workers

  /** What the workers of one crawl produced, and the requests the site received. */
  private record Workers(List<CrawlReport> reports, List<PageResult> results, List<String> paths) {
    long robotsRequests() {
      return paths.stream().filter("/robots.txt"::equals).count();
    }

    Set<String> withOutcome(Outcome outcome) {
      return results.stream()
          .filter(r -> r.outcome() == outcome)
          .map(PageResult::url)
          .collect(Collectors.toSet());
    }
  }

  /** Three workers (virtual, platform threads, reactive) on one crawl id, started together. */
  private static Workers crawlWithThreeWorkers(FixtureSite site, String crawlId) throws Exception {
    CrawlConfig config = config(site);
    List<Crawler> engines =
        List.of(ThreadsCrawler.virtual(), ThreadsCrawler.platform(), ReactiveCrawler.create());
    ConcurrentLinkedQueue<PageResult> results = new ConcurrentLinkedQueue<>();
    List<RunningCrawl> runs = new ArrayList<>();
    for (Crawler engine : engines) {
      runs.add(engine.start(config, results::add, store.sessions(crawlId, settings())));
    }
    List<CrawlReport> reports = new ArrayList<>();
    for (RunningCrawl run : runs) {
      reports.add(run.completion().get(60, TimeUnit.SECONDS));
    }
    List<String> paths = site.requestLog().stream().map(RequestLogEntry::path).toList();
    return new Workers(reports, List.copyOf(results), paths);
  }

  @Test
  void threeWorkersFetchTheRobotsTxtOnceAndAllHonourIt() throws Exception {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(GroundTruth.Query.builder().maxRetries(2).build());

    Workers w = crawlWithThreeWorkers(site, newCrawlId());

    assertThat(w.robotsRequests()).as("robots.txt requests").isEqualTo(1);
    assertThat(w.reports().stream().mapToLong(CrawlReport::robotsFetches).sum()).isEqualTo(1);
    assertThat(w.withOutcome(Outcome.FETCHED)).containsExactlyInAnyOrderElementsOf(truth.fetched());
    Set<String> disallowed =
        truth.neverRequested().entrySet().stream()
            .filter(e -> e.getValue().equals(GroundTruth.ROBOTS_DISALLOWED))
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertThat(disallowed).isNotEmpty();
    assertThat(w.paths().stream().map(site::urlOf)).doesNotContainAnyElementsOf(disallowed);
    Map<String, Reason> reasons =
        w.results().stream().collect(Collectors.toMap(PageResult::url, PageResult::reason));
    disallowed.forEach(url -> assertThat(reasons).containsEntry(url, Reason.ROBOTS_DISALLOWED));
    // Workers that did not fetch robots.txt skipped disallowed URLs by the rules in the cluster.
    // (Not asserted for each: under load one engine may start late and be handed only a few URLs.)
    assertThat(w.reports())
        .filteredOn(r -> r.robotsFetches() == 0)
        .hasSize(2)
        .anySatisfy(r -> assertThat(r.count(Reason.ROBOTS_DISALLOWED)).isPositive());
  }

  @Test
  void sixHostsHaveTheirRobotsTxtFetchedOnceEachByThreeWorkers() throws Exception {
    FixtureSite site = HOSTS.site();
    GroundTruth truth = site.groundTruth(GroundTruth.Query.builder().maxRetries(2).build());

    Workers w = crawlWithThreeWorkers(site, newCrawlId());

    // A host whose robots.txt nobody fetched has no rules anywhere and none of its pages would be
    // fetched; so six requests in all is one per host.
    assertThat(w.robotsRequests()).as("robots.txt requests").isEqualTo(6);
    assertThat(w.reports().stream().mapToLong(CrawlReport::robotsFetches).sum()).isEqualTo(6);
    Set<String> hostsFetched = new HashSet<>();
    w.withOutcome(Outcome.FETCHED)
        .forEach(u -> hostsFetched.add(u.substring(0, u.indexOf('/', 8))));
    assertThat(hostsFetched).hasSize(6);
    assertThat(w.withOutcome(Outcome.FETCHED)).containsExactlyInAnyOrderElementsOf(truth.fetched());
  }

  @Test
  void aWorkerThatDiedHoldingTheLockDelaysTheHostUntilItExpires() throws Exception {
    FixtureSite site = SITE.site();
    GroundTruth truth = site.groundTruth(GroundTruth.Query.builder().maxRetries(2).build());
    String id = newCrawlId();
    String hostKey = "127.0.0.1:" + site.port();
    assertThat(share(id, config(site)).tryTake(hostKey, Duration.ofMillis(1500))).isTrue();
    long start = System.nanoTime();

    Workers w = crawlWithThreeWorkers(site, id);

    assertThat(w.robotsRequests()).isEqualTo(1);
    long robotsAt =
        site.requestLog().stream()
            .filter(e -> e.path().equals("/robots.txt"))
            .findFirst()
            .orElseThrow()
            .nanoTime();
    assertThat(Duration.ofNanos(robotsAt - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    assertThat(w.withOutcome(Outcome.FETCHED)).containsExactlyInAnyOrderElementsOf(truth.fetched());
    assertThat(IntStream.range(0, 3).mapToLong(i -> w.reports().get(i).pending()).sum()).isZero();
  }
}
