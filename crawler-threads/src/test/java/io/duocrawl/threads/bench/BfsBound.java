package io.duocrawl.threads.bench;

import io.duocrawl.common.PageResult;
import io.duocrawl.common.parse.ParsedPage;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The fastest any crawler could go on this site with N requests in flight and a fixed latency L,
 * from the site's real link graph: an ideal crawler with no overhead, N slots, a FIFO frontier,
 * every fetch taking exactly L. Early in a crawl the frontier holds fewer than N URLs (the root has
 * a handful of links), so the ideal is below Little's law N ÷ L; this is the "BFS bound".
 *
 * <p>The graph is recorded from a real crawl: {@link #record} is a page listener.
 */
final class BfsBound {
  private final UrlNormalizer normalizer = UrlNormalizer.create();
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<int[]> links = new ArrayList<>();
  private int root = -1;

  /** A listener that records each fetched page's links. Not thread-safe: synchronized. */
  synchronized void record(PageResult page) {
    if (page.parsed().isEmpty()) {
      return;
    }
    ParsedPage parsed = page.parsed().get();
    int from = id(page.url());
    if (root < 0 && page.depth() == 0) {
      root = from;
    }
    int[] out = new int[parsed.links().size()];
    int n = 0;
    for (String href : parsed.links()) {
      if (normalizer.resolve(parsed.baseUrl(), href) instanceof UrlCheck.Valid valid) {
        out[n++] = id(valid.url());
      }
    }
    links.set(from, java.util.Arrays.copyOf(out, n));
  }

  private int id(String url) {
    return ids.computeIfAbsent(
        url,
        u -> {
          links.add(new int[0]);
          return links.size() - 1;
        });
  }

  /** Pages in the recorded graph. */
  synchronized int pages() {
    return ids.size();
  }

  /**
   * The ideal crawl's rate in pages per second when it accepts {@code maxPages} URLs, fetches them
   * with {@code n} in flight, each taking {@code latencyMillis}.
   */
  synchronized double pagesPerSecond(int n, long latencyMillis, int maxPages) {
    boolean[] seen = new boolean[links.size()];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    // Completion times in ms and page ids, earliest first.
    PriorityQueue<long[]> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    queue.add(root);
    seen[root] = true;
    int accepted = 1;
    int done = 0;
    long now = 0;
    while (!queue.isEmpty() || !inFlight.isEmpty()) {
      while (inFlight.size() < n && !queue.isEmpty()) {
        inFlight.add(new long[] {now + latencyMillis, queue.poll()});
      }
      long[] next = inFlight.poll();
      now = next[0];
      done++;
      for (int to : links.get((int) next[1])) {
        if (!seen[to] && accepted < maxPages) {
          seen[to] = true;
          accepted++;
          queue.add(to);
        }
      }
    }
    return now == 0 ? Double.POSITIVE_INFINITY : done / (now / 1000.0);
  }
}
