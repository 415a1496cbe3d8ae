package io.duocrawl.common.sitemap;

import java.util.Objects;

/**
 * What came of one sitemap: the line of the report's {@code sitemaps} section. Immutable.
 *
 * <pre>{@code
 * for (SitemapRead read : report.sitemaps()) {
 *   System.out.println(read.url() + " " + read.outcome() + " " + read.urlsOffered());
 * }
 * }</pre>
 *
 * @param url the sitemap URL (normalized; as given when it was not a URL)
 * @param outcome what came of it
 * @param urlsFound URLs it listed (for an index, the sitemaps it listed); 0 unless parsed
 * @param urlsOffered of those, how many were offered to the frontier (page URLs) or queued
 *     (sitemaps of an index): {@code urlsFound} capped at {@link SitemapPolicy#maxUrls()}; each
 *     offered page URL then passes the same checks as a link (scope, robots.txt, dedup), and the
 *     report's {@code rejections} count those refused
 * @param bytes body bytes received (after the HTTP {@code Content-Encoding}, before a gzip file is
 *     inflated); 0 when nothing was received
 * @param reason why, in words, for an outcome other than {@link SitemapOutcome#PARSED} (an HTTP
 *     status, a parser message, the cap passed); empty for {@code PARSED}
 */
public record SitemapRead(
    String url,
    SitemapOutcome outcome,
    long urlsFound,
    long urlsOffered,
    long bytes,
    String reason) {

  /** Validates: counts are not negative, nothing offered beyond what was found. */
  public SitemapRead {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    if (urlsFound < 0 || urlsOffered < 0 || urlsOffered > urlsFound) {
      throw new IllegalArgumentException(
          "sitemap urlsOffered must be in 0..urlsFound (" + urlsFound + "), was " + urlsOffered);
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("sitemap bytes must be >= 0, was " + bytes);
    }
  }
}
