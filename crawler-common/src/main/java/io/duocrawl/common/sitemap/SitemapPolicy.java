package io.duocrawl.common.sitemap;

import java.util.List;

/**
 * Which sitemaps a crawl reads, and the caps on each. Sitemap URLs are offered at depth 0, like
 * seeds, through the same checks as links (scope, robots.txt, dedup, the page budget).
 *
 * <pre>{@code
 * SitemapPolicy policy = SitemapPolicy.of(List.of("https://example.com/sitemap.xml"))
 *     .withFromRobots(true);
 * session.useSitemaps(policy);
 * }</pre>
 *
 * @param urls sitemap URLs to read (XML, text, RSS/Atom, gzip, or sitemap indexes). Default none.
 * @param fromRobots whether the {@code Sitemap:} lines of each host's robots.txt are read too.
 *     Default false.
 * @param maxBytes the most bytes of one sitemap, counted after inflating (the engine's gzip
 *     Content-Encoding and a gzip file alike, so a gzip bomb stops there); larger is {@link
 *     SitemapOutcome#TOO_LARGE}. Default {@value #DEFAULT_MAX_BYTES} (50 MiB, the sitemaps.org
 *     limit); at least 1.
 * @param maxUrls the most URLs offered from one sitemap (or sitemaps read from one index); the rest
 *     are dropped and it counts as {@link SitemapOutcome#OVER_URL_CAP}. Default {@value
 *     #DEFAULT_MAX_URLS} (the sitemaps.org limit); at least 1.
 * @param maxDepth how deep sitemap indexes nest: 0 reads no index's sitemaps, 1 reads those of the
 *     given (or robots.txt) indexes. Default {@value #DEFAULT_MAX_DEPTH}.
 */
public record SitemapPolicy(
    List<String> urls, boolean fromRobots, long maxBytes, int maxUrls, int maxDepth) {

  /** The default {@link #maxBytes()}: 50 MiB. */
  public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;

  /** The default {@link #maxUrls()}. */
  public static final int DEFAULT_MAX_URLS = 50_000;

  /** The default {@link #maxDepth()}. */
  public static final int DEFAULT_MAX_DEPTH = 2;

  /** No sitemaps: what a session reads unless told otherwise. */
  public static final SitemapPolicy NONE =
      new SitemapPolicy(List.of(), false, DEFAULT_MAX_BYTES, DEFAULT_MAX_URLS, DEFAULT_MAX_DEPTH);

  /** Validates and copies; messages name the field and the bad value. */
  public SitemapPolicy {
    urls = List.copyOf(urls);
    if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "sitemap maxBytes must be in 1.." + (Integer.MAX_VALUE - 8) + ", was " + maxBytes);
    }
    if (maxUrls < 1) {
      throw new IllegalArgumentException("sitemap maxUrls must be >= 1, was " + maxUrls);
    }
    if (maxDepth < 0) {
      throw new IllegalArgumentException("sitemap maxDepth must be >= 0, was " + maxDepth);
    }
  }

  /** The given sitemaps with the default caps, robots.txt's not read. */
  public static SitemapPolicy of(List<String> urls) {
    return new SitemapPolicy(urls, false, DEFAULT_MAX_BYTES, DEFAULT_MAX_URLS, DEFAULT_MAX_DEPTH);
  }

  /** This policy, reading robots.txt's {@code Sitemap:} lines or not. */
  public SitemapPolicy withFromRobots(boolean fromRobots) {
    return new SitemapPolicy(urls, fromRobots, maxBytes, maxUrls, maxDepth);
  }

  /** This policy with other caps. */
  public SitemapPolicy withCaps(long maxBytes, int maxUrls, int maxDepth) {
    return new SitemapPolicy(urls, fromRobots, maxBytes, maxUrls, maxDepth);
  }

  /** Whether there is anything to read: sitemap URLs, or robots.txt's. */
  public boolean active() {
    return !urls.isEmpty() || fromRobots;
  }
}
