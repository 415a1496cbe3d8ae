package io.duocrawl.common.session;

import io.duocrawl.common.NanoClock;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.report.CrawlStats;
import io.duocrawl.common.sitemap.SitemapOutcome;
import io.duocrawl.common.sitemap.SitemapPolicy;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's sitemaps: which to fetch (given ones, robots.txt's {@code Sitemap:} lines, an
 * index's children), each once, and what came of each. Their page URLs are offered at depth 0
 * through {@link OfferPolicy}, like seeds. Thread-safe; nothing blocks.
 *
 * <p>A sitemap is fetched without a robots.txt check or politeness delay (robots.txt itself names
 * them), at most once per crawl. Completion: a sitemap counts as outstanding from when it is queued
 * until its URLs are in the frontier, so the crawl cannot look over in between.
 */
final class SitemapRegistry {
  private static final Logger log = LoggerFactory.getLogger(SitemapRegistry.class);

  private record Due(String url, int depth) {}

  private final UrlNormalizer normalizer;
  private final OfferPolicy offers;
  private final CrawlStats stats;
  private final NanoClock clock;
  private final ConcurrentLinkedQueue<Due> due = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> depths = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicLongArray outcomes = new AtomicLongArray(SitemapOutcome.values().length);
  private volatile SitemapPolicy policy = SitemapPolicy.NONE;

  SitemapRegistry(UrlNormalizer normalizer, OfferPolicy offers, CrawlStats stats, NanoClock clock) {
    this.normalizer = normalizer;
    this.offers = offers;
    this.stats = stats;
    this.clock = clock;
  }

  /** Sets the policy and queues its sitemaps. */
  void use(SitemapPolicy policy) {
    this.policy = policy;
    for (String url : policy.urls()) {
      add(url, 0);
    }
  }

  /** The {@code Sitemap:} lines of a robots.txt just read; queued when the policy asks. */
  void fromRobots(List<String> urls) {
    if (policy.fromRobots()) {
      for (String url : urls) {
        add(url, 0);
      }
    }
  }

  private void add(String url, int depth) {
    UrlCheck check = normalizer.normalize(url.strip());
    if (!(check instanceof UrlCheck.Valid valid) || !SitemapReader.parsable(valid.url())) {
      log.warn("sitemap skipped, not a URL: {}", url);
      count(SitemapOutcome.MALFORMED);
      return;
    }
    if (seen.add(valid.url())) {
      outstanding.incrementAndGet();
      depths.put(valid.url(), depth);
      due.add(new Due(valid.url(), depth));
    }
  }

  /** The sitemap request to make now, if any. */
  Optional<FetchRequest> next() {
    Due next = due.poll();
    if (next == null) {
      return Optional.empty();
    }
    return Optional.of(
        new FetchRequest(
            next.url(),
            FetchRequest.Kind.SITEMAP,
            null,
            UrlNormalizer.hostKey(next.url()),
            clock.nanoTime()));
  }

  /** Whether a sitemap request is ready now. */
  boolean hasDue() {
    return !due.isEmpty();
  }

  /** Whether no sitemap is queued or in flight. */
  boolean idle() {
    return outstanding.get() == 0;
  }

  /** The body limit of a 2xx sitemap response. */
  long maxBytes() {
    return policy.maxBytes();
  }

  /** Takes back a sitemap response: its URLs offered, an index's sitemaps queued, counted. */
  void complete(FetchRequest request, FetchResponse response) {
    SitemapOutcome outcome = SitemapOutcome.FETCH_ERROR;
    try {
      outcome = handle(request.url(), depths.getOrDefault(request.url(), 0), response);
    } finally {
      depths.remove(request.url());
      count(outcome);
      log.info("sitemap {}: {}", request.url(), outcome);
      outstanding.decrementAndGet();
    }
  }

  private SitemapOutcome handle(String url, int depth, FetchResponse response) {
    if (response.error().isPresent()) {
      return SitemapOutcome.FETCH_ERROR;
    }
    int status = response.status();
    if (status >= 300 && status < 400 && response.location().isPresent()) {
      if (normalizer.resolve(url, response.location().get()) instanceof UrlCheck.Valid target) {
        add(target.url(), depth);
      }
      return SitemapOutcome.REDIRECTED;
    }
    if (status < 200 || status >= 300) {
      return SitemapOutcome.HTTP_ERROR;
    }
    if (response.truncated()) {
      return SitemapOutcome.TOO_LARGE;
    }
    SitemapPolicy current = policy;
    SitemapReader.Read read =
        SitemapReader.read(url, response.body(), response.length(), current.maxBytes());
    if (read.outcome() != SitemapOutcome.PARSED) {
      return read.outcome();
    }
    List<String> urls = read.urls();
    boolean over = urls.size() > current.maxUrls();
    if (over) {
      urls = urls.subList(0, current.maxUrls());
    }
    if (read.index()) {
      if (depth + 1 > current.maxDepth()) {
        for (int i = 0; i < urls.size(); i++) {
          count(SitemapOutcome.TOO_DEEP);
        }
      } else {
        urls.forEach(child -> add(child, depth + 1));
      }
    } else {
      for (String page : urls) {
        Optional<Rejection> rejection =
            normalizer.normalize(page) instanceof UrlCheck.Valid valid
                ? offers.offer(valid.url(), 0, List.of())
                : Optional.of(Rejection.MALFORMED);
        rejection.ifPresent(stats::rejected);
      }
    }
    return over ? SitemapOutcome.OVER_URL_CAP : SitemapOutcome.PARSED;
  }

  private void count(SitemapOutcome outcome) {
    outcomes.incrementAndGet(outcome.ordinal());
  }

  /** Sitemaps by outcome so far; outcomes never met are left out. */
  Map<SitemapOutcome, Long> outcomes() {
    Map<SitemapOutcome, Long> counts = new EnumMap<>(SitemapOutcome.class);
    for (SitemapOutcome outcome : SitemapOutcome.values()) {
      long n = outcomes.get(outcome.ordinal());
      if (n > 0) {
        counts.put(outcome, n);
      }
    }
    return counts;
  }
}
