package io.duocrawl.common.report;

import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.sitemap.SitemapRead;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The immutable result of one crawl: counts, rates, latencies and resource use. Made by {@code
 * CrawlStats.snapshot}; rendered by {@link ReportFormat}.
 *
 * <p>Accounting: {@code accepted = fetched + redirected + failed + skipped + pending}, see {@link
 * #balanced()}. {@code accepted} and {@code pending} come from the frontier, the other counts from
 * the outcomes recorded, so the equation is a real check.
 *
 * @param engine the engine id
 * @param concurrency the configured concurrency
 * @param startedAt wall-clock start
 * @param duration wall-clock duration
 * @param accepted URLs the frontier accepted
 * @param fetched HTML pages fetched
 * @param redirected redirect sources
 * @param failed failed URLs
 * @param skipped skipped URLs
 * @param pending accepted URLs unfinished when the crawl stopped
 * @param retries retry attempts scheduled
 * @param robotsFetches robots.txt requests made
 * @param listenerFailures times a {@link io.duocrawl.common.PageListener} threw (the crawl went on)
 * @param bodyBytes body bytes read
 * @param reasons terminal URLs by reason
 * @param rejections links not accepted, by reason
 * @param timeline fetched pages in each whole second since the start
 * @param latency fetch latency (dispatch to last body byte) over every attempt that got a response
 *     or an error
 * @param peakInFlight most requests in flight at once
 * @param peakThreads most live platform threads in the JVM (virtual threads not counted)
 * @param peakHeapBytes most heap in use, sampled
 * @param peakRssBytes most resident memory of the process, sampled; 0 where unknown
 * @param cpuTime process CPU time used during the crawl (all threads of the JVM)
 * @param cancelled whether the crawl was cancelled
 * @param sitemaps what came of each sitemap read, ordered by URL; empty when none was read (the
 *     JSON and the tables then have no sitemap section)
 */
public record CrawlReport(
    String engine,
    int concurrency,
    Instant startedAt,
    Duration duration,
    long accepted,
    long fetched,
    long redirected,
    long failed,
    long skipped,
    long pending,
    long retries,
    long robotsFetches,
    long listenerFailures,
    long bodyBytes,
    Map<Reason, Long> reasons,
    Map<Rejection, Long> rejections,
    List<Long> timeline,
    Latency latency,
    int peakInFlight,
    int peakThreads,
    long peakHeapBytes,
    long peakRssBytes,
    Duration cpuTime,
    boolean cancelled,
    List<SitemapRead> sitemaps) {

  /** Copies the collections, keeping enum order in the maps. */
  public CrawlReport {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
    reasons =
        reasons.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new EnumMap<>(reasons));
    rejections =
        rejections.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new EnumMap<>(rejections));
    timeline = List.copyOf(timeline);
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(cpuTime, "cpuTime");
    sitemaps = List.copyOf(sitemaps);
  }

  /** A report of a crawl that read no sitemap: {@link #sitemaps()} empty. */
  public CrawlReport(
      String engine,
      int concurrency,
      Instant startedAt,
      Duration duration,
      long accepted,
      long fetched,
      long redirected,
      long failed,
      long skipped,
      long pending,
      long retries,
      long robotsFetches,
      long listenerFailures,
      long bodyBytes,
      Map<Reason, Long> reasons,
      Map<Rejection, Long> rejections,
      List<Long> timeline,
      Latency latency,
      int peakInFlight,
      int peakThreads,
      long peakHeapBytes,
      long peakRssBytes,
      Duration cpuTime,
      boolean cancelled) {
    this(
        engine,
        concurrency,
        startedAt,
        duration,
        accepted,
        fetched,
        redirected,
        failed,
        skipped,
        pending,
        retries,
        robotsFetches,
        listenerFailures,
        bodyBytes,
        reasons,
        rejections,
        timeline,
        latency,
        peakInFlight,
        peakThreads,
        peakHeapBytes,
        peakRssBytes,
        cpuTime,
        cancelled,
        List.of());
  }

  /** This report with {@code sitemaps} as its {@link #sitemaps()}. */
  public CrawlReport withSitemaps(List<SitemapRead> sitemaps) {
    return new CrawlReport(
        engine,
        concurrency,
        startedAt,
        duration,
        accepted,
        fetched,
        redirected,
        failed,
        skipped,
        pending,
        retries,
        robotsFetches,
        listenerFailures,
        bodyBytes,
        reasons,
        rejections,
        timeline,
        latency,
        peakInFlight,
        peakThreads,
        peakHeapBytes,
        peakRssBytes,
        cpuTime,
        cancelled,
        sitemaps);
  }

  /** Whether {@code accepted = fetched + redirected + failed + skipped + pending}. */
  public boolean balanced() {
    return accepted == fetched + redirected + failed + skipped + pending;
  }

  /** Fetched pages per second of wall-clock time. */
  public double pagesPerSecond() {
    double seconds = duration.toNanos() / 1e9;
    return seconds <= 0 ? 0 : fetched / seconds;
  }

  /** CPU milliseconds per fetched page; 0 when nothing was fetched. */
  public double cpuMillisPerPage() {
    return fetched == 0 ? 0 : cpuTime.toNanos() / 1e6 / fetched;
  }

  /** The count for one reason, 0 when absent. */
  public long count(Reason reason) {
    return reasons.getOrDefault(reason, 0L);
  }

  /** The count for one rejection reason, 0 when absent. */
  public long count(Rejection rejection) {
    return rejections.getOrDefault(rejection, 0L);
  }

  /**
   * Latency percentiles in milliseconds.
   *
   * @param count measured attempts
   * @param p50 median
   * @param p90 90th percentile
   * @param p99 99th percentile
   * @param max maximum
   * @param mean mean
   */
  public record Latency(long count, double p50, double p90, double p99, double max, double mean) {
    /** No measurements. */
    public static final Latency EMPTY = new Latency(0, 0, 0, 0, 0, 0);
  }
}
