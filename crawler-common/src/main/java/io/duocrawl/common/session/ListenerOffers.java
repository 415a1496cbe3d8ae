package io.duocrawl.common.session;

import io.duocrawl.common.Offers;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.parse.ParsedPage;
import io.duocrawl.common.report.CrawlStats;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Offers} of one page, open while its listener runs: each URL goes through {@link
 * OfferPolicy} as the page's links do, and a refusal is counted in the report.
 */
final class ListenerOffers implements Offers {
  private final OfferPolicy offers;
  private final UrlNormalizer normalizer;
  private final CrawlStats stats;
  private final String base;
  private final int depth;
  private final AtomicInteger offered = new AtomicInteger();
  private volatile boolean closed;

  ListenerOffers(OfferPolicy offers, UrlNormalizer normalizer, CrawlStats stats, PageResult page) {
    this.offers = offers;
    this.normalizer = normalizer;
    this.stats = stats;
    this.base = page.parsed().map(ParsedPage::baseUrl).orElse(page.url());
    this.depth = page.depth() + 1;
  }

  @Override
  public Optional<Rejection> offer(String href) {
    Objects.requireNonNull(href, "href");
    if (closed) {
      throw new IllegalStateException(
          "offer(" + href + ") after the listener call for " + base + " returned");
    }
    offered.incrementAndGet();
    UrlCheck check = normalizer.resolve(base, href);
    Optional<Rejection> rejection =
        check instanceof UrlCheck.Valid valid
            ? offers.offer(valid.url(), depth, List.of())
            : Optional.of(((UrlCheck.Invalid) check).reason());
    rejection.ifPresent(stats::rejected);
    return rejection;
  }

  @Override
  public int depth() {
    return depth;
  }

  int offered() {
    return offered.get();
  }

  void close() {
    closed = true;
  }
}
