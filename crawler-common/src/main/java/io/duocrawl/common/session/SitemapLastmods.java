package io.duocrawl.common.session;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code <lastmod>} of each URL a sitemap offered, kept beside the frontier (not in the {@link
 * io.duocrawl.common.frontier.CrawlRequest}, so no frontier, journal or cluster format changes)
 * until the URL's page result takes it. Thread-safe. Entries are put before the URL is offered (an
 * engine may finish it at once) and taken when its page result is made; one whose offer was refused
 * is dropped at once, so the map holds at most the URLs still pending.
 */
final class SitemapLastmods {
  private final Map<String, Instant> byUrl = new ConcurrentHashMap<>();

  /** Remembers {@code lastmod} for {@code url}, the URL as it will be offered. */
  void put(String url, Instant lastmod) {
    byUrl.put(url, lastmod);
  }

  /** Forgets {@code url} (its offer was refused). */
  void drop(String url) {
    byUrl.remove(url);
  }

  /** The lastmod of {@code url}, removed; empty when none. Cheap when no sitemap had any. */
  Optional<Instant> take(String url) {
    if (byUrl.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(byUrl.remove(url));
  }
}
