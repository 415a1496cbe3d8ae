package io.duocrawl.common.frontier;

import java.util.List;
import java.util.Objects;

/**
 * One URL to fetch, as the frontier holds it: a value, safe to share between threads.
 *
 * @param url the normalized URL (see {@code UrlNormalizer})
 * @param hostKey the politeness key, {@code host:port} (see {@code UrlNormalizer.hostKey})
 * @param depth link depth; seeds are 0, a redirect target keeps its source's depth
 * @param attempt 0 for the first fetch, n for the n-th retry
 * @param redirectChain the URLs that redirected to this one, oldest first; empty when not a
 *     redirect target. Its size is the hop count.
 */
public record CrawlRequest(
    String url, String hostKey, int depth, int attempt, List<String> redirectChain) {

  /** Copies the chain and checks the fields. */
  public CrawlRequest {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(hostKey, "hostKey");
    if (depth < 0) {
      throw new IllegalArgumentException("depth must be >= 0, was " + depth);
    }
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
    }
    redirectChain = List.copyOf(redirectChain);
  }

  /** A first attempt at a URL found by a link (or a seed, at depth 0). */
  public static CrawlRequest of(String url, String hostKey, int depth) {
    return new CrawlRequest(url, hostKey, depth, 0, List.of());
  }

  /** The same request, one attempt later. */
  public CrawlRequest nextAttempt() {
    return new CrawlRequest(url, hostKey, depth, attempt + 1, redirectChain);
  }

  /** Redirect hops that led here. */
  public int redirectHops() {
    return redirectChain.size();
  }
}
