package io.duocrawl.common.sitemap;

/** What came of one sitemap fetch; each counted once per sitemap URL. */
public enum SitemapOutcome {
  /** Parsed; every URL it lists (or every sitemap an index lists) was offered. */
  PARSED,
  /**
   * Parsed, but it listed more than {@link SitemapPolicy#maxUrls()}: only the first were offered.
   */
  OVER_URL_CAP,
  /** Larger than {@link SitemapPolicy#maxBytes()}, counted after inflating: not parsed. */
  TOO_LARGE,
  /** Not a sitemap crawler-commons could read (broken XML, broken gzip, unknown format). */
  MALFORMED,
  /** A sitemap index nested deeper than {@link SitemapPolicy#maxDepth()}: not fetched. */
  TOO_DEEP,
  /** Answered 3xx: its {@code Location} was read as a sitemap instead. */
  REDIRECTED,
  /** Answered with a status other than 2xx or 3xx. */
  HTTP_ERROR,
  /** No response (connection failure, timeout). */
  FETCH_ERROR
}
