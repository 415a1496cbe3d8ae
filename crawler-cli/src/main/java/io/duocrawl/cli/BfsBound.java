package io.duocrawl.cli;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The best pages/s any crawler with C request slots can reach on a site when every fetch takes
 * exactly L and costs no CPU at all. Little's law gives C ÷ L for the steady state; a real site
 * also has a ramp-up (a page's links are known only once it is fetched: the seed is one page, its
 * links are K more, …) and a tail, and this bound includes both.
 *
 * <p>It is computed from the site's ground truth, the number of pages at each breadth-first depth,
 * by filling C slots in rounds of L: a page at depth d may start at d × L at the earliest (its
 * ancestors must be fetched first), and at most C pages are in flight. That relaxes the real
 * constraint (a page waits for its own parent, not just for its depth) and picks the shallowest
 * pages under a page budget, so it is an upper bound: no crawler beats it on this site.
 */
final class BfsBound {
  private BfsBound() {}

  /**
   * The bound in pages per second, empty when the latency is zero (then only CPU bounds a crawl).
   *
   * @param pagesAtDepth pages at each depth from the seed (index 0: the seed itself)
   * @param concurrency request slots C
   * @param maxPages the crawl's page budget; the shallowest pages are counted first
   * @param latency the time L every fetch takes
   */
  static OptionalDouble pagesPerSecond(
      long[] pagesAtDepth, int concurrency, long maxPages, Duration latency) {
    long rounds = rounds(pagesAtDepth, concurrency, maxPages);
    long total = Math.min(maxPages, sum(pagesAtDepth));
    long nanos = rounds * latency.toNanos();
    return nanos <= 0 ? OptionalDouble.empty() : OptionalDouble.of(total * 1e9 / nanos);
  }

  /** Rounds of L needed to fetch the budget, C slots per round. */
  static long rounds(long[] pagesAtDepth, int concurrency, long maxPages) {
    long budget = maxPages;
    long available = 0;
    long rounds = 0;
    long done = 0;
    long total = Math.min(maxPages, sum(pagesAtDepth));
    for (int depth = 0; done < total; depth++) {
      if (depth < pagesAtDepth.length) {
        long released = Math.min(pagesAtDepth[depth], budget);
        budget -= released;
        available += released;
      }
      long started = Math.min(concurrency, available);
      available -= started;
      done += started;
      rounds++;
    }
    return rounds;
  }

  private static long sum(long[] values) {
    long sum = 0;
    for (long v : values) {
      sum += v;
    }
    return sum;
  }
}
