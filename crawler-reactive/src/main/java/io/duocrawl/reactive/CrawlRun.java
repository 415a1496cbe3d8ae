package io.duocrawl.reactive;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.CrawlProgress;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchRequest;
import io.duocrawl.common.session.FetchResponse;
import io.duocrawl.common.session.SessionOpener;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One crawl: its session, its HTTP client, its crawl scheduler and the pipeline joining them.
 *
 * <pre>
 * RequestSource(session)                    demand-driven, woken by completions and a timer
 *   BoundedMerge(request -&gt;                 at most N exchanges in flight (a flatMap in O(1))
 *       fetcher.fetch(request)               Netty event loop: connect, headers, capped body
 *         .publishOn(crawl)                  hop off the event loop
 *         .map(session.complete + collect),  parse, outcome, new links, listener
 *     N)
 * </pre>
 *
 * <p>Everything that touches the session runs on the crawl's own scheduler, one thread per core:
 * {@code complete} (parse, outcome, the {@link PageListener}), the request source's drain (whose
 * {@code next()} may also call the listener, for a URL robots.txt disallows) and its readiness
 * timer. Never on a Netty event loop nor on Reactor's {@code parallel} scheduler: a listener may
 * block (write a file, as the CLI does), which would stall every connection of an event loop or the
 * Reactor timers (the whole-request timeout) queued behind it. So the threads are ordinary platform
 * threads, not Reactor non-blocking ones, and a blocking listener only slows the crawl, as it does
 * in the thread engines. The scheduler is disposed with the crawl.
 *
 * <p>The report is made once the pipeline has terminated and no {@code complete} is still running,
 * then the connection pool, the event loops and the CPU scheduler are disposed, and only then does
 * {@link #completion()} complete.
 */
final class CrawlRun {
  static final String ENGINE = "reactive";

  /**
   * Set in {@link #gate} once the pipeline has terminated; the low bits count running completes.
   */
  private static final int CLOSED = 1 << 30;

  private final CrawlSession session;
  private final HttpFetcher fetcher;
  private final Scheduler crawl;
  private final int concurrency;
  private final CompletableFuture<CrawlReport> completion = new CompletableFuture<>();
  private final AtomicInteger gate = new AtomicInteger();
  private final AtomicBoolean finishing = new AtomicBoolean();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private CrawlRun(CrawlSession session, HttpFetcher fetcher, Scheduler crawl) {
    this.session = session;
    this.fetcher = fetcher;
    this.crawl = crawl;
    this.concurrency = session.config().concurrency();
  }

  /** Opens the session (offering the seeds) and creates the client; nothing is fetched yet. */
  static CrawlRun open(CrawlConfig config, PageListener listener, SessionOpener sessions) {
    CrawlSession session = sessions.open(ENGINE, config, listener);
    return new CrawlRun(session, HttpFetcher.create(config), crawlScheduler());
  }

  /**
   * One platform thread per core, named {@code duocrawl-reactive-crawl-N}, daemon, where blocking
   * is allowed; it also keeps the request source's timer.
   */
  private static Scheduler crawlScheduler() {
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            cores, Thread.ofPlatform().name("duocrawl-reactive-crawl-", 0).daemon(true).factory());
    // A replaced readiness timer is cancelled: drop it from the queue at once.
    executor.setRemoveOnCancelPolicy(true);
    return Schedulers.fromExecutorService(executor, "duocrawl-reactive-crawl");
  }

  /**
   * The crawl as a Flux that emits, after each completed request, what {@code afterEach} returns.
   * Subscribe once. Cancelling it cancels the crawl.
   */
  <R> Flux<R> pipeline(Supplier<R> afterEach) {
    RequestSource<FetchRequest> source = new RequestSource<>(new SessionWork(session), crawl);
    return new BoundedMerge<>(source, request -> exchange(request, afterEach), concurrency)
        .doOnError(failure::set)
        .doFinally(this::terminated);
  }

  private <R> Mono<R> exchange(FetchRequest request, Supplier<R> afterEach) {
    return fetcher
        .fetch(request, new RequestLimit(session, request))
        .publishOn(crawl)
        .map(
            response -> {
              complete(request, response);
              return afterEach.get();
            });
  }

  /** The session's body limit for one request; it also takes the request's remote address. */
  private record RequestLimit(CrawlSession session, FetchRequest request)
      implements HttpFetcher.BodyLimit {
    @Override
    public long bodyLimit(int status, io.duocrawl.common.session.HeaderLookup headers) {
      return session.bodyLimit(request, status, headers);
    }

    @Override
    public void remoteAddress(String address) {
      request.remoteAddress(address);
    }
  }

  private void complete(FetchRequest request, FetchResponse response) {
    if ((gate.incrementAndGet() & CLOSED) != 0) {
      // The pipeline was cancelled and the report may be in the making: drop the response, the
      // URL is reported as pending like any other aborted request.
      leave();
      return;
    }
    try {
      session.complete(request, response);
    } finally {
      leave();
    }
  }

  private void leave() {
    if (gate.decrementAndGet() == CLOSED) {
      finish();
    }
  }

  private void terminated(SignalType signal) {
    if (signal != SignalType.ON_COMPLETE) {
      session.cancel();
    }
    if (gate.addAndGet(CLOSED) == CLOSED) {
      finish();
    }
  }

  /** Makes the report and releases every resource, once, off the calling thread. */
  private void finish() {
    if (!finishing.compareAndSet(false, true)) {
      return;
    }
    // finish() logs (console I/O): run it where blocking is allowed, never on an event loop.
    Mono.fromCallable(session::finish)
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            report ->
                fetcher
                    .disposeLater()
                    .then(crawl.disposeGracefully().onErrorResume(e -> Mono.empty()))
                    .thenReturn(report))
        .subscribe(
            report -> {
              Throwable error = failure.get();
              if (error != null) {
                completion.completeExceptionally(error);
              } else {
                completion.complete(report);
              }
            },
            completion::completeExceptionally);
  }

  /**
   * Stops handing out requests; the caller also disposes the pipeline to abort what is in flight.
   */
  void cancel() {
    session.cancel();
  }

  /** Stops handing out requests; those in flight complete as usual, then the pipeline ends. */
  void stop() {
    session.stop();
  }

  CrawlProgress progress() {
    return session.progress();
  }

  /** Requests in flight now, as the session counts them. */
  int inFlight() {
    return session.inFlight();
  }

  /** Completes with the report after every resource of the crawl is released. */
  CompletableFuture<CrawlReport> completion() {
    return completion;
  }

  /** The session seen as the request source's work. */
  private record SessionWork(CrawlSession session) implements RequestSource.Work<FetchRequest> {
    @Override
    public Optional<FetchRequest> next() {
      return session.next();
    }

    @Override
    public OptionalLong nanosUntilReady() {
      return session.nanosUntilReady();
    }

    @Override
    public boolean isDone() {
      return session.isDone();
    }

    @Override
    public void onWake(Runnable wake) {
      session.onWake(wake);
    }
  }
}
