package io.duocrawl.common.session;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.parse.PageParser;
import io.duocrawl.common.parse.ParsedPage;
import io.duocrawl.common.report.CrawlStats;
import io.duocrawl.common.url.BaseUrl;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processing step every engine shares: a request and what came back for it become an outcome
 * (fetched, redirected, retry scheduled, failed or skipped with a reason), a parse, and links
 * offered to the frontier. Thread-safe: it keeps no state of its own besides its collaborators.
 *
 * <p>Order matters for completion detection: new links and redirect targets are offered to the
 * frontier <em>before</em> the request is completed in it, so the frontier never looks exhausted
 * while a page's links are still on their way in.
 */
final class PageProcessor {
  private static final Logger log = LoggerFactory.getLogger(PageProcessor.class);

  private final CrawlConfig config;
  private final String robotsAgent;
  private final Frontier frontier;
  private final OfferPolicy offers;
  private final RetryScheduler retries;
  private final HostHealth health;
  private final UrlNormalizer normalizer;
  private final PageParser parser;
  private final CrawlStats stats;
  private final PageListener listener;
  private final SitemapLastmods lastmods;

  PageProcessor(
      CrawlConfig config,
      Frontier frontier,
      OfferPolicy offers,
      HostHealth health,
      UrlNormalizer normalizer,
      CrawlStats stats,
      PageListener listener,
      NanoClock clock,
      SitemapLastmods lastmods) {
    this.config = config;
    this.robotsAgent = config.robotsAgentName();
    this.lastmods = lastmods;
    this.frontier = frontier;
    this.offers = offers;
    this.retries = new RetryScheduler(config.retry(), frontier, stats, clock);
    this.health = health;
    this.normalizer = normalizer;
    this.parser = PageParser.create();
    this.stats = stats;
    this.listener = listener;
  }

  /** A polled request that ends without a fetch (robots.txt, a host given up): reason and why. */
  void skip(CrawlRequest request, Reason reason, String detail) {
    finish(request, Outcomes.notFetched(request, reason, detail));
    frontier.complete(request);
  }

  void process(CrawlRequest request, FetchResponse response, long latencyNanos) {
    Duration fetchTime = Duration.ofNanos(latencyNanos);
    if (response.error().isPresent()) {
      FetchError error = response.error().get();
      health.failed(request.hostKey(), error, response.detail());
      Optional<String> dead = health.deadDetail(request.hostKey());
      if (dead.isEmpty() && error != FetchError.UNKNOWN_HOST && retries.retryError(request)) {
        return;
      }
      String detail = dead.map(d -> response.detail() + "; " + d).orElse(response.detail());
      terminal(request, response, fetchTime, error.reason(), detail, 0, Optional.empty());
      return;
    }
    health.answered(request.hostKey());
    int status = response.status();
    if (status >= 200 && status < 300) {
      processSuccess(request, response, fetchTime);
    } else if (status >= 300 && status < 400) {
      processRedirect(request, response, fetchTime);
    } else if (config.retry().retryStatuses().contains(status) || status == 429) {
      processRetryable(request, response, fetchTime);
    } else {
      terminal(
          request,
          response,
          fetchTime,
          statusReason(status),
          "HTTP " + status,
          0,
          Optional.empty());
    }
  }

  private void processRetryable(CrawlRequest request, FetchResponse response, Duration fetchTime) {
    int status = response.status();
    switch (retries.retryStatus(request, status, response.retryAfter())) {
      case RETRIED -> {}
      case TOO_LONG ->
          terminal(
              request,
              response,
              fetchTime,
              Reason.RETRY_AFTER_TOO_LONG,
              retries.tooLongDetail(status, response.retryAfter()),
              0,
              Optional.empty());
      case EXHAUSTED ->
          terminal(
              request,
              response,
              fetchTime,
              statusReason(status),
              "HTTP " + status,
              0,
              Optional.empty());
    }
  }

  private void processSuccess(CrawlRequest request, FetchResponse response, Duration fetchTime) {
    if (response.truncated()) {
      terminal(
          request, response, fetchTime, Reason.TOO_LARGE, response.detail(), 0, Optional.empty());
      return;
    }
    if (!PageParser.isHtml(response.contentType())) {
      terminal(
          request,
          response,
          fetchTime,
          Reason.UNSUPPORTED_CONTENT_TYPE,
          response.contentType(),
          0,
          Optional.empty());
      return;
    }
    ParsedPage page;
    try {
      page =
          parser.parse(response.body(), response.length(), request.url(), response.contentType());
    } catch (RuntimeException e) {
      // Jsoup is lenient; a throw here is a parser bug on hostile input. The URL fails, the crawl
      // goes on.
      log.debug("parse failed for {}: {}", request.url(), e.toString());
      terminal(request, response, fetchTime, Reason.PARSE_ERROR, e.toString(), 0, Optional.empty());
      return;
    }
    RobotsTag tag = RobotsTag.of(response.headers(), robotsAgent);
    page = page.withRobotsDirectives(tag.noindex(), tag.nofollow());
    int linksFound = page.links().size() + page.nofollowLinks();
    for (int i = 0; i < page.nofollowLinks(); i++) {
      stats.rejected(Rejection.NOFOLLOW);
    }
    offerLinks(page, request.depth() + 1);
    terminal(request, response, fetchTime, Reason.OK, "", linksFound, Optional.of(page));
  }

