package io.duocrawl.common.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.common.CrawlProgress;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CrawlStatsTest {
  private static final Instant STARTED = Instant.parse("2025-01-02T03:04:05Z");
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLong now = new AtomicLong(1_000 * SECOND);
  private final NanoClock clock = now::get;
  private final FakeProbe probe = new FakeProbe();
  private final CrawlStats stats = new CrawlStats("threads", 8, clock, probe, STARTED);

  private void advance(long nanos) {
    now.addAndGet(nanos);
  }

  @Test
  void outcomesAreCountedByReasonAndSummedByOutcome() {
    stats.outcome(Reason.OK);
    stats.outcome(Reason.OK);
    stats.outcome(Reason.REDIRECT);
    stats.outcome(Reason.NOT_FOUND);
    stats.outcome(Reason.READ_TIMEOUT);
    stats.outcome(Reason.TOO_LARGE);
    stats.rejected(Rejection.DUPLICATE);
    stats.rejected(Rejection.DUPLICATE);
    stats.rejected(Rejection.NOFOLLOW);
    stats.retried();
    stats.robotsFetched();

    CrawlReport report = stats.snapshot(6, 0, false);

    assertThat(report.fetched()).isEqualTo(2);
    assertThat(report.redirected()).isEqualTo(1);
    assertThat(report.failed()).isEqualTo(2);
    assertThat(report.skipped()).isEqualTo(1);
    assertThat(report.reasons())
        .containsExactly(
            Map.entry(Reason.OK, 2L),
            Map.entry(Reason.REDIRECT, 1L),
            Map.entry(Reason.NOT_FOUND, 1L),
            Map.entry(Reason.READ_TIMEOUT, 1L),
            Map.entry(Reason.TOO_LARGE, 1L));
    assertThat(report.rejections())
        .containsExactly(Map.entry(Rejection.DUPLICATE, 2L), Map.entry(Rejection.NOFOLLOW, 1L));
    assertThat(report.retries()).isEqualTo(1);
    assertThat(report.robotsFetches()).isEqualTo(1);
    assertThat(report.engine()).isEqualTo("threads");
    assertThat(report.concurrency()).isEqualTo(8);
    assertThat(report.startedAt()).isEqualTo(STARTED);
  }

  @Test
  void inFlightFollowsDispatchesAndResponsesAndThePeakStays() {
    stats.dispatched();
    stats.dispatched();
    stats.dispatched();
    stats.responded(MS, 100);
    stats.responded(MS, 200);
    stats.dispatched();

    assertThat(stats.inFlight()).isEqualTo(2);
    CrawlReport report = stats.snapshot(0, 0, false);
    assertThat(report.peakInFlight()).isEqualTo(3);
    assertThat(report.bodyBytes()).isEqualTo(300);
  }

  @Test
  void aResponseWithoutADispatchIsMisuseAndChangesNothing() {
    assertThatThrownBy(() -> stats.responded(MS, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dispatched()");
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.snapshot(0, 0, false).latency().count()).isZero();
  }

  @Test
  void negativeLatencyOrBodyBytesIsRejectedBeforeCounting() {
    stats.dispatched();
    assertThatThrownBy(() -> stats.responded(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> stats.responded(0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(stats.inFlight()).isEqualTo(1);
  }

  @Test
  void fetchedPagesLandInTheWholeSecondSinceStart() {
    stats.outcome(Reason.OK); // second 0
    advance(999 * MS);
    stats.outcome(Reason.OK); // still second 0
    advance(MS);
    stats.outcome(Reason.OK); // second 1
    stats.outcome(Reason.NOT_FOUND); // not a fetched page: not in the timeline
    advance(2 * SECOND);
    stats.outcome(Reason.OK); // second 3
    advance(SECOND / 2); // the crawl ends 3.5 s in

    CrawlReport report = stats.snapshot(5, 0, false);

    assertThat(report.timeline()).containsExactly(2L, 1L, 0L, 1L);
    assertThat(report.duration()).isEqualTo(Duration.ofMillis(3_500));
  }

  @Test
  void timelineCoversTheWholeDurationEvenWhenTheLastSecondsAreEmpty() {
    stats.outcome(Reason.OK);
    advance(5 * SECOND + 1);

    assertThat(stats.snapshot(1, 0, false).timeline()).containsExactly(1L, 0L, 0L, 0L, 0L, 0L);
  }

  @Test
  void timelineGrowsForLongCrawls() {
    advance(10_000 * SECOND);
    stats.outcome(Reason.OK);

    CrawlReport report = stats.snapshot(1, 0, false);

    assertThat(report.timeline()).hasSize(10_001);
    assertThat(report.timeline().get(10_000)).isEqualTo(1L);
    assertThat(report.timeline().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
  }

  @Test
  void latencyPercentilesAreReportedInMilliseconds() {
    // 1 µs to 1000 µs: all below 2048, so the histogram holds them exactly at 3 digits.
    for (int micros = 1; micros <= 1000; micros++) {
      stats.dispatched();
      stats.responded(micros * 1_000L, 0);
    }

    CrawlReport.Latency latency = stats.snapshot(0, 0, false).latency();

    assertThat(latency.count()).isEqualTo(1000);
    assertThat(latency.p50()).isEqualTo(0.5);
    assertThat(latency.p90()).isEqualTo(0.9);
    assertThat(latency.p99()).isEqualTo(0.99);
    assertThat(latency.max()).isEqualTo(1.0);
    assertThat(latency.mean()).isCloseTo(0.5005, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void latenciesAccumulateAcrossSnapshots() {
    stats.dispatched();
    stats.responded(2 * MS, 0);
    assertThat(stats.snapshot(0, 0, false).latency().count()).isEqualTo(1);

    stats.dispatched();
    stats.responded(4 * MS, 0);
    CrawlReport.Latency latency = stats.snapshot(0, 0, false).latency();

    assertThat(latency.count()).isEqualTo(2);
    // Above 2048 µs, 3 significant digits means buckets 2 µs wide: 4000 µs reads back as 4001.
    assertThat(latency.max()).isCloseTo(4.0, org.assertj.core.data.Percentage.withPercentage(0.1));
  }

  @Test
  void latencyBeyondAnHourIsCappedNotDropped() {
    stats.dispatched();
    stats.responded(TimeUnit.HOURS.toNanos(5), 0);

    CrawlReport.Latency latency = stats.snapshot(0, 0, false).latency();

    assertThat(latency.count()).isEqualTo(1);
    assertThat(latency.max()).isBetween(3_600_000.0, 3_600_000.0 * 1.001);
  }

  @Test
  void noMeasurementsGiveEmptyLatency() {
    assertThat(stats.snapshot(0, 0, false).latency()).isEqualTo(CrawlReport.Latency.EMPTY);
  }

  @Test
  void aConsistentSequenceGivesABalancedReport() {
    // 4 accepted: one fetched after a retry, one redirected, one failed, one still pending.
    stats.dispatched();
    stats.responded(MS, 0);
    stats.retried();
    stats.dispatched();
    stats.responded(MS, 500);
    stats.outcome(Reason.OK);
    stats.dispatched();
    stats.responded(MS, 0);
    stats.outcome(Reason.REDIRECT);
    stats.dispatched();
    stats.responded(MS, 0);
    stats.outcome(Reason.HTTP_SERVER_ERROR);
    stats.dispatched();

    CrawlReport report = stats.snapshot(4, 1, true);

    assertThat(report.balanced()).isTrue();
    assertThat(report.cancelled()).isTrue();
    assertThat(report.pending()).isEqualTo(1);
    assertThat(report.latency().count()).isEqualTo(4);
    assertThat(report.peakInFlight()).isEqualTo(1);
  }

  @Test
  void anInconsistentSequenceIsNotBalanced() {
    stats.outcome(Reason.OK);

    assertThat(stats.snapshot(2, 0, false).balanced()).isFalse();
  }

  @Test
  void sampleRunsAtMostOncePerFiftyMilliseconds() {
    int atStart = probe.samples.get();
    assertThat(atStart).as("start takes a first sample").isEqualTo(1);

    stats.sample();
    advance(49 * MS);
    stats.sample();
    assertThat(probe.samples.get()).isEqualTo(1);

    advance(MS);
    stats.sample();
    stats.sample();
    assertThat(probe.samples.get()).isEqualTo(2);

    advance(50 * MS);
    stats.sample();
    assertThat(probe.samples.get()).isEqualTo(3);
  }

  @Test
  void samplesKeepThePeaksAndSnapshotTakesAFinalOne() {
    probe.threads = 40;
    probe.heap = 5_000;
    advance(50 * MS);
    stats.sample();
    probe.threads = 20;
    probe.heap = 3_000;
    probe.rss = 9_000; // seen only by the final sample in snapshot

    CrawlReport report = stats.snapshot(0, 0, false);

    assertThat(report.peakThreads()).isEqualTo(40);
    assertThat(report.peakHeapBytes()).isEqualTo(5_000);
    assertThat(report.peakRssBytes()).isEqualTo(9_000);
  }

  @Test
  void cpuTimeIsTheProcessCpuUsedSinceStart() {
    FakeProbe cpu = new FakeProbe();
    cpu.cpuNanos = 7 * SECOND;
    CrawlStats measured = new CrawlStats("virtual", 4, clock, cpu, STARTED);
    cpu.cpuNanos = 9 * SECOND + 500 * MS;
    measured.outcome(Reason.OK);

    CrawlReport report = measured.snapshot(1, 0, false);

    assertThat(report.cpuTime()).isEqualTo(Duration.ofMillis(2_500));
    assertThat(report.cpuMillisPerPage()).isEqualTo(2_500.0);
  }

  @Test
  void cpuTimeIsZeroWhereTheJvmCannotTell() {
    FakeProbe cpu = new FakeProbe();
    cpu.cpuNanos = -1;
    CrawlStats unmeasured = new CrawlStats("virtual", 4, clock, cpu, STARTED);

    assertThat(unmeasured.snapshot(0, 0, false).cpuTime()).isEqualTo(Duration.ZERO);
  }

  @Test
  void progressShowsTheCountsSoFar() {
    stats.dispatched();
    stats.dispatched();
    stats.outcome(Reason.OK);
    stats.outcome(Reason.CONNECT_FAILED);
    stats.outcome(Reason.ROBOTS_DISALLOWED);
    stats.outcome(Reason.ROBOTS_DISALLOWED);
    advance(2 * SECOND);

    CrawlProgress progress = stats.progress(10);

    assertThat(progress).isEqualTo(new CrawlProgress(10, 1, 1, 2, 2, Duration.ofSeconds(2)));
  }

  @Test
  void listenerFailuresAreCounted() {
    stats.listenerFailed();
    stats.listenerFailed();

    assertThat(stats.listenerFailures()).isEqualTo(2);
  }

  @Test
  void startMeasuresTheRealJvm() {
    CrawlStats real = CrawlStats.start("threads", 2, NanoClock.system());

    CrawlReport report = real.snapshot(0, 0, false);

    assertThat(report.peakThreads()).isPositive();
    assertThat(report.peakHeapBytes()).isPositive();
    assertThat(report.cpuTime()).isGreaterThanOrEqualTo(Duration.ZERO);
    assertThat(report.startedAt()).isBeforeOrEqualTo(Instant.now());
  }

  @Test
  void startRejectsANonPositiveConcurrency() {
    assertThatThrownBy(() -> CrawlStats.start("threads", 0, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency must be > 0, was 0");
  }

  @Test
  void vmRssLineIsReadInKibibytes() {
    assertThat(ResourceProbe.parseVmRssBytes("VmRSS:\t  123456 kB")).isEqualTo(123456L * 1024);
    assertThat(ResourceProbe.parseVmRssBytes("VmHWM:\t  1 kB")).isZero();
    assertThat(ResourceProbe.parseVmRssBytes("VmRSS: lots")).isZero();
  }
}
