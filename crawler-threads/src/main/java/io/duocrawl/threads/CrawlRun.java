package io.duocrawl.threads;

import io.duocrawl.common.CrawlException;
import io.duocrawl.common.CrawlProgress;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchError;
import io.duocrawl.common.session.FetchRequest;
import io.duocrawl.common.session.FetchResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One crawl as both thread engines run it: the session, the fetcher, and the handle given to the
 * caller. The engines differ only in which threads call {@link #process} and how they wait; this
 * class holds what they share, including what happens when something goes wrong.
 */
final class CrawlRun implements RunningCrawl {
  private static final Logger log = LoggerFactory.getLogger(CrawlRun.class);

  private final CrawlSession session;
  private final OkHttpFetcher fetcher;
  private final CompletableFuture<CrawlReport> completion = new CompletableFuture<>();
  // What callers get: completing or cancelling it cannot tamper with the crawl's own future.
  private final CompletableFuture<CrawlReport> view = completion.copy();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicBoolean ended = new AtomicBoolean();

  CrawlRun(CrawlSession session, OkHttpFetcher fetcher) {
    this.session = session;
    this.fetcher = fetcher;
  }

  CrawlSession session() {
    return session;
  }

  /**
   * Fetches one request and hands the result to the session, on the calling thread. A runtime
   * exception from the fetch (OkHttp or this module) becomes an {@code IO_ERROR} outcome for that
   * URL, and the thread goes on; one from the session's processing step is a core bug that leaves
   * the request unaccounted for, so it fails the crawl instead of letting it hang. Errors are never
   * caught here.
   */
  void process(FetchRequest request) {
    FetchResponse response;
    try {
      response = fetcher.fetch(request);
    } catch (RuntimeException e) {
      log.warn("unexpected exception fetching {}; counted as IO_ERROR", request.url(), e);
      response = FetchResponse.error(FetchError.IO_ERROR, e.toString());
    }
    try {
      session.complete(request, response);
    } catch (RuntimeException e) {
      fail(new CrawlException("processing " + request.url() + " failed: " + e, e));
    }
  }

  /**
   * Ends the crawl with {@code cause}: the crawl is cancelled and {@link #completion()} completes
   * exceptionally once every thread has stopped. The first cause wins.
   */
  void fail(Throwable cause) {
    if (failure.compareAndSet(null, cause)) {
      log.error("crawl failed: engine={}", session.engine(), cause);
    }
    cancel();
  }

  /**
   * Called once, by the last engine thread to stop: the report is taken, the client's resources are
   * released, and {@link #completion()} completes.
   */
  void end() {
    if (!ended.compareAndSet(false, true)) {
      throw new IllegalStateException("end() called twice");
    }
    try {
      CrawlReport report;
      try {
        report = session.finish();
      } finally {
        fetcher.close();
      }
      Throwable cause = failure.get();
      if (cause == null) {
        completion.complete(report);
      } else {
        completion.completeExceptionally(cause);
      }
    } catch (RuntimeException | Error e) {
      Throwable cause = failure.get();
      if (cause != null) {
        e.addSuppressed(cause);
      }
      completion.completeExceptionally(e);
      throw e;
    }
  }

  @Override
  public CrawlProgress progress() {
    return session.progress();
  }

  @Override
  public void cancel() {
    session.cancel();
    fetcher.cancelAll();
  }

  @Override
  public void stop() {
    session.stop();
  }

  @Override
  public CompletableFuture<CrawlReport> completion() {
    return view;
  }
}
