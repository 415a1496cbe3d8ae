package io.duocrawl.common.session;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.CrawlProgress;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.Reason;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.parse.PageParser;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.report.CrawlStats;
import io.duocrawl.common.sitemap.SitemapOutcome;
import io.duocrawl.common.sitemap.SitemapPolicy;
import io.duocrawl.common.url.UrlNormalizer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One crawl, seen from an engine. Thread-safe; no method blocks or sleeps.
 *
 * <p>An engine's whole loop:
 *
 * <pre>{@code
 * CrawlSession session = CrawlSession.open("threads", config, listener);
 * session.onWake(this::signalIdleWorkers);           // new work may be ready, or the crawl is over
 * while (!session.isDone()) {
 *   Optional<FetchRequest> next = session.next();   // ready now?
 *   if (next.isEmpty()) {                            // check isDone() again before waiting:
 *     if (!session.isDone()) waitAtMost(session.nanosUntilReady()); // next() may have ended it
 *     continue;
 *   }
 *   FetchRequest request = next.get();
 *   // GET request.url(); read at most session.bodyLimit(request, status, headers) bytes
 *   session.complete(request, response);            // or FetchResponse.error(...)
 * }
 * CrawlReport report = session.finish();
 * }</pre>
 *
 * <p>Every {@link FetchRequest} handed out must come back through {@link #complete} exactly once,
 * unless the session was cancelled: then an aborted request may simply be dropped, and its URL is
 * reported as pending.
 */
public final class CrawlSession {
  private static final Logger log = LoggerFactory.getLogger(CrawlSession.class);

  private final String engine;
  private final CrawlConfig config;
  private final Frontier frontier;
  private final NanoClock clock;
  private final CrawlStats stats;
  private final UrlNormalizer normalizer = UrlNormalizer.create();
  private final RobotsRegistry robots;
  private final HostHealth health;
  private final OfferPolicy offers;
  private final PageProcessor processor;
  private final ExchangeTap exchanges;
  private final SitemapRegistry sitemaps;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Runnable wake = () -> {};

  private CrawlSession(
      String engine,
      CrawlConfig config,
      PageListener listener,
      Frontier frontier,
      NanoClock clock) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.config = Objects.requireNonNull(config, "config");
    this.frontier = Objects.requireNonNull(frontier, "frontier");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(listener, "listener");
    this.stats = CrawlStats.start(engine, config.concurrency(), clock);
    this.robots = new RobotsRegistry(config, frontier, clock, stats, normalizer);
    this.health = new HostHealth(config.hostFailureThreshold(), config.retry(), frontier, clock);
    this.offers = new OfferPolicy(config, normalizer, frontier, robots);
    SitemapLastmods lastmods = new SitemapLastmods();
    this.processor =
        new PageProcessor(
            config, frontier, offers, health, normalizer, stats, listener, clock, lastmods);
    this.exchanges = new ExchangeTap(config);
    this.sitemaps = new SitemapRegistry(normalizer, offers, stats, clock, lastmods);
    this.robots.onSitemaps(sitemaps::fromRobots);
  }

  /** Opens a session with an in-memory frontier and the system clock, and offers the seeds. */
  public static CrawlSession open(String engine, CrawlConfig config, PageListener listener) {
    NanoClock clock = NanoClock.system();
    return open(engine, config, listener, Frontier.inMemory(config, clock), clock);
  }

  /**
   * Opens a session over the given frontier and clock (for tests, or a persistent frontier), and
   * offers the seeds. A malformed seed is counted as a rejected link and logged; the others are
   * crawled.
   */
  public static CrawlSession open(
      String engine,
      CrawlConfig config,
      PageListener listener,
      Frontier frontier,
      NanoClock clock) {
    CrawlSession session = new CrawlSession(engine, config, listener, frontier, clock);
    session.rebuildInheritedHosts();
    session.offers.offerSeeds(session.stats);
    session.logStart();
    return session;
  }

  /** Hosts a resumed or shared frontier already holds: their robots.txt is fetched again first. */
  private void rebuildInheritedHosts() {
    if (config.robots()) {
      for (CrawlRequest request : frontier.inheritedHosts()) {
        robots.refetch(request.hostKey(), request.url());
      }
    }
  }

  private void logStart() {
    log.info(
        "crawl started: engine={} seeds={} concurrency={} perHost={} maxPages={} robots={}",
        engine,
        config.seeds().size(),
        config.concurrency(),
        config.perHostConcurrency(),
        config.maxPages(),
        config.robots());
  }

  /** The configuration of this crawl. */
  public CrawlConfig config() {
    return config;
  }

  /** The engine id given at open. */
  public String engine() {
    return engine;
  }

  /**
   * Sets the callback run (on whichever thread changed the state) whenever new work may have become
   * ready or the crawl may have ended: after every {@link #complete}, on {@link #cancel}, and when
   * {@link #next()} skipped robots-disallowed URLs. It must be quick and must not call back into
   * the session while holding locks the session's callers hold. Replaces any earlier callback.
   */
  public void onWake(Runnable wake) {
    this.wake = Objects.requireNonNull(wake, "wake");
  }

  /**
   * Sets the listener that sees every exchange that got a response (robots.txt included), before it
   * is processed: the hook of a WARC writer. Call before the engine fetches anything, for example
   * in a {@link SessionOpener}. Replaces any earlier listener; default {@link
   * ExchangeListener#NONE}.
   */
  public void onExchange(ExchangeListener listener) {
    exchanges.listener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Reads the sitemaps {@code policy} names (and, when it asks, those of every robots.txt): their
   * URLs are offered at depth 0 through the same checks as links. Call before the engine fetches
   * anything, for example in a {@link SessionOpener}; a resumed crawl calls it again, and its
   * sitemaps are read again (URLs already known are duplicates). Default {@link
   * SitemapPolicy#NONE}.
   */
  public void useSitemaps(SitemapPolicy policy) {
    sitemaps.use(Objects.requireNonNull(policy, "policy"));
    wake.run();
  }

  /** Sitemaps by outcome so far (outcomes never met left out); thread-safe. */
  public Map<SitemapOutcome, Long> sitemapOutcomes() {
    return sitemaps.outcomes();
  }

  /**
   * The next request to make now, if one is ready: a robots.txt request first, else a page. The
   * request counts as in flight until {@link #complete}. Empty when nothing is ready now (see
   * {@link #nanosUntilReady()}), or when the crawl is cancelled or stopping.
   */
  public Optional<FetchRequest> next() {
    if (cancelled.get() || stopping.get()) {
      return Optional.empty();
    }
    Optional<FetchRequest> robotsFetch = robots.next();
    if (robotsFetch.isPresent()) {
      stats.dispatched();
      return robotsFetch;
    }
    Optional<FetchRequest> sitemapFetch = sitemaps.next();
    if (sitemapFetch.isPresent()) {
      stats.dispatched();
      return sitemapFetch;
    }
    boolean skipped = false;
    while (true) {
      Optional<CrawlRequest> polled = frontier.poll();
      if (polled.isEmpty()) {
        if (skipped) {
          // Ending URLs without a fetch: the crawl may be over now, so tell the waiters.
          wake.run();
        }
        return Optional.empty();
      }
      CrawlRequest request = polled.get();
      if (endsWithoutFetch(request)) {
        skipped = true;
        continue;
      }
      stats.dispatched();
      return Optional.of(
          new FetchRequest(
              request.url(),
              FetchRequest.Kind.PAGE,
              request,
              request.hostKey(),
              clock.nanoTime(),
              config.request()));
    }
  }

  /**
   * Ends a polled request that is not to be fetched (host given up, robots.txt disallows it or
   * could not be had), or puts it back while its host's robots.txt is fetched again; returns
   * whether the request was taken care of so.
   */
  private boolean endsWithoutFetch(CrawlRequest request) {
    Optional<String> dead = health.deadDetail(request.hostKey());
    if (dead.isPresent()) {
      processor.skip(request, Reason.HOST_UNRESPONSIVE, dead.get());
      return true;
    }
    if (!config.robots()) {
      return false;
    }
    switch (robots.check(request)) {
      case ALLOW:
        return false;
      case DISALLOW:
        processor.skip(request, Reason.ROBOTS_DISALLOWED, "disallowed by robots.txt");
        return true;
      case UNREACHABLE:
        processor.skip(
            request, Reason.ROBOTS_UNAVAILABLE, robots.unreachableDetail(request.hostKey()));
        return true;
      case WAIT:
        // Back to its host's queue (the host is paused until the rules are in): not a retry.
        frontier.retryLater(request, clock.nanoTime());
        return true;
      default:
        throw new IllegalStateException("unknown verdict");
    }
  }

  /**
   * How many body bytes to read for this response, decided from its status and headers: the
   * config's {@code maxBodyBytes} for a 2xx HTML page, 4 MiB for a 2xx robots.txt (of which the
   * first 500 KiB are parsed), and 0 for everything else (redirects, errors, non-HTML), whose
   * bodies the core does not use. An engine reads at most one byte past the limit to tell "exactly
   * the limit" from "larger", and then reports {@link FetchResponse#tooLarge}.
   */
  public long bodyLimit(FetchRequest request, int status, HeaderLookup headers) {
    if (status < 200 || status >= 300) {
      return 0;
    }
    if (request.kind() == FetchRequest.Kind.ROBOTS) {
      return RobotsResponses.READ_LIMIT;
    }
    if (request.kind() == FetchRequest.Kind.SITEMAP) {
      return sitemaps.maxBytes();
    }
    String contentType = headers.header("Content-Type").orElse("");
    return PageParser.isHtml(contentType) ? config.maxBodyBytes() : 0;
  }

  /**
   * Takes back a request with what came of it: processes the page (outcome, parsing, links offered
   * to the frontier, listener called) or schedules a retry. Runs the parse on the calling thread:
   * engines call it from a thread meant for CPU work.
   */
  public void complete(FetchRequest request, FetchResponse response) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    long latency = clock.nanoTime() - request.dispatchedAt();
    stats.responded(latency, response.length());
    try {
      if (cancelled.get() && response.error().isPresent()) {
        // Aborted by cancel: the URL stays in flight in the frontier and is reported as pending.
        return;
      }
      if (exchanges.active() && response.error().isEmpty()) {
        exchanges.tap(
            request, response, latency, bodyLimit(request, response.status(), response.headers()));
      }
      if (request.kind() == FetchRequest.Kind.ROBOTS) {
        robots.complete(request, response);
      } else if (request.kind() == FetchRequest.Kind.SITEMAP) {
        sitemaps.complete(request, response);
      } else {
        processor.process(request.request(), response, latency);
      }
    } finally {
      stats.sample();
      wake.run();
    }
  }

  /**
   * Nanoseconds until {@link #next()} may have something: 0 if something is ready now, empty when
   * only a {@link #complete} (signalled through {@link #onWake}) can make work ready.
   */
  public OptionalLong nanosUntilReady() {
    if (stopping.get()) {
      // Nothing more is handed out: only the completions still in flight matter.
      return OptionalLong.empty();
    }
    if (sitemaps.hasDue()) {
      return OptionalLong.of(0);
    }
    OptionalLong robotsDue = robots.nanosUntilDue();
    OptionalLong pageReady = frontier.nanosUntilReady();
    if (robotsDue.isEmpty()) {
      return pageReady;
    }
    if (pageReady.isEmpty()) {
      return robotsDue;
    }
    return OptionalLong.of(Math.min(robotsDue.getAsLong(), pageReady.getAsLong()));
  }

  /**
   * Whether the crawl is over: cancelled, stopped with nothing left in flight, or nothing is
   * queued, delayed or in flight (robots.txt included). An engine stops taking work once this is
   * true; with {@code cancel}, it also aborts what is in flight.
   */
  public boolean isDone() {
    return cancelled.get()
        || (stopping.get() && stats.inFlight() == 0)
        || (robots.idle() && sitemaps.idle() && frontier.isExhausted());
  }

  /**
   * Stops gracefully: no new request is handed out, the requests in flight are completed as usual
   * (their pages parsed, their listeners called, their links offered), and once the last of them is
   * back the crawl is {@link #isDone() done}. What is still queued or delayed then is reported as
   * pending, and the report says {@code cancelled} (the crawl ended before its frontier did).
   * Idempotent; a {@link #cancel()} afterwards still aborts what is in flight.
   */
  public void stop() {
    if (stopping.compareAndSet(false, true)) {
      log.info("crawl stopping: engine={} inFlight={}", engine, stats.inFlight());
      wake.run();
    }
  }

  /** Whether {@link #stop()} was called. */
  public boolean isStopping() {
    return stopping.get();
  }

  /** Stops handing out requests; in-flight requests may be aborted by the engine. Idempotent. */
  public void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      log.info("crawl cancelled: engine={}", engine);
      wake.run();
    }
  }

  /** Whether {@link #cancel()} was called. */
  public boolean isCancelled() {
    return cancelled.get();
  }

  /** A cheap snapshot of progress. */
  public CrawlProgress progress() {
    return stats.progress(frontier.counts().accepted());
  }

  /** Requests handed out and not yet completed. */
  public int inFlight() {
    return stats.inFlight();
  }

  /**
   * Ends the session and returns its report, once, after the engine has stopped. URLs still queued,
   * delayed or in flight are removed from the frontier and reported as pending.
   *
   * @throws IllegalStateException when called twice
   */
  public CrawlReport finish() {
    if (!finished.compareAndSet(false, true)) {
      throw new IllegalStateException("finish() was already called for this session");
    }
    List<CrawlRequest> left = frontier.drain();
    Frontier.Counts counts = frontier.counts();
    long pending = left.size() + counts.queued() + counts.delayed() + counts.inFlight();
    CrawlReport report =
        stats
            .snapshot(counts.accepted(), pending, cancelled.get() || stopping.get())
            .withSitemaps(sitemaps.reads());
    log.info(
        "crawl finished: engine={} fetched={} failed={} skipped={} pending={} pages/s={}",
        engine,
        report.fetched(),
        report.failed(),
        report.skipped(),
        report.pending(),
        String.format(java.util.Locale.ROOT, "%.1f", report.pagesPerSecond()));
    return report;
  }
}
