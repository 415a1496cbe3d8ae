package io.duocrawl.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.frontier.Frontier.Offer;
import io.duocrawl.common.robots.RobotsShare;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Frontier contract over a real Redis Cluster, with two workers on one crawl id. */
@ExtendWith(RedisClusterExtension.class)
class RedisFrontierTest {
  private static final AtomicInteger crawls = new AtomicInteger();
  private static FrontierStore store;

  @BeforeAll
  static void connect(FrontierStore connected) {
    store = connected;
  }

  private static CrawlConfig.Builder config() {
    return CrawlConfig.builder()
        .seed("http://a.test/")
        .concurrency(4)
        .perHostConcurrency(1)
        .politenessDelay(Duration.ZERO);
  }

  private static RedisFrontier.Settings settings() {
    return RedisFrontier.Settings.defaults().withBuckets(16).withClaimBatch(1);
  }

  /** Two workers' frontiers over one new crawl id. */
  private static List<RedisFrontier> workers(CrawlConfig config, RedisFrontier.Settings settings) {
    String id = "contract-" + ProcessHandle.current().pid() + "-" + crawls.incrementAndGet();
    return List.of(
        store.frontier(id, config, settings, NanoClock.system()),
        store.frontier(id, config, settings, NanoClock.system()));
  }

  private static CrawlRequest page(String host, int n) {
    return CrawlRequest.of("http://" + host + "/" + n, host + ":80", 1);
  }

  @Test
  void aUrlOfferedByTwoWorkersIsAcceptedOnce() {
    List<RedisFrontier> w = workers(config().build(), settings());
    assertThat(w.get(0).offer(page("a.test", 1))).isEqualTo(Offer.ACCEPTED);
    assertThat(w.get(1).offer(page("a.test", 1))).isEqualTo(Offer.DUPLICATE);
    assertThat(w.get(0).offer(page("a.test", 1))).isEqualTo(Offer.DUPLICATE);
    assertThat(w.get(1).counts().accepted()).isEqualTo(1);
  }

