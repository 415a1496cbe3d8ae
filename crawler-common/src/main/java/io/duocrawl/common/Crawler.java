package io.duocrawl.common;

import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.session.SessionOpener;
import java.time.Duration;

/**
 * A crawl engine. Every engine (platform threads, virtual threads, Reactor Netty) implements this,
 * honours the same {@link CrawlConfig} and, on the same site, finds the same pages; the CLI and
 * embedding users swap engines without knowing which one runs.
 *
 * <pre>{@code
 * Crawler crawler = ...; // e.g. ThreadsCrawler.platform(), ReactiveCrawler.create()
 * CrawlReport report = crawler.crawl(config, page -> System.out.println(page.url()));
 * System.out.println(report.pagesPerSecond());
 * }</pre>
 *
 * <p>An engine instance holds no crawl state and may run several crawls, one after another or at
 * once.
 */
public interface Crawler {
  /**
   * The longest an engine with nothing to do sleeps without asking the session again, even when
   * nothing in the process woke it: readiness can change outside the process (a shared or journaled
   * frontier, a lease that expired). Every engine honours it (the platform workers' idle wait, the
   * virtual dispatcher, the reactive request source); it costs nothing while work flows, and an
   * idle crawl looks about 20 times a second. 50 ms.
   */
  Duration MAX_IDLE_WAIT = Duration.ofMillis(50);

  /** The engine id: {@code threads}, {@code virtual} or {@code reactive}. */
  String name();

  /**
   * Starts a crawl over a fresh in-memory frontier and returns at once.
   *
   * @param config what to crawl
   * @param listener called for every URL that reaches a terminal outcome
   * @return a handle to watch, cancel and await the crawl
   */
  default RunningCrawl start(CrawlConfig config, PageListener listener) {
    return start(config, listener, SessionOpener.inMemory());
  }

  /**
   * Starts a crawl over the session {@code sessions} opens, and returns at once: the way to crawl
   * over another frontier, such as a state directory that survives kill -9 and resumes.
   *
   * <pre>{@code
   * try (CrawlState state = CrawlState.open(Path.of("crawl-state"), config)) {
   *   RunningCrawl run = crawler.start(config, listener, state.sessions());
   *   CrawlReport total = state.cumulative(run.await()); // this run plus the runs before it
   * }
   * }</pre>
   *
   * @param config what to crawl
   * @param listener called for every URL that reaches a terminal outcome
   * @param sessions opens the crawl's session, once, before anything is fetched
   * @return a handle to watch, cancel and await the crawl
   */
  RunningCrawl start(CrawlConfig config, PageListener listener, SessionOpener sessions);

  /** Runs a crawl to its end and returns its report. */
  default CrawlReport crawl(CrawlConfig config, PageListener listener) {
    return start(config, listener).await();
  }
}
