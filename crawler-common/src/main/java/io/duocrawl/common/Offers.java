package io.duocrawl.common;

import java.util.Optional;

/**
 * Where a {@link PageHandler} offers the URLs it found in one page. Thread-safe; valid only during
 * the {@link PageHandler#onPage} call it was given to (afterwards {@link #offer} throws {@link
 * IllegalStateException}: the page's accounting is closed).
 *
 * <pre>{@code
 * Optional<Rejection> why = offers.offer("/api/items?page=2");
 * why.ifPresent(r -> log.debug("not crawled: {}", r));
 * }</pre>
 */
public interface Offers {
  /**
   * Offers a URL found in the page, with the same accounting as a link of the page: resolved
   * against the page (its {@code <base href>} when it was parsed, else its URL), normalized,
   * rewritten and filtered, then scope, depth (the page's + 1), robots.txt preparation, dedup and
   * the page budget. A refusal is counted in the report's rejections, as for links.
   *
   * @param href an absolute or relative URL
   * @return empty when the URL was accepted into the frontier; else why not
   * @throws IllegalStateException after the handler call that received this has returned
   */
  Optional<Rejection> offer(String href);

  /** The depth URLs offered here get: the page's depth + 1. */
  int depth();
}
