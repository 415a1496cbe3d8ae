package io.duocrawl.common;

import java.util.Objects;

/**
 * A page listener that feeds the crawl: besides the finished page, it is handed the crawl's {@link
 * Offers}, through which it adds URLs it found where the link extractor does not look (JSON, a
 * script, a {@code data-} attribute). Offered URLs get the same accounting as the page's links:
 * rewriter, filter, scope, depth (the page's depth + 1), robots.txt, dedup and the page budget,
 * each refusal counted in the report. Turn it into a listener with {@link PageListener#of}.
 *
 * <pre>{@code
 * PageHandler dataLinks = (page, offers) -> page.parsed().ifPresent(p ->
 *     p.document().select("[data-href]").forEach(e -> offers.offer(e.attr("data-href"))));
 * CrawlReport report = crawler.crawl(config, PageListener.of(dataLinks));
 * }</pre>
 *
 * <p>Called as a {@link PageListener} is: on an engine thread, possibly from many at once; it must
 * be thread-safe. An exception it throws is logged with the page's URL and counted as a listener
 * failure in the report; the URLs it offered before throwing stay offered (and are crawled), the
 * page keeps its outcome, and the crawl goes on.
 */
@FunctionalInterface
public interface PageHandler {
  /**
   * Receives one finished page; {@code offers} is valid only until this call returns.
   *
   * @param page the page, as a {@link PageListener} would receive it
   * @param offers where to offer the URLs found in it
   */
  void onPage(PageResult page, Offers offers);

  /** A handler that calls this one, then {@code next}, with the same page and offers. */
  default PageHandler andThen(PageHandler next) {
    Objects.requireNonNull(next, "next");
    return (page, offers) -> {
      onPage(page, offers);
      next.onPage(page, offers);
    };
  }
}
