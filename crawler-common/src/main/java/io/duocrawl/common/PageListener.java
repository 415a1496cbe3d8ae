package io.duocrawl.common;

/**
 * Called once for every accepted URL that reaches a terminal {@link Outcome}: the hook an embedding
 * scraper uses to extract its data.
 *
 * <p>Called synchronously on the engine thread that completed the fetch (a worker thread, a virtual
 * thread or a Reactor scheduler thread), possibly from many threads at once: an implementation must
 * be thread-safe and quick. An exception it throws is logged and counted; it does not stop the
 * crawl.
 *
 * <pre>{@code
 * PageListener titles = page -> page.parsed().ifPresent(p -> System.out.println(p.title()));
 * PageListener both = titles.andThen(page -> counter.increment());
 * }</pre>
 */
@FunctionalInterface
public interface PageListener {
  /** A listener that does nothing. */
  PageListener NONE = page -> {};

  /** Receives one finished URL. */
  void onPage(PageResult page);

  /**
   * Receives one finished URL with the crawl's {@link Offers} for it: what the session calls. By
   * default it ignores {@code offers} and calls {@link #onPage(PageResult)}; a listener made by
   * {@link #of(PageHandler)} hands them to its handler.
   */
  default void onPage(PageResult page, Offers offers) {
    onPage(page);
  }

  /**
   * A listener that calls this one, then {@code next}; both get the offers ({@link
   * #onPage(PageResult, Offers)}).
   */
  default PageListener andThen(PageListener next) {
    java.util.Objects.requireNonNull(next, "next");
    PageListener first = this;
    return new PageListener() {
      @Override
      public void onPage(PageResult page) {
        first.onPage(page);
        next.onPage(page);
      }

      @Override
      public void onPage(PageResult page, Offers offers) {
        first.onPage(page, offers);
        next.onPage(page, offers);
      }
    };
  }

  /**
   * A listener that runs {@code handler}, which may offer URLs to the crawl. Called without offers
   * (as {@link #onPage(PageResult)}, by code outside a session), it hands the handler offers that
   * refuse nothing and accept nothing: each {@code offer} throws {@link
   * UnsupportedOperationException}.
   */
  static PageListener of(PageHandler handler) {
    java.util.Objects.requireNonNull(handler, "handler");
    return new PageListener() {
      @Override
      public void onPage(PageResult page) {
        handler.onPage(
            page,
            new Offers() {
              @Override
              public java.util.Optional<Rejection> offer(String href) {
                throw new UnsupportedOperationException("no crawl to offer " + href + " to");
              }

              @Override
              public int depth() {
                return page.depth() + 1;
              }
            });
      }

      @Override
      public void onPage(PageResult page, Offers offers) {
        handler.onPage(page, offers);
      }
    };
  }
}
