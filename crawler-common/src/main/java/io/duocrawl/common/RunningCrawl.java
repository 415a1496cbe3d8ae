package io.duocrawl.common;

import io.duocrawl.common.report.CrawlReport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A crawl in progress. Thread-safe.
 *
 * <pre>{@code
 * RunningCrawl run = crawler.start(config, PageListener.NONE);
 * Runtime.getRuntime().addShutdownHook(new Thread(run::cancel));
 * CrawlReport report = run.await(); // pending URLs are in the report if cancelled
 * }</pre>
 */
public interface RunningCrawl {
  /** A cheap snapshot of progress so far. */
  CrawlProgress progress();

  /**
   * Stops the crawl: no new request starts, requests in flight are aborted, and {@link
   * #completion()} completes promptly with a report whose unfinished URLs are counted as pending.
   * Idempotent.
   */
  void cancel();

  /**
   * Stops gracefully: no new request starts, the requests in flight finish normally (parsed,
   * listener called, their links offered), and then {@link #completion()} completes with a report
   * in which what was still queued is counted as pending ("pending at stop") and {@code cancelled}
   * is true. Returns at once. Idempotent; {@link #cancel()} afterwards aborts what is still in
   * flight.
   */
  void stop();

  /**
   * Completes with the report once the crawl has ended (frontier exhausted, or cancelled) and no
   * engine thread or connection is still working for it.
   */
  CompletableFuture<CrawlReport> completion();

  /**
   * Waits for the report. If the waiting thread is interrupted, the crawl is cancelled and the
   * report (with pending URLs) is still returned.
   */
  default CrawlReport await() {
    try {
      return completion().get();
    } catch (InterruptedException e) {
      cancel();
      CrawlReport report = completion().join();
      Thread.currentThread().interrupt();
      return report;
    } catch (ExecutionException e) {
      throw new CrawlException("crawl failed: " + e.getCause(), e.getCause());
    }
  }
}
