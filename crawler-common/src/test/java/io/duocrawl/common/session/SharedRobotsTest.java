package io.duocrawl.common.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.robots.RobotsShare;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The robots registry over a {@link RobotsShare}: an in-memory share stands for the store the
 * workers of a shared crawl keep outcomes in (Redis in crawler-redis, tested there against a real
 * cluster); "the other worker" is scripted through it.
 */
class SharedRobotsTest {
  private static final String ROOT = "http://site.test/";
  private static final String ROBOTS = "http://site.test/robots.txt";
  private static final String HOST = "site.test:80";
  private static final String RULES = "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n";

  private final FakeWeb web = new FakeWeb();
  private final List<PageResult> results = new CopyOnWriteArrayList<>();
  private final Store store = new Store(web.now::get);
  private final Store.View here = store.view("here");
  private final Store.View other = store.view("other");

  private CrawlConfig.Builder config() {
    return CrawlConfig.builder()
        .seed(ROOT)
        .requestTimeout(Duration.ofSeconds(10))
        .retry(
            new RetryPolicy(
                2,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                2.0,
                Set.of(503),
                true,
                Duration.ofSeconds(30)));
  }

  private CrawlReport crawl(CrawlConfig config, RobotsShare share) {
    Frontier frontier = new SharingFrontier(Frontier.inMemory(config, web.now::get), share);
    CrawlSession session = CrawlSession.open("test", config, results::add, frontier, web.now::get);
    web.crawl(session);
    CrawlReport report = session.finish();
    assertThat(report.balanced()).as("accepted = sum of outcomes + pending: %s", report).isTrue();
    return report;
  }

  private void site() {
    web.robots(ROBOTS, RULES)
        .page(ROOT, "/private/x", "/a")
        .page(ROOT + "a")
        .page(ROOT + "private/x");
  }

  private Map<String, Reason> reasons() {
    return results.stream().collect(Collectors.toMap(PageResult::url, PageResult::reason));
  }

  private static RobotsShare.Body body(String text) {
    return new RobotsShare.Body(ROBOTS, "text/plain", text.getBytes(StandardCharsets.UTF_8));
  }

