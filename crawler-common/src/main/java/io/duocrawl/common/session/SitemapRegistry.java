package io.duocrawl.common.session;

import io.duocrawl.common.NanoClock;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.report.CrawlStats;
import io.duocrawl.common.sitemap.SitemapOutcome;
import io.duocrawl.common.sitemap.SitemapPolicy;
import io.duocrawl.common.sitemap.SitemapRead;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.util.ArrayList;
import java.util.Comparator;
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
  private final SitemapLastmods lastmods;
  private final ConcurrentLinkedQueue<Due> due = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> depths = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicLongArray outcomes = new AtomicLongArray(SitemapOutcome.values().length);
  private final ConcurrentLinkedQueue<SitemapRead> reads = new ConcurrentLinkedQueue<>();
  private volatile SitemapPolicy policy = SitemapPolicy.NONE;

  SitemapRegistry(
      UrlNormalizer normalizer,
      OfferPolicy offers,
      CrawlStats stats,
      NanoClock clock,
      SitemapLastmods lastmods) {
    this.normalizer = normalizer;
    this.lastmods = lastmods;
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
      record(new SitemapRead(url, SitemapOutcome.MALFORMED, 0, 0, 0, "not a URL"));
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
    SitemapRead read =
        new SitemapRead(request.url(), SitemapOutcome.FETCH_ERROR, 0, 0, 0, "not handled");
    try {
      read = handle(request.url(), depths.getOrDefault(request.url(), 0), response);
    } finally {
      depths.remove(request.url());
      record(read);
      log.info("sitemap {}: {}", request.url(), read.outcome());
      outstanding.decrementAndGet();
    }
  }

  private SitemapRead handle(String url, int depth, FetchResponse response) {
    long bytes = response.error().isPresent() ? 0 : Math.max(0, response.length());
    if (response.error().isPresent()) {
      String detail = response.detail().isEmpty() ? "" : ": " + response.detail();
      return failed(url, SitemapOutcome.FETCH_ERROR, 0, response.error().get().name() + detail);
    }
    int status = response.status();
    if (status >= 300 && status < 400 && response.location().isPresent()) {
      if (normalizer.resolve(url, response.location().get()) instanceof UrlCheck.Valid target) {
        add(target.url(), depth);
        return failed(
            url, SitemapOutcome.REDIRECTED, bytes, "HTTP " + status + " to " + target.url());
      }
      return failed(
          url,
          SitemapOutcome.REDIRECTED,
          bytes,
          "HTTP " + status + " to a bad Location: " + response.location().get());
    }
    if (status < 200 || status >= 300) {
      return failed(url, SitemapOutcome.HTTP_ERROR, bytes, "HTTP " + status);
    }
    SitemapPolicy current = policy;
    if (response.truncated()) {
      return failed(url, SitemapOutcome.TOO_LARGE, bytes, "over " + current.maxBytes() + " bytes");
    }
    SitemapReader.Read read =
        SitemapReader.read(url, response.body(), response.length(), current.maxBytes());
    if (read.outcome() != SitemapOutcome.PARSED) {
      return failed(url, read.outcome(), bytes, read.reason());
    }
    List<String> urls = read.urls();
    int found = urls.size();
    boolean over = found > current.maxUrls();
    if (over) {
      urls = urls.subList(0, current.maxUrls());
    }
    if (read.index()) {
      if (depth + 1 > current.maxDepth()) {
        for (String child : urls) {
          record(
              new SitemapRead(
                  child,
                  SitemapOutcome.TOO_DEEP,
                  0,
                  0,
                  0,
                  "listed by an index at depth " + depth + ", max depth " + current.maxDepth()));
        }
      } else {
        urls.forEach(child -> add(child, depth + 1));
      }
    } else {
      for (SitemapReader.Entry page : read.pages().subList(0, urls.size())) {
        offer(page);
      }
    }
    return new SitemapRead(
        url,
        over ? SitemapOutcome.OVER_URL_CAP : SitemapOutcome.PARSED,
        found,
        urls.size(),
        bytes,
        over ? "listed " + found + " URLs, cap " + current.maxUrls() : "");
  }

  /** Offers one page URL at depth 0, its lastmod kept for its page result. */
  private void offer(SitemapReader.Entry page) {
    if (!(normalizer.normalize(page.url()) instanceof UrlCheck.Valid valid)) {
      stats.rejected(Rejection.MALFORMED);
      return;
    }
    page.lastmod().ifPresent(lastmod -> lastmods.put(valid.url(), lastmod));
    Optional<Rejection> rejection = offers.offer(valid.url(), 0, List.of());
    if (rejection.isPresent()) {
      stats.rejected(rejection.get());
      if (page.lastmod().isPresent()) {
        lastmods.drop(valid.url());
      }
    }
  }

  private static SitemapRead failed(String url, SitemapOutcome outcome, long bytes, String reason) {
    return new SitemapRead(url, outcome, 0, 0, bytes, reason);
  }

  private void record(SitemapRead read) {
    outcomes.incrementAndGet(read.outcome().ordinal());
    reads.add(read);
  }

  /** Every sitemap read so far, one entry each, ordered by URL then outcome (deterministic). */
  List<SitemapRead> reads() {
    List<SitemapRead> sorted = new ArrayList<>(reads);
    sorted.sort(Comparator.comparing(SitemapRead::url).thenComparing(SitemapRead::outcome));
    return List.copyOf(sorted);
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
