package io.duocrawl.common.report;

import io.duocrawl.common.CrawlProgress;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.Outcome;
import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The live counters of one crawl; {@link #snapshot} turns them into an immutable {@link
 * CrawlReport}.
 *
 * <p>Thread-safe. Every recording method is lock-free and allocation-free, so engines call them
 * from any thread on the hot path: counts are {@link LongAdder}s, in-flight and peaks are atomics,
 * latencies go to an HdrHistogram {@link Recorder} (wait-free writers), fetched pages to a
 * per-second timeline. Reads ({@link #progress}, {@link #snapshot}) are consistent per counter, not
 * across counters: take the final snapshot after the engine has stopped recording for exact sums.
 *
 * <p>Time comes from the injected {@link NanoClock}: the duration and the timeline buckets are
 * measured from the moment of {@link #start}. Only {@link CrawlReport#startedAt()} reads the wall
 * clock.
 *
 * <pre>{@code
 * CrawlStats stats = CrawlStats.start("threads", 64, NanoClock.system());
 * stats.dispatched();                                   // request leaves
 * stats.responded(System.nanoTime() - t0, body.length); // attempt ends
 * stats.outcome(Reason.OK);                             // URL is done
 * stats.sample();                                       // now and then, from any thread
 * CrawlReport report = stats.snapshot(frontierAccepted, frontierPending, false);
 * }</pre>
 */
public final class CrawlStats {
  /** Latencies are recorded in microseconds: 1 µs to 1 h at 3 significant digits. */
  private static final long HIGHEST_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);

  private static final int SIGNIFICANT_DIGITS = 3;
  private static final long SAMPLE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final Reason[] REASONS = Reason.values();
  private static final Rejection[] REJECTIONS = Rejection.values();

  private final String engine;
  private final int concurrency;
  private final NanoClock clock;
  private final ResourceProbe probe;
  private final Instant startedAt;
  private final long startNanos;
  private final long startCpuNanos;

  private final LongAdder[] reasons = adders(REASONS.length);
  private final LongAdder[] rejections = adders(REJECTIONS.length);
  private final LongAdder retries = new LongAdder();
  private final LongAdder robotsFetches = new LongAdder();
  private final LongAdder bodyBytes = new LongAdder();
  private final LongAdder listenerFailures = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final AtomicInteger peakThreads = new AtomicInteger();
  private final AtomicLong peakHeapBytes = new AtomicLong();
  private final AtomicLong peakRssBytes = new AtomicLong();
  private final AtomicLong lastSampleNanos;
  private final SecondTimeline timeline = new SecondTimeline();

  private final Recorder latencyRecorder =
      new Recorder(1, HIGHEST_LATENCY_MICROS, SIGNIFICANT_DIGITS);

  /** Every latency drained from the recorder so far; guarded by itself. */
  private final Histogram latencyTotal =
      new Histogram(1, HIGHEST_LATENCY_MICROS, SIGNIFICANT_DIGITS);

  private Histogram latencyInterval = latencyRecorder.getIntervalHistogram();

  CrawlStats(
      String engine, int concurrency, NanoClock clock, ResourceProbe probe, Instant startedAt) {
    this.engine = Objects.requireNonNull(engine, "engine");
    if (concurrency <= 0) {
      throw new IllegalArgumentException("concurrency must be > 0, was " + concurrency);
    }
    this.concurrency = concurrency;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.startNanos = clock.nanoTime();
    this.startCpuNanos = probe.processCpuNanos();
    this.lastSampleNanos = new AtomicLong(startNanos);
    takeSample();
  }

  /**
   * Starts counting now: the duration and the per-second timeline are measured on {@code clock}
   * from this call, {@code startedAt} is {@link Instant#now()}, and a first resource sample is
   * taken.
   *
   * @param engine the engine id shown in reports, such as {@code "threads"}
   * @param concurrency the configured concurrency, {@code > 0}
   * @param clock the time source for durations and the timeline
   * @return new statistics with every count at zero
   */
  public static CrawlStats start(String engine, int concurrency, NanoClock clock) {
    return new CrawlStats(engine, concurrency, clock, ResourceProbe.jvm(), Instant.now());
  }

  /**
   * Records that a request (a page or a robots.txt) left for the network: one more in flight, and
   * the peak in flight follows. Pair every call with one {@link #responded}.
   */
  public void dispatched() {
    int now = inFlight.incrementAndGet();
    // Read before CAS: the peak changes rarely, so most calls stay a plain volatile read.
    if (now > peakInFlight.get()) {
      peakInFlight.accumulateAndGet(now, Math::max);
    }
  }

  /**
   * Records that a dispatched attempt ended, with a response or an I/O error: one fewer in flight,
   * its latency into the histogram (rounded to whole microseconds, capped at one hour) and its body
   * bytes into the total.
   *
   * @param latencyNanos dispatch to last body byte (or to the error), {@code >= 0}
   * @param bodyBytes body bytes read, {@code >= 0}
   * @throws IllegalArgumentException if either is negative
   * @throws IllegalStateException if nothing was in flight
   */
  public void responded(long latencyNanos, long bodyBytes) {
    if (latencyNanos < 0 || bodyBytes < 0) {
      throw new IllegalArgumentException(
          "latencyNanos and bodyBytes must be >= 0, were " + latencyNanos + ", " + bodyBytes);
    }
    if (inFlight.decrementAndGet() < 0) {
      inFlight.incrementAndGet();
      throw new IllegalStateException("responded() without a matching dispatched()");
    }
    long micros = latencyNanos / 1000 + (latencyNanos % 1000 >= 500 ? 1 : 0);
    latencyRecorder.recordValue(Math.min(micros, HIGHEST_LATENCY_MICROS));
    this.bodyBytes.add(bodyBytes);
  }

  /**
   * Records that an accepted URL reached its terminal outcome; {@link Reason#outcome()} says which.
   * A fetched page is also counted in the current second of the timeline.
   */
  public void outcome(Reason reason) {
    reasons[reason.ordinal()].increment();
    if (reason.outcome() == Outcome.FETCHED) {
      timeline.increment((clock.nanoTime() - startNanos) / NANOS_PER_SECOND);
    }
  }

  /** Records that a retry was scheduled. */
  public void retried() {
    retries.increment();
  }

  /** Records that a robots.txt fetch finished, whatever its result. */
  public void robotsFetched() {
    robotsFetches.increment();
  }

  /** Records that a discovered link was not accepted, and why. */
  public void rejected(Rejection rejection) {
    rejections[rejection.ordinal()].increment();
  }

  /**
   * Records that a {@link io.duocrawl.common.PageListener} threw. Counted, but not yet part of
   * {@link CrawlReport}, which has no field for it.
   */
  public void listenerFailed() {
    listenerFailures.increment();
  }

  /**
   * Samples live platform threads, heap in use and resident memory into their peaks, at most once
   * per 50 ms of the clock: a call within 50 ms of the last sample only reads the clock and
   * returns, so engines may call this as often as they like, from any thread.
   */
  public void sample() {
    long now = clock.nanoTime();
    long last = lastSampleNanos.get();
    // The CAS elects one sampler among threads that arrive together; the others return at once.
    if (now - last >= SAMPLE_INTERVAL_NANOS && lastSampleNanos.compareAndSet(last, now)) {
      takeSample();
    }
  }

  private void takeSample() {
    int threads = probe.liveThreads();
    if (threads > peakThreads.get()) {
      peakThreads.accumulateAndGet(threads, Math::max);
    }
    long heap = probe.heapUsedBytes();
    if (heap > peakHeapBytes.get()) {
      peakHeapBytes.accumulateAndGet(heap, Math::max);
    }
    long rss = probe.rssBytes();
    if (rss > peakRssBytes.get()) {
      peakRssBytes.accumulateAndGet(rss, Math::max);
    }
  }

  /** Requests in flight now: dispatched, not yet responded. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * A cheap look at the counts so far, for a progress line.
   *
   * @param accepted URLs the frontier accepted so far (the frontier counts them, not this class)
   */
  public CrawlProgress progress(long accepted) {
    Duration elapsed = Duration.ofNanos(Math.max(0, clock.nanoTime() - startNanos));
    return new CrawlProgress(
        accepted,
        count(Outcome.FETCHED),
        count(Outcome.FAILED),
        count(Outcome.SKIPPED),
        inFlight.get(),
        elapsed);
  }

  /**
   * Freezes the counts into a report, after a final resource sample. The duration runs from {@link
   * #start} to now; the CPU time is the process CPU time used since {@link #start} ({@link
   * Duration#ZERO} where the JVM cannot tell); the maps hold only non-zero counts; the timeline
   * covers every second of the duration. May be called more than once.
   *
   * @param accepted URLs the frontier accepted
   * @param pending accepted URLs without an outcome (still queued, delayed or in flight)
   * @param cancelled whether the crawl was cancelled
   */
  public CrawlReport snapshot(long accepted, long pending, boolean cancelled) {
    long now = clock.nanoTime();
    lastSampleNanos.set(now);
    takeSample();
    long elapsedNanos = Math.max(0, now - startNanos);
    long endCpuNanos = probe.processCpuNanos();
    Duration cpuTime =
        startCpuNanos < 0 || endCpuNanos < 0
            ? Duration.ZERO
            : Duration.ofNanos(Math.max(0, endCpuNanos - startCpuNanos));
    return new CrawlReport(
        engine,
        concurrency,
        startedAt,
        Duration.ofNanos(elapsedNanos),
        accepted,
        count(Outcome.FETCHED),
        count(Outcome.REDIRECTED),
        count(Outcome.FAILED),
        count(Outcome.SKIPPED),
        pending,
        retries.sum(),
        robotsFetches.sum(),
        listenerFailures.sum(),
        bodyBytes.sum(),
        nonZero(REASONS, reasons, Reason.class),
        nonZero(REJECTIONS, rejections, Rejection.class),
        timeline.toList(Math.toIntExact(Math.ceilDiv(elapsedNanos, NANOS_PER_SECOND))),
        latency(),
        peakInFlight.get(),
        peakThreads.get(),
        peakHeapBytes.get(),
        peakRssBytes.get(),
        cpuTime,
        cancelled);
  }

  /** Times a {@link io.duocrawl.common.PageListener} threw; for tests until the report has it. */
  long listenerFailures() {
    return listenerFailures.sum();
  }

  private long count(Outcome outcome) {
    long sum = 0;
    for (Reason reason : REASONS) {
      if (reason.outcome() == outcome) {
        sum += reasons[reason.ordinal()].sum();
      }
    }
    return sum;
  }

  private CrawlReport.Latency latency() {
    Histogram h = latencyTotal;
    synchronized (h) {
      // The recorder hands back the interval since the last drain and takes the old one to reuse.
      latencyInterval = latencyRecorder.getIntervalHistogram(latencyInterval);
      h.add(latencyInterval);
      if (h.getTotalCount() == 0) {
        return CrawlReport.Latency.EMPTY;
      }
      return new CrawlReport.Latency(
          h.getTotalCount(),
          millis(h.getValueAtPercentile(50)),
          millis(h.getValueAtPercentile(90)),
          millis(h.getValueAtPercentile(99)),
          millis(h.getMaxValue()),
          h.getMean() / 1000.0);
    }
  }

  private static double millis(long micros) {
    return micros / 1000.0;
  }

  private static <E extends Enum<E>> Map<E, Long> nonZero(
      E[] constants, LongAdder[] counts, Class<E> type) {
    Map<E, Long> map = new EnumMap<>(type);
    for (E constant : constants) {
      long count = counts[constant.ordinal()].sum();
      if (count != 0) {
        map.put(constant, count);
      }
    }
    return map;
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] adders = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }
}
