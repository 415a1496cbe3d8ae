package io.duocrawl.common;

import java.time.Duration;

/**
 * A cheap, immutable look at a running crawl, for progress lines.
 *
 * @param accepted URLs accepted so far
 * @param fetched pages fetched so far
 * @param failed URLs failed so far
 * @param skipped URLs skipped so far
 * @param inFlight requests in flight now
 * @param elapsed time since the crawl started
 */
public record CrawlProgress(
    long accepted, long fetched, long failed, long skipped, int inFlight, Duration elapsed) {

  /** Fetched pages per second of elapsed time; 0 before any time has passed. */
  public double pagesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : fetched / seconds;
  }
}
