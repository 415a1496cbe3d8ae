package io.duocrawl.reactive;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.CrawlProgress;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.session.SessionOpener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code reactive} engine: Reactor Netty's non-blocking {@code HttpClient}, with at most {@code
 * config.concurrency()} requests in flight in a {@code flatMap}, parsing on a CPU scheduler, and no
 * thread ever blocked waiting for the network.
 *
 * <p>Two faces over the same pipeline:
 *
 * <pre>{@code
 * ReactiveCrawler crawler = ReactiveCrawler.create();
 *
 * // As any engine: start, watch, cancel, await the report.
 * CrawlReport report = crawler.crawl(config, page -> System.out.println(page.url()));
 *
 * // As a Flux: one crawl per subscription, backpressured, cancelled by disposing.
 * crawler.pages(config)
 *     .filter(page -> page.outcome() == Outcome.FETCHED)
 *     .take(100)                       // cancels the crawl after 100 fetched pages
 *     .subscribe(page -> System.out.println(page.title()));
 * }</pre>
 *
 * <p>Each crawl gets its own connection pool (N connections per host, idle ones closed after 4 s),
 * its own event loops (one per core) and its own crawl scheduler (one thread per core, where
 * parsing, the listener and the request source run); all are released when the crawl ends. An
 * instance holds no crawl state: it may run several crawls, one after another or at once.
 * Thread-safe.
 */
public final class ReactiveCrawler implements Crawler {
  /** The engine id. */
  public static final String NAME = CrawlRun.ENGINE;

  private ReactiveCrawler() {}

  /** A reactive engine. */
  public static ReactiveCrawler create() {
    return new ReactiveCrawler();
  }

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Starts a crawl and returns at once. The listener is called on the crawl's own threads ({@code
   * duocrawl-reactive-crawl-N}, or the caller's for a seed skipped before any fetch), never on a
   * Netty event loop or a Reactor {@code parallel} thread: it may block, at the cost of slowing the
   * crawl.
   */
  @Override
  public RunningCrawl start(CrawlConfig config, PageListener listener, SessionOpener sessions) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(listener, "listener");
    CrawlRun run = CrawlRun.open(config, listener, sessions);
    Disposable subscription =
        run.pipeline(List::of)
            .subscribe(
                ignored -> {},
                // Recorded by the run, which completes its future exceptionally.
                error -> {});
    return new Running(run, subscription);
  }

  /**
   * The pages of a crawl of {@code config}, as they reach their terminal outcome: the same {@link
   * PageResult}s a {@link PageListener} would receive.
   *
   * <p>Cold: each subscription runs one crawl, and the Flux completes when that crawl is over.
   * Backpressured: a slow subscriber slows the crawl instead of growing a buffer, since a finished
   * request whose results have not been requested keeps its fetch slot; at any moment, requests in
   * flight plus finished requests waiting for demand are at most {@code config.concurrency()}, and
   * one more completion's results are prefetched. Cancelling the subscription cancels the crawl: no
   * new request starts, exchanges in flight are aborted and their connections closed. Errors only
   * for a bug in the engine or the core.
   */
  public Flux<PageResult> pages(CrawlConfig config) {
    return pages(config, report -> {});
  }

  /**
   * {@link #pages(CrawlConfig)}, and the crawl's final report handed to {@code onReport} once per
   * subscription: before the Flux completes when the crawl ran to its end, or, when the
   * subscription is cancelled, as soon as the cancelled crawl's report is made (pending URLs
   * counted). Called on a crawl thread; it should be quick.
   *
   * <pre>{@code
   * AtomicReference<CrawlReport> report = new AtomicReference<>();
   * List<PageResult> pages = crawler.pages(config, report::set).collectList().block();
   * System.out.println(report.get().fetched());
   * }</pre>
   */
  public Flux<PageResult> pages(CrawlConfig config, Consumer<? super CrawlReport> onReport) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(onReport, "onReport");
    return Flux.defer(
        () -> {
          // The session calls the listener synchronously inside complete() (and next(), for URLs
          // it skips); each completion then hands downstream whatever has been collected.
          Queue<PageResult> collected = new ConcurrentLinkedQueue<>();
          CrawlRun run = CrawlRun.open(config, collected::add, SessionOpener.inMemory());
          return run.pipeline(() -> drain(collected))
              .flatMapIterable(results -> results, 1)
              .concatWith(Flux.defer(() -> Flux.fromIterable(drain(collected))))
              .concatWith(
                  Mono.fromFuture(run.completion().copy())
                      .doOnNext(onReport)
                      .then(Mono.<PageResult>empty()))
              .doOnCancel(() -> run.completion().thenAccept(onReport));
        });
  }

  private static List<PageResult> drain(Queue<PageResult> collected) {
    PageResult first = collected.poll();
    if (first == null) {
      return List.of();
    }
    List<PageResult> results = new ArrayList<>(2);
    results.add(first);
    for (PageResult next = collected.poll(); next != null; next = collected.poll()) {
      results.add(next);
    }
    return results;
  }

  private static final class Running implements RunningCrawl {
    private final CrawlRun run;
    private final Disposable subscription;

    Running(CrawlRun run, Disposable subscription) {
      this.run = run;
      this.subscription = subscription;
    }

    @Override
    public CrawlProgress progress() {
      return run.progress();
    }

    @Override
    public void cancel() {
      run.cancel();
      subscription.dispose();
    }

    @Override
    public void stop() {
      run.stop();
    }

    @Override
    public CompletableFuture<CrawlReport> completion() {
      // A copy: a caller completing or cancelling it must not change the crawl's own.
      return run.completion().copy();
    }
  }
}
