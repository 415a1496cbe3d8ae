package io.duocrawl.common.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.common.NanoClock;
import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CrawlStatsConcurrencyTest {
  private static final int THREADS = 4;
  private static final int ROUNDS = 20_000;

  @Test
  void totalsAreExactWhenManyThreadsRecordAtOnce() throws Exception {
    // Every thread moves the shared clock, so fetched pages spread over many timeline seconds
    // and chunks get created while other threads increment.
    AtomicLong now = new AtomicLong();
    NanoClock clock = () -> now.addAndGet(TimeUnit.MILLISECONDS.toNanos(7));
    CrawlStats stats = new CrawlStats("threads", THREADS, clock, new FakeProbe(), Instant.EPOCH);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < ROUNDS; i++) {
                    stats.dispatched();
                    stats.responded(1_000_000, 10);
                    stats.outcome(i % 2 == 0 ? Reason.OK : Reason.NOT_FOUND);
                    stats.rejected(Rejection.DUPLICATE);
                    stats.retried();
                    stats.sample();
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    long total = (long) THREADS * ROUNDS;
    CrawlReport report = stats.snapshot(total, 0, false);

    assertThat(stats.inFlight()).isZero();
    assertThat(report.peakInFlight()).isBetween(1, THREADS);
    assertThat(report.fetched()).isEqualTo(total / 2);
    assertThat(report.failed()).isEqualTo(total / 2);
    assertThat(report.balanced()).isTrue();
    assertThat(report.count(Rejection.DUPLICATE)).isEqualTo(total);
    assertThat(report.retries()).isEqualTo(total);
    assertThat(report.bodyBytes()).isEqualTo(10 * total);
    assertThat(report.latency().count()).isEqualTo(total);
    assertThat(report.latency().max()).isEqualTo(1.0);
    assertThat(report.timeline().stream().mapToLong(Long::longValue).sum()).isEqualTo(total / 2);
    assertThat(report.timeline().size()).isGreaterThan(64);
  }
}
