package io.duocrawl.common.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.frontier.Frontier.Counts;
import io.duocrawl.common.frontier.Frontier.Offer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryFrontierConcurrencyTest {
  private static final int THREADS = 8;
  private static final int HOSTS = 64;
  private static final int PER_HOST = 2;
  private static final int URL_SPACE = 40_000;
  private static final int OFFERS_PER_THREAD = 15_000;
  private static final int HELD = 3;

  private static int hostIndex(CrawlRequest r) {
    return Integer.parseInt(r.hostKey().substring(1, r.hostKey().indexOf(':')));
  }

  @Test
  void manyThreadsOfferingPollingAndCompletingNeverBreakTheRules() throws InterruptedException {
    CrawlConfig config =
        CrawlConfig.builder()
            .seed("http://h0.test/")
            .maxPages(Integer.MAX_VALUE)
            .perHostConcurrency(PER_HOST)
            .politenessDelay(Duration.ZERO)
            .build();
    Frontier frontier = Frontier.inMemory(config, NanoClock.system());

    Set<String> handedOut = ConcurrentHashMap.newKeySet();
    AtomicIntegerArray inFlightByHost = new AtomicIntegerArray(HOSTS);
    AtomicInteger worstInFlight = new AtomicInteger();
    AtomicLong acceptedByOffers = new AtomicLong();
    AtomicInteger offerersLeft = new AtomicInteger(THREADS);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);

    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      SplittableRandom random = new SplittableRandom(t);
      Runnable worker =
          () -> {
            try {
              start.await();
              ArrayDeque<CrawlRequest> held = new ArrayDeque<>();
              int offered = 0;
              while (true) {
                if (offered < OFFERS_PER_THREAD) {
                  // A shared URL space: threads offer the same URLs and must collide in dedup.
                  int u = random.nextInt(URL_SPACE);
                  int h = u % HOSTS;
                  Offer result =
                      frontier.offer(
                          CrawlRequest.of("http://h" + h + ".test/p" + u, "h" + h + ":80", 1));
                  if (result == Offer.ACCEPTED) {
                    acceptedByOffers.incrementAndGet();
                  }
                  if (++offered == OFFERS_PER_THREAD) {
                    offerersLeft.decrementAndGet();
                  }
                }
                Optional<CrawlRequest> polled = frontier.poll();
                if (polled.isPresent()) {
                  CrawlRequest r = polled.get();
                  assertThat(handedOut.add(r.url() + "#" + r.attempt()))
                      .as("handed out twice: %s attempt %d", r.url(), r.attempt())
                      .isTrue();
                  // Counted after poll, uncounted before complete: never above the truth.
                  int now = inFlightByHost.incrementAndGet(hostIndex(r));
                  worstInFlight.accumulateAndGet(now, Math::max);
                  held.addLast(r);
                }
                // Hold a few requests "on the wire" so hosts really reach their cap.
                if (held.size() > HELD || (polled.isEmpty() && !held.isEmpty())) {
                  CrawlRequest r = held.removeFirst();
                  inFlightByHost.decrementAndGet(hostIndex(r));
                  if (r.attempt() == 0 && random.nextInt(20) == 0) {
                    frontier.retryLater(r.nextAttempt(), System.nanoTime());
                  } else {
                    frontier.complete(r);
                  }
                } else if (polled.isEmpty()) {
                  if (offerersLeft.get() == 0 && frontier.isExhausted()) {
                    return;
                  }
                  Thread.onSpinWait();
                }
              }
            } catch (Throwable e) {
              failures.add(e);
            }
          };
      Thread thread = new Thread(worker, "frontier-worker-" + t);
      threads.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(20));
      assertThat(thread.isAlive()).as("%s still running", thread.getName()).isFalse();
    }

    assertThat(failures).isEmpty();
    Counts counts = frontier.counts();
    assertThat(counts.accepted()).isEqualTo(acceptedByOffers.get()).isPositive();
    assertThat(counts.done()).isEqualTo(counts.accepted());
    assertThat(counts.queued()).isZero();
    assertThat(counts.delayed()).isZero();
    assertThat(counts.inFlight()).isZero();
    assertThat(handedOut.stream().filter(k -> k.endsWith("#0")).count())
        .isEqualTo(counts.accepted());
    assertThat(worstInFlight.get()).isBetween(1, PER_HOST);
    // The shared URL space guarantees duplicates were offered and refused.
    assertThat(counts.accepted()).isLessThan((long) THREADS * OFFERS_PER_THREAD);
  }
}