  @Test
  void maxPagesCountsTheOffersOfAllWorkers() {
    List<RedisFrontier> w = workers(config().maxPages(5).build(), settings());
    List<Offer> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(w.get(i % 2).offer(page("h" + i + ".test", i)));
    }
    assertThat(results).filteredOn(o -> o == Offer.ACCEPTED).hasSize(5);
    assertThat(results).filteredOn(o -> o == Offer.MAX_PAGES).hasSize(3);
    assertThat(w.get(0).offer(page("h0.test", 0))).isEqualTo(Offer.DUPLICATE);
  }

  @Test
  void politenessHoldsAcrossWorkers() {
    List<RedisFrontier> w =
        workers(config().politenessDelay(Duration.ofSeconds(30)).build(), settings());
    w.get(0).offer(page("a.test", 1));
    w.get(0).offer(page("a.test", 2));
    Optional<CrawlRequest> first = w.get(0).poll();
    assertThat(first).isPresent();
    w.get(0).complete(first.get());
    // The host's next dispatch is 30 s away for every worker, whichever asks.
    assertThat(w.get(1).poll()).isEmpty();
    assertThat(w.get(0).poll()).isEmpty();
    assertThat(w.get(1).counts().queued()).isEqualTo(1);
  }

  @Test
  void thePerHostCapHoldsAcrossWorkers() {
    List<RedisFrontier> w =
        workers(config().perHostConcurrency(2).build(), settings().withClaimBatch(4));
    for (int i = 0; i < 6; i++) {
      w.get(0).offer(page("a.test", i));
    }
    List<CrawlRequest> got = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (RedisFrontier f : w) {
        f.poll().ifPresent(got::add);
      }
    }
    assertThat(got).hasSize(2);
    assertThat(w.get(0).counts().inFlight()).isEqualTo(2);
  }

  @Test
  void aLeaseThatExpiresGivesItsUrlToAnotherWorkerAndTheLateAckIsRefused() {
    List<RedisFrontier> w =
        workers(
            config().build(),
            settings().withLease(Duration.ofMillis(300)).withRenewFor(Duration.ZERO));
    w.get(0).offer(page("a.test", 1));
    CrawlRequest taken = w.get(0).poll().orElseThrow();
    // Worker 0 goes silent; its lease runs out and the reaper queues the URL again.
    CrawlRequest again =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> w.get(1).poll(), Optional::isPresent)
            .get();
    assertThat(again).isEqualTo(taken);
    w.get(0).complete(taken);
    // Completions are sent by the background flush, a few ms later.
    await().atMost(Duration.ofSeconds(5)).until(() -> w.get(0).staleAcks() == 1);
    w.get(1).complete(again);
    await().atMost(Duration.ofSeconds(5)).until(() -> store.stats(idOf(w)).done() == 1);
    assertThat(w.get(1).staleAcks()).isZero();
    assertThat(store.stats(idOf(w)).reclaimed()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> w.get(0).isExhausted());
  }

  @Test
  void aLeaseIsRenewedWhileItsUrlIsInFlightSoALongFetchKeepsIt() {
    List<RedisFrontier> w =
        workers(
            config().build(),
            settings().withLease(Duration.ofMillis(300)).withRenewFor(Duration.ofSeconds(30)));
    w.get(0).offer(page("a.test", 1));
    CrawlRequest taken = w.get(0).poll().orElseThrow();
    // Five lease terms pass while worker 0 fetches; its renewals keep the URL from worker 1.
    await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
    assertThat(w.get(1).poll()).isEmpty();
    w.get(0).complete(taken);
    await().atMost(Duration.ofSeconds(5)).until(() -> store.stats(idOf(w)).done() == 1);
    assertThat(w.get(0).staleAcks()).isZero();
    assertThat(store.stats(idOf(w)).reclaimed()).isZero();
  }

  @Test
  void theCrawlIsExhaustedOnlyWhenNothingIsQueuedOrLeasedAnywhere() {
    List<RedisFrontier> w = workers(config().build(), settings());
    w.get(0).offer(page("a.test", 1));
    assertThat(w.get(1).isExhausted()).isFalse();
    CrawlRequest taken = w.get(0).poll().orElseThrow();
    // Leased to worker 0: not exhausted for worker 1, which holds nothing itself.
    await().pollDelay(Duration.ofMillis(150)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(w.get(1).isExhausted()).isFalse();
    // Worker 0 offers a link before it completes the page: still not exhausted.
    w.get(0).offer(page("b.test", 2));
    w.get(0).complete(taken);
    // Worker 0's publish of b.test's bucket reaches the index with its next flush.
    assertThat(
            await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> w.get(1).poll(), Optional::isPresent)
                .get()
                .url())
        .isEqualTo("http://b.test/2");
    await().pollDelay(Duration.ofMillis(150)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(w.get(0).isExhausted()).isFalse();
  }

  @Test
  void theLastCompletionEndsTheCrawlForEveryWorker() {
    List<RedisFrontier> w = workers(config().build(), settings());
    w.get(0).offer(page("a.test", 1));
    CrawlRequest taken =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> w.get(1).poll(), Optional::isPresent)
            .get();
    w.get(1).complete(taken);
    await().atMost(Duration.ofSeconds(5)).until(() -> w.get(0).isExhausted());
    assertThat(w.get(1).isExhausted()).isTrue();
    assertThat(w.get(0).counts()).isEqualTo(new Frontier.Counts(1, 0, 0, 0, 1));
  }

  @Test
  void aHoldDelaysAHostForEveryWorker() {
    List<RedisFrontier> w = workers(config().build(), settings());
    w.get(0).offer(page("a.test", 1));
    CrawlRequest taken =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> w.get(1).poll(), Optional::isPresent)
            .get();
    w.get(1).delayHost("a.test:80", System.nanoTime() + Duration.ofSeconds(30).toNanos());
    w.get(1).retryLater(taken.nextAttempt(), System.nanoTime());
    // The retry is due, but its host is held for 30 s.
    await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(w.get(0).poll()).isEmpty();
    assertThat(w.get(0).counts().pending()).isEqualTo(1);
  }

  @Test
  void aRetryComesBackWithItsAttemptAfterItsTime() {
    List<RedisFrontier> w = workers(config().build(), settings());
    w.get(0).offer(page("a.test", 1));
    CrawlRequest taken = w.get(0).poll().orElseThrow();
    w.get(0).retryLater(taken.nextAttempt(), System.nanoTime() + Duration.ofMillis(200).toNanos());
    CrawlRequest retried =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> w.get(1).poll(), Optional::isPresent)
            .get();
    assertThat(retried.attempt()).isEqualTo(1);
    assertThat(retried.url()).isEqualTo(taken.url());
  }

  @Test
  void dropDeletesEveryKeyOfTheCrawl() {
    List<RedisFrontier> w = workers(config().build(), settings());
    w.get(0).offer(page("a.test", 1));
    w.get(0).robotsShare().store("a.test:80", new RobotsShare.AllowAll());
    w.get(0).drain();
    String id = idOf(w);
    assertThat(store.sync().keys("*" + id + "*")).isNotEmpty();
    assertThat(store.drop(id)).isPositive();
    assertThat(store.stats(id).buckets()).isZero();
    assertThat(store.sync().keys("*" + id + "*")).isEmpty();
  }

  private static String idOf(List<RedisFrontier> w) {
    return "contract-" + ProcessHandle.current().pid() + "-" + crawls.get();
  }
}