  private void assertCrawledUnderTheRules() {
    assertThat(reasons())
        .containsEntry(ROOT, Reason.OK)
        .containsEntry(ROOT + "a", Reason.OK)
        .containsEntry(ROOT + "private/x", Reason.ROBOTS_DISALLOWED);
    assertThat(web.requested).doesNotContain(ROOT + "private/x");
    // Crawl-delay: 2 of the rules holds between the two pages.
    int root = web.requested.indexOf(ROOT);
    int a = web.requested.indexOf(ROOT + "a");
    assertThat(web.requestedAt.get(a) - web.requestedAt.get(root))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void storedRulesAreUsedWithoutAFetch() {
    site();
    store.put(HOST, body(RULES), Duration.ofHours(1));

    CrawlReport report = crawl(config().build(), here);

    assertThat(web.requested).doesNotContain(ROBOTS);
    assertThat(report.robotsFetches()).isZero();
    assertCrawledUnderTheRules();
    assertThat(store.lockTakes).isZero();
  }

  @Test
  void aTakenLockMakesTheHostWaitForTheStoredRules() {
    site();
    assertThat(other.tryTake(HOST, Duration.ofMinutes(1))).isTrue();
    long storedAt = web.now.get() + Duration.ofMillis(700).toNanos();
    store.later(storedAt, () -> other.store(HOST, body(RULES)));

    CrawlReport report = crawl(config().build(), here);

    assertThat(web.requested).doesNotContain(ROBOTS);
    assertThat(report.robotsFetches()).isZero();
    assertCrawledUnderTheRules();
    assertThat(web.requestedAt.get(web.requested.indexOf(ROOT))).isGreaterThanOrEqualTo(storedAt);
    // Looked at 0, 100, 300 (found the lock each time), then at 700 ms found the rules.
    assertThat(store.lookups).isEqualTo(4);
  }

  @Test
  void anExpiredLockMakesThisWorkerFetchAndShareTheRules() {
    site();
    long expiry = web.now.get() + Duration.ofSeconds(3).toNanos();
    assertThat(other.tryTake(HOST, Duration.ofSeconds(3))).isTrue(); // and then it died

    CrawlReport report = crawl(config().build(), here);

    assertThat(web.requested.stream().filter(ROBOTS::equals)).hasSize(1);
    assertThat(web.requestedAt.get(web.requested.indexOf(ROBOTS))).isGreaterThanOrEqualTo(expiry);
    assertThat(report.robotsFetches()).isEqualTo(1);
    assertCrawledUnderTheRules();
    assertThat(store.stored(HOST)).contains(body(RULES));
    assertThat(store.locked(HOST)).isFalse();
  }

  @Test
  void anOutcomeOlderThanRobotsMaxAgeIsFetchedAgainAndReplaced() {
    site();
    store.put(HOST, body("User-agent: *\nDisallow: /\n"), Duration.ofHours(25));

    CrawlReport report = crawl(config().build(), here);

    assertThat(web.requested).startsWith(ROBOTS);
    assertThat(report.robotsFetches()).isEqualTo(1);
    assertCrawledUnderTheRules();
    assertThat(store.stored(HOST)).contains(body(RULES));
  }

  @Test
  void theAgeOfStoredRulesCountsAgainstRobotsMaxAgeHere() {
    // Stored 59 s ago, max age 60 s: used, and fetched again once they are older than 60 s here.
    web.robots(ROBOTS, RULES).page(ROOT, "/a").page(ROOT + "a", "/b").page(ROOT + "b");
    store.put(HOST, body("User-agent: *\nCrawl-delay: 2\n"), Duration.ofSeconds(59));

    crawl(config().robotsMaxAge(Duration.ofSeconds(60)).build(), here);

    // ROOT at t0 and a at t0 + 2 s: the second is past the age, so robots.txt is fetched first.
    assertThat(web.requested).containsExactly(ROOT, ROBOTS, ROOT + "a", ROOT + "b");
    assertThat(store.stored(HOST)).contains(body(RULES));
  }

  @Test
  void anUnreachableOutcomeIsSharedOnlyWhenFinal() {
    web.status(ROBOTS, 503).page(ROOT);

    crawl(config().build(), here);

    assertThat(web.requested).containsExactly(ROBOTS, ROBOTS, ROBOTS);
    // Three attempts, one store: the 503s that were retried were never handed over.
    assertThat(store.stores)
        .containsExactly(new RobotsShare.Unreachable("robots.txt: 503 after 3 attempts"));
    // The lock was taken once and extended before each of the two retries.
    assertThat(store.lockTakes).isEqualTo(3);

    results.clear();
    web.requested.clear();
    crawl(config().build(), other);

    assertThat(web.requested).isEmpty();
    assertThat(reasons()).containsEntry(ROOT, Reason.ROBOTS_UNAVAILABLE);
    assertThat(results.get(0).detail()).isEqualTo("robots.txt: 503 after 3 attempts");
  }

  @Test
  void aSecondWorkerUsesTheRulesTheFirstFetched() {
    site();

    CrawlReport first = crawl(config().build(), here);
    results.clear();
    web.requested.clear();
    web.requestedAt.clear();
    CrawlReport second = crawl(config().build(), other);

    assertThat(first.robotsFetches()).isEqualTo(1);
    assertThat(second.robotsFetches()).isZero();
    assertThat(web.requested).containsExactly(ROOT, ROOT + "a");
    assertCrawledUnderTheRules();
  }

  @Test
  void aFailingShareFallsBackToFetchingHere() {
    site();
    RobotsShare broken =
        new RobotsShare() {
          @Override
          public Optional<Stored> lookup(String hostKey) {
            throw new IllegalStateException("store down");
          }

          @Override
          public boolean tryTake(String hostKey, Duration ttl) {
            throw new IllegalStateException("store down");
          }

          @Override
          public void store(String hostKey, Outcome outcome) {
            throw new IllegalStateException("store down");
          }
        };

    CrawlReport report = crawl(config().build(), broken);

    assertThat(report.robotsFetches()).isEqualTo(1);
    assertCrawledUnderTheRules();
  }

  /** An in-memory store of outcomes and locks on the fake clock, seen through workers' views. */
  private static final class Store {
    private record Entry(RobotsShare.Outcome outcome, long at) {}

    private record Lock(String owner, long expiry) {}

    private record Later(long at, Runnable action) {}

    private final LongSupplier clock;
    private final Map<String, Entry> outcomes = new HashMap<>();
    private final Map<String, Lock> locks = new HashMap<>();
    private final List<Later> later = new ArrayList<>();
    final List<RobotsShare.Outcome> stores = new ArrayList<>();
    int lookups;
    int lockTakes;

    Store(LongSupplier clock) {
      this.clock = clock;
    }

    View view(String owner) {
      return new View(owner);
    }

    void put(String host, RobotsShare.Outcome outcome, Duration age) {
      outcomes.put(host, new Entry(outcome, clock.getAsLong() - age.toNanos()));
    }

    /** Runs {@code action} at the first call on the store at or after {@code at}. */
    void later(long at, Runnable action) {
      later.add(new Later(at, action));
    }

    Optional<RobotsShare.Outcome> stored(String host) {
      return Optional.ofNullable(outcomes.get(host)).map(Entry::outcome);
    }

    boolean locked(String host) {
      Lock lock = locks.get(host);
      return lock != null && lock.expiry() - clock.getAsLong() > 0;
    }

    private void runDue() {
      long now = clock.getAsLong();
      List<Later> due = later.stream().filter(l -> now - l.at() >= 0).toList();
      later.removeAll(due);
      due.forEach(l -> l.action().run());
    }

    final class View implements RobotsShare {
      private final String owner;

      View(String owner) {
        this.owner = owner;
      }

      @Override
      public Optional<Stored> lookup(String hostKey) {
        runDue();
        lookups++;
        Entry e = outcomes.get(hostKey);
        return e == null
            ? Optional.empty()
            : Optional.of(new Stored(e.outcome(), Duration.ofNanos(clock.getAsLong() - e.at())));
      }

      @Override
      public boolean tryTake(String hostKey, Duration ttl) {
        runDue();
        Lock lock = locks.get(hostKey);
        if (lock != null && !lock.owner().equals(owner) && locked(hostKey)) {
          return false;
        }
        locks.put(hostKey, new Lock(owner, clock.getAsLong() + ttl.toNanos()));
        if (!owner.equals("other")) {
          lockTakes++;
        }
        return true;
      }

      @Override
      public void store(String hostKey, Outcome outcome) {
        runDue();
        outcomes.put(hostKey, new Entry(outcome, clock.getAsLong()));
        locks.remove(hostKey);
        stores.add(outcome);
      }
    }
  }

  /** A frontier that hands out a given share and otherwise is the one it wraps. */
  private record SharingFrontier(Frontier frontier, RobotsShare share) implements Frontier {
    @Override
    public RobotsShare robotsShare() {
      return share;
    }

    @Override
    public Offer offer(CrawlRequest request) {
      return frontier.offer(request);
    }

    @Override
    public void retryLater(CrawlRequest request, long notBeforeNanos) {
      frontier.retryLater(request, notBeforeNanos);
    }

    @Override
    public Optional<CrawlRequest> poll() {
      return frontier.poll();
    }

    @Override
    public void complete(CrawlRequest request) {
      frontier.complete(request);
    }

    @Override
    public OptionalLong nanosUntilReady() {
      return frontier.nanosUntilReady();
    }

    @Override
    public boolean isExhausted() {
      return frontier.isExhausted();
    }

    @Override
    public void pauseHost(String hostKey) {
      frontier.pauseHost(hostKey);
    }

    @Override
    public void resumeHost(String hostKey, Duration delay) {
      frontier.resumeHost(hostKey, delay);
    }

    @Override
    public void delayHost(String hostKey, long notBeforeNanos) {
      frontier.delayHost(hostKey, notBeforeNanos);
    }

    @Override
    public Counts counts() {
      return frontier.counts();
    }

    @Override
    public List<CrawlRequest> drain() {
      return frontier.drain();
    }
  }
}
