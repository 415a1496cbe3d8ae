package io.duocrawl.common;

import io.duocrawl.common.report.CrawlReport;

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
  /** The engine id: {@code threads}, {@code virtual} or {@code reactive}. */
  String name();

  /**
   * Starts a crawl and returns at once.
   *
   * @param config what to crawl
   * @param listener called for every URL that reaches a terminal outcome
   * @return a handle to watch, cancel and await the crawl
   */
  RunningCrawl start(CrawlConfig config, PageListener listener);

  /** Runs a crawl to its end and returns its report. */
  default CrawlReport crawl(CrawlConfig config, PageListener listener) {
    return start(config, listener).await();
  }
}
