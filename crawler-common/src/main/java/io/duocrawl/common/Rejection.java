package io.duocrawl.common;

/**
 * Why a discovered link was not accepted into the frontier. Rejected links are counted in the
 * report by this reason; they are never "lost", because they were never accepted.
 */
public enum Rejection {
  /** Its normalized form was seen before. */
  DUPLICATE,
  /** Outside the configured scope (other host or other registrable domain). */
  OUT_OF_SCOPE,
  /** Matched an exclude pattern, or no include pattern. */
  EXCLUDED,
  /** Deeper than {@code maxDepth}. */
  MAX_DEPTH,
  /** The crawl had already accepted {@code maxPages} URLs. */
  MAX_PAGES,
  /** A scheme a web crawler does not fetch: {@code javascript:}, {@code mailto:}, {@code data:}… */
  UNSUPPORTED_SCHEME,
  /** Not a parseable URL. */
  MALFORMED,
  /**
   * The link had {@code rel=nofollow}, or the page said {@code <meta name=robots
   * content=nofollow>}.
   */
  NOFOLLOW,
  /**
   * Refused by the crawl's {@link io.duocrawl.common.url.UrlFilter} ({@link
   * CrawlConfig#urlFilter()}), after rewriting.
   */
  FILTERED
}
