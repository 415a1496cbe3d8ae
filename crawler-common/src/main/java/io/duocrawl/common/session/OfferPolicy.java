package io.duocrawl.common.session;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.report.CrawlStats;
import io.duocrawl.common.url.Scope;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlFilter;
import io.duocrawl.common.url.UrlNormalizer;
import io.duocrawl.common.url.UrlRewriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which URLs enter the frontier: scope, depth, the page budget, and robots.txt preparation, in that
 * order, for seeds, links and redirect targets alike. Thread-safe (the seeds are offered once, at
 * open, before any other call).
 *
 * <p>The scope starts from the seeds and grows once per <em>seed redirect</em>: when a seed (or a
 * redirect target of a seed, still at depth 0) redirects to a URL the scope refuses, as {@code
 * http://example.com/} → {@code https://www.example.com/} does, the target joins the seeds the
 * scope is built from (its host in HOST scope, its registrable domain in DOMAIN scope). A site's
 * own front door decides where it lives, not the spelling the user typed.
 *
 * <p>A host's robots.txt is prepared (the host paused) before its first URL is offered, and
 * requested only once one was accepted: a host whose URLs the page budget refuses costs no
 * robots.txt fetch, and once the budget is spent a URL of a host never seen is refused without
 * touching the frontier.
 */
final class OfferPolicy {
  private static final Logger log = LoggerFactory.getLogger(OfferPolicy.class);

  private final CrawlConfig config;
  private final Frontier frontier;
  private final RobotsRegistry robots;
  private final List<String> scopeSeeds;
  private volatile Scope scope;

  private final UrlNormalizer normalizer;

  OfferPolicy(
      CrawlConfig config, UrlNormalizer normalizer, Frontier frontier, RobotsRegistry robots) {
    this.config = config;
    this.normalizer = normalizer;
    this.frontier = frontier;
    this.robots = robots;
    this.scopeSeeds = new ArrayList<>();
    for (String seed : config.seeds()) {
      if (normalizer.normalize(seed.strip()) instanceof UrlCheck.Valid valid) {
        scopeSeeds.add(valid.url());
      }
    }
    this.scope = Scope.of(config, scopeSeeds);
  }

  /**
   * Offers the config's seeds at depth 0. A malformed or refused seed is counted as a rejected link
   * and logged; the others are crawled.
   */
  void offerSeeds(CrawlStats stats) {
    for (String seed : config.seeds()) {
      UrlCheck check = normalizer.normalize(seed.strip());
      if (check instanceof UrlCheck.Invalid invalid) {
        log.warn("seed skipped ({}): {}", invalid.reason(), seed);
        stats.rejected(invalid.reason());
        continue;
      }
      offer(((UrlCheck.Valid) check).url(), 0, List.of())
          .ifPresent(
              rejection -> {
                log.warn("seed skipped ({}): {}", rejection, seed);
                stats.rejected(rejection);
              });
    }
  }

  /**
   * Offers a normalized URL found at {@code depth}, after the config's rewriter and filter; returns
   * why it was not accepted, if not.
   */
  Optional<Rejection> offer(String found, int depth, List<String> redirectChain) {
    return switch (check(found, depth, redirectChain)) {
      case Refused refused -> Optional.of(refused.rejection());
      case Ready ready -> settle(ready.request(), frontier.offer(ready.request()));
    };
  }

  /**
   * Offers a page's normalized links found at {@code depth}, as {@link #offer} each, with one
   * frontier call for all that pass the checks; every refusal goes to {@code rejected}.
   */
  void offerAll(List<String> found, int depth, Consumer<Rejection> rejected) {
    List<CrawlRequest> requests = new ArrayList<>(found.size());
    for (String url : found) {
      switch (check(url, depth, List.of())) {
        case Refused refused -> rejected.accept(refused.rejection());
        case Ready ready -> requests.add(ready.request());
      }
    }
    if (requests.isEmpty()) {
      return;
    }
    List<Frontier.Offer> offers = frontier.offerAll(requests);
    for (int i = 0; i < offers.size(); i++) {
      settle(requests.get(i), offers.get(i)).ifPresent(rejected);
    }
  }

  /** What the checks before the frontier decided. */
  private sealed interface Checked {}

  /** Refused before the frontier. */
  private record Refused(Rejection rejection) implements Checked {}

  /** To be offered; its host's robots.txt is prepared. */
  private record Ready(CrawlRequest request) implements Checked {}

  /** The checks before the frontier, in order: rewriter and filter, scope, depth, robots. */
  private Checked check(String found, int depth, List<String> redirectChain) {
    String url = found;
    if (config.urlRewriter() != UrlRewriter.NONE || config.urlFilter() != UrlFilter.ALL) {
      UrlCheck rewritten = rewrite(found);
      if (rewritten instanceof UrlCheck.Invalid invalid) {
        return new Refused(invalid.reason());
      }
      url = ((UrlCheck.Valid) rewritten).url();
      if (!accepts(url)) {
        return new Refused(Rejection.FILTERED);
      }
    }
    Optional<Rejection> outOfScope = scope.check(url);
    if (outOfScope.isPresent()) {
      return new Refused(outOfScope.get());
    }
    if (depth > config.maxDepth()) {
      return new Refused(Rejection.MAX_DEPTH);
    }
    String hostKey = UrlNormalizer.hostKey(url);
    if (config.robots()) {
      if (!robots.knows(hostKey)) {
        if (frontier.counts().accepted() >= config.maxPages()) {
          // A host never seen can hold no duplicate: the frontier would only say MAX_PAGES.
          return new Refused(Rejection.MAX_PAGES);
        }
        robots.prepare(hostKey, url);
      }
    }
    return new Ready(new CrawlRequest(url, hostKey, depth, 0, redirectChain));
  }

  /** What the frontier's answer means for the request: nothing if accepted, else why not. */
  private Optional<Rejection> settle(CrawlRequest request, Frontier.Offer offer) {
    switch (offer) {
      case ACCEPTED:
        if (config.robots()) {
          robots.accepted(request.hostKey());
        }
        return Optional.empty();
      case DUPLICATE:
        return Optional.of(Rejection.DUPLICATE);
      case MAX_PAGES:
        return Optional.of(Rejection.MAX_PAGES);
      default:
        throw new IllegalStateException("unknown offer result " + offer);
    }
  }

  /**
   * The config's rewriter applied to {@code url} and normalized again. A rewriter that throws is an
   * embedder's bug: the URL is refused as {@code FILTERED}, logged at WARN, and the crawl goes on.
   */
  private UrlCheck rewrite(String url) {
    try {
      String rewritten = Objects.requireNonNull(config.urlRewriter().rewrite(url), "rewritten");
      return rewritten.equals(url) ? new UrlCheck.Valid(url) : normalizer.normalize(rewritten);
    } catch (RuntimeException e) {
      log.warn("URL rewriter threw for {}; refused as FILTERED: {}", url, e.toString());
      return new UrlCheck.Invalid(Rejection.FILTERED, url);
    }
  }

  /** The config's filter; one that throws refuses the URL (logged at WARN). */
  private boolean accepts(String url) {
    try {
      return config.urlFilter().accepts(url);
    } catch (RuntimeException e) {
      log.warn("URL filter threw for {}; refused as FILTERED: {}", url, e.toString());
      return false;
    }
  }

  /**
   * Widens the scope for a seed redirect: when {@code request} is a seed or a seed's redirect
   * target (depth 0) and the scope refuses {@code target}, the target joins the scope. Call before
   * offering the target; returns whether the scope grew.
   */
  boolean widenForSeedRedirect(CrawlRequest request, String target) {
    return request.depth() == 0
        && scope.check(target).equals(Optional.of(Rejection.OUT_OF_SCOPE))
        && widenScope(request.url(), target);
  }

  private synchronized boolean widenScope(String from, String target) {
    if (scope.check(target).isEmpty()) {
      return false;
    }
    scopeSeeds.add(target);
    scope = Scope.of(config, scopeSeeds);
    log.info(
        "seed {} redirects to {}: host {} joins the {} scope",
        from,
        target,
        UrlNormalizer.hostKey(target),
        config.scope());
    return true;
  }
}