  private void offerLinks(ParsedPage page, int depth) {
    // The base is parsed once for all the page's links; query text follows the page's encoding.
    Charset charset = Charset.isSupported(page.charset()) ? Charset.forName(page.charset()) : UTF_8;
    BaseUrl base = normalizer.base(page.baseUrl(), charset);
    List<String> urls = new ArrayList<>(page.links().size());
    for (String href : page.links()) {
      UrlCheck check = base.resolve(href);
      if (check instanceof UrlCheck.Valid valid) {
        urls.add(valid.url());
      } else {
        stats.rejected(((UrlCheck.Invalid) check).reason());
      }
    }
    offers.offerAll(urls, depth, stats::rejected);
  }

  private void processRedirect(CrawlRequest request, FetchResponse response, Duration fetchTime) {
    if (response.status() == 304) {
      // Only a conditional request may get 304, and the crawl never sends one.
      terminal(
          request,
          response,
          fetchTime,
          Reason.UNEXPECTED_STATUS,
          "HTTP 304 to an unconditional GET",
          0,
          Optional.empty());
      return;
    }
    if (response.location().isEmpty()) {
      terminal(
          request,
          response,
          fetchTime,
          Reason.BAD_REDIRECT,
          "HTTP " + response.status() + " without a Location header",
          0,
          Optional.empty());
      return;
    }
    String location = response.location().get();
    UrlCheck check = normalizer.resolve(request.url(), location);
    if (!(check instanceof UrlCheck.Valid valid)) {
      terminal(
          request,
          response,
          fetchTime,
          Reason.BAD_REDIRECT,
          "Location: " + location,
          0,
          Optional.empty());
      return;
    }
    String target = valid.url();
    if (target.equals(request.url()) || request.redirectChain().contains(target)) {
      terminal(
          request, response, fetchTime, Reason.REDIRECT_LOOP, "-> " + target, 0, Optional.empty());
      return;
    }
    if (request.redirectHops() + 1 > config.maxRedirects()) {
      terminal(
          request,
          response,
          fetchTime,
          Reason.TOO_MANY_REDIRECTS,
          "more than " + config.maxRedirects() + " hops, next " + target,
          0,
          Optional.empty());
      return;
    }
    List<String> chain = new ArrayList<>(request.redirectChain());
    chain.add(request.url());
    // The target goes through the frontier like any link: dedup, scope and robots apply to it
    // (a seed's redirect target may first widen the scope).
    boolean widened = offers.widenForSeedRedirect(request, target);
    offers.offer(target, request.depth(), chain).ifPresent(stats::rejected);
    finish(
        request,
        new PageResult(
            request.url(),
            target,
            response.status(),
            request.depth(),
            response.contentType(),
            response.length(),
            fetchTime,
            0,
            Reason.REDIRECT.outcome(),
            Reason.REDIRECT,
            widened
                ? "-> " + target + " (seed redirect: its host joins the scope)"
                : "-> " + target,
            request.attempt() + 1,
            Optional.empty(),
            response.headers()));
    frontier.complete(request);
  }

  private static Reason statusReason(int status) {
    if (status == 404 || status == 410) {
      return Reason.NOT_FOUND;
    }
    if (status == 429) {
      return Reason.TOO_MANY_REQUESTS;
    }
    if (status >= 400 && status < 500) {
      return Reason.HTTP_CLIENT_ERROR;
    }
    if (status >= 500 && status < 600) {
      return Reason.HTTP_SERVER_ERROR;
    }
    return Reason.UNEXPECTED_STATUS;
  }

  private void terminal(
      CrawlRequest request,
      FetchResponse response,
      Duration fetchTime,
      Reason reason,
      String detail,
      int linksFound,
      Optional<ParsedPage> page) {
    finish(
        request,
        new PageResult(
            request.url(),
            request.url(),
            response.status(),
            request.depth(),
            response.contentType(),
            response.length(),
            fetchTime,
            linksFound,
            reason.outcome(),
            reason,
            detail,
            request.attempt() + 1,
            page,
            response.headers()));
    frontier.complete(request);
  }

  /**
   * Counts the outcome and calls the listener, with offers for the page. Runs before the request is
   * completed in the frontier, so that URLs the listener offers are in before the frontier can look
   * exhausted.
   */
  private void finish(CrawlRequest request, PageResult page) {
    Optional<java.time.Instant> lastmod = lastmods.take(request.url());
    PageResult result = lastmod.isPresent() ? page.withLastmod(lastmod) : page;
    stats.outcome(result.reason());
    if (log.isDebugEnabled()) {
      log.debug("{} {} {} {}", result.outcome(), result.reason(), request.url(), result.detail());
    }
    ListenerOffers pageOffers = new ListenerOffers(offers, normalizer, stats, result);
    try {
      listener.onPage(result, pageOffers);
    } catch (RuntimeException e) {
      // One broken listener call must not lose the crawl; the failure is counted in the report,
      // and what it offered before throwing stays offered.
      stats.listenerFailed();
      log.warn(
          "page listener threw for {} (after offering {} URLs): {}",
          request.url(),
          pageOffers.offered(),
          e.toString());
    } finally {
      pageOffers.close();
    }
  }

  /** Page results for URLs that were never fetched. */
  static final class Outcomes {
    private Outcomes() {}

    static PageResult notFetched(CrawlRequest request, Reason reason, String detail) {
      return new PageResult(
          request.url(),
          request.url(),
          0,
          request.depth(),
          "",
          0,
          Duration.ZERO,
          0,
          reason.outcome(),
          reason,
          detail,
          0,
          Optional.empty(),
          HeaderLookup.NONE);
    }
  }
}
