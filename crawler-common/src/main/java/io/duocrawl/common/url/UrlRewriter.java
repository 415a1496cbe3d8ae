package io.duocrawl.common.url;

import java.util.Objects;

/**
 * Rewrites a discovered URL before it is filtered and deduplicated: drops tracking parameters or
 * session ids, so that {@code /a?utm_source=x} and {@code /a} are one page. The rewritten URL is
 * normalized again; one that no longer parses is rejected as {@link
 * io.duocrawl.common.Rejection#MALFORMED}. Seeds, links, redirect targets and URLs a page listener
 * offers all pass through it, on every engine alike.
 *
 * <pre>{@code
 * UrlRewriter rewriter = UrlRewriter.stripParams(List.of("utm_*", "sessionid"))
 *     .andThen(url -> url.replace("/print/", "/"));
 * CrawlConfig config = CrawlConfig.builder().seed("https://example.com/").urlRewriter(rewriter).build();
 * }</pre>
 *
 * <p>Called from many engine threads at once: an implementation must be thread-safe, quick, and
 * return the same answer for the same URL (dedup relies on it). One that throws refuses the URL
 * (counted as {@code FILTERED}, logged at WARN); the crawl goes on.
 */
@FunctionalInterface
public interface UrlRewriter {
  /** The rewriter that returns every URL unchanged: the default. */
  UrlRewriter NONE = url -> url;

  /**
   * The URL to crawl instead of {@code url}.
   *
   * @param url a normalized absolute URL
   * @return the URL to use (absolute); {@code url} itself to keep it
   */
  String rewrite(String url);

  /** A rewriter applying this one, then {@code next} to its result. */
  default UrlRewriter andThen(UrlRewriter next) {
    Objects.requireNonNull(next, "next");
    if (this == NONE) {
      return next;
    }
    if (next == NONE) {
      return this;
    }
    return url -> next.rewrite(rewrite(url));
  }

  /**
   * A rewriter removing query parameters by name; see {@link StripParams}.
   *
   * @param names parameter names; a trailing {@code *} matches any suffix ({@code utm_*})
   */
  static StripParams stripParams(java.util.List<String> names) {
    return new StripParams(names);
  }
}
