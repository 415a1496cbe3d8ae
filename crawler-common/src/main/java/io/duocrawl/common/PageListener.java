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

  /** A listener that calls this one, then {@code next}. */
  default PageListener andThen(PageListener next) {
    java.util.Objects.requireNonNull(next, "next");
    return page -> {
      onPage(page);
      next.onPage(page);
    };
  }
}
