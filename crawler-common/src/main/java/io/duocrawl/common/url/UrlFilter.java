package io.duocrawl.common.url;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides whether a discovered URL may enter the crawl, after {@link UrlRewriter rewriting} and
 * before scope, depth and dedup. A URL it refuses is counted in the report as {@link
 * io.duocrawl.common.Rejection#FILTERED}, like every other rejected link: nothing is dropped
 * silently. Seeds, links, redirect targets and URLs a page listener offers all pass through it, on
 * every engine alike.
 *
 * <p>Filters compose; a list of filters is itself a filter:
 *
 * <pre>{@code
 * UrlFilter noPdf = url -> !url.endsWith(".pdf");
 * UrlFilter noCalendar = UrlFilter.excluding(Pattern.compile("/calendar/"));
 * CrawlConfig config = CrawlConfig.builder()
 *     .seed("https://example.com/")
 *     .urlFilter(noPdf.and(noCalendar))
 *     .build();
 * }</pre>
 *
 * <p>Called from many engine threads at once: an implementation must be thread-safe, quick and not
 * block. One that throws refuses the URL it was judging (counted as {@code FILTERED}, logged at
 * WARN with the URL); the crawl goes on.
 */
@FunctionalInterface
public interface UrlFilter {
  /** A filter that accepts every URL: the default. */
  UrlFilter ALL = url -> true;

  /**
   * Whether {@code url} may be crawled.
   *
   * @param url a normalized absolute URL ({@code http} or {@code https})
   * @return true to let it go on to scope, depth and dedup; false to reject it as {@code FILTERED}
   */
  boolean accepts(String url);

  /**
   * A filter accepting what both this one and {@code other} accept ({@code other} asked second).
   */
  default UrlFilter and(UrlFilter other) {
    Objects.requireNonNull(other, "other");
    if (this == ALL) {
      return other;
    }
    if (other == ALL) {
      return this;
    }
    return url -> accepts(url) && other.accepts(url);
  }

  /** A filter accepting what this one or {@code other} accepts. */
  default UrlFilter or(UrlFilter other) {
    Objects.requireNonNull(other, "other");
    return url -> accepts(url) || other.accepts(url);
  }

  /** A filter accepting what this one refuses. */
  default UrlFilter negate() {
    return url -> !accepts(url);
  }

  /** A filter accepting what every one of {@code filters} accepts; {@link #ALL} when empty. */
  static UrlFilter allOf(List<UrlFilter> filters) {
    UrlFilter all = ALL;
    for (UrlFilter filter : List.copyOf(filters)) {
      all = all.and(filter);
    }
    return all;
  }

  /**
   * A filter refusing every URL in which {@code pattern} is found ({@link
   * java.util.regex.Matcher#find}).
   */
  static UrlFilter excluding(Pattern pattern) {
    Objects.requireNonNull(pattern, "pattern");
    return url -> !pattern.matcher(url).find();
  }

  /** A filter accepting only URLs in which {@code pattern} is found. */
  static UrlFilter matching(Pattern pattern) {
    Objects.requireNonNull(pattern, "pattern");
    return url -> pattern.matcher(url).find();
  }
}
