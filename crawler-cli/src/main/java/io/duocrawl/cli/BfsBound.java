package io.duocrawl.cli;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.OptionalDouble;
import java.util.PriorityQueue;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

/**
 * The best pages/s any crawler with C request slots can reach on a given link graph when each fetch
 * takes a known time: a discrete-event simulation of a breadth-first crawl with no CPU cost at all.
 * A link is only known once the page that holds it has been fetched, so the first seconds of a
 * crawl cannot fill C slots however fast the crawler is (the seed is one page, its links are K
 * more…); on a small site the tail cannot either. Little's law gives C ÷ L for the steady state; this
 * bound adds the ramp-up and the tail of the actual site and page budget.
 *
 * <p>The simulated frontier is FIFO (the order the core's frontier uses for one host), accepts at
 * most {@code maxPages} URLs in discovery order, and starts a fetch whenever a slot is free.
 */
final class BfsBound {
  private BfsBound() {}

  /**
   * The outcome of one simulation.
   *
   * @param pages pages fetched (all accepted nodes)
   * @param nanos simulated time until the last fetch completed
   */
  record Result(long pages, long nanos) {
    /** Pages per second; empty when no time passes (zero latency: no bound from waiting). */
    OptionalDouble pagesPerSecond() {
      return nanos <= 0 ? OptionalDouble.empty() : OptionalDouble.of(pages * 1e9 / nanos);
    }
  }

  /**
   * Simulates a crawl of the graph.
   *
   * @param root the seed node
   * @param links the nodes a node links to (duplicates and links back are fine)
   * @param concurrency request slots C
   * @param maxPages the most nodes accepted
   * @param latencyNanos the fetch time of each node
   */
  static Result simulate(
      int root,
      IntFunction<int[]> links,
      int concurrency,
      long maxPages,
      IntToLongFunction latencyNanos) {
    BitSet seen = new BitSet();
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    // (completion time, node), earliest first; ties by node for a deterministic order.
    PriorityQueue<long[]> inFlight =
        new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    seen.set(root);
    queue.add(root);
    long accepted = 1;
    long fetched = 0;
    long now = 0;
    while (!queue.isEmpty() || !inFlight.isEmpty()) {
      while (inFlight.size() < concurrency && !queue.isEmpty()) {
        int node = queue.poll();
        inFlight.add(new long[] {now + latencyNanos.applyAsLong(node), node});
      }
      long[] done = inFlight.poll();
      now = done[0];
      fetched++;
      for (int link : links.apply((int) done[1])) {
        if (accepted < maxPages && !seen.get(link)) {
          seen.set(link);
          queue.add(link);
          accepted++;
        }
      }
    }
    return new Result(fetched, now);
  }
}
