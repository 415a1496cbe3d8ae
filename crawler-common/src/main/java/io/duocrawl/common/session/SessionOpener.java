package io.duocrawl.common.session;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.PageListener;

/**
 * How an engine opens the {@link CrawlSession} of a crawl it starts: over the default in-memory
 * frontier ({@link #inMemory()}), or over another one — a state directory that survives kill -9
 * ({@code CrawlState.sessions()}), a shared store. An engine calls it once per crawl, on the thread
 * that starts the crawl, before it fetches anything.
 *
 * <pre>{@code
 * SessionOpener sessions = (engine, config, listener) ->
 *     CrawlSession.open(engine, config, listener, myFrontier, NanoClock.system());
 * RunningCrawl run = crawler.start(config, listener, sessions);
 * }</pre>
 */
@FunctionalInterface
public interface SessionOpener {
  /**
   * Opens the session (which offers the seeds).
   *
   * @param engine the engine id, for logs and the report
   * @param config what to crawl
   * @param listener called for every URL that reaches a terminal outcome
   * @return a session no engine has used yet
   */
  CrawlSession open(String engine, CrawlConfig config, PageListener listener);

  /**
   * Sessions over a fresh in-memory frontier and the system clock: what every crawl used to get.
   */
  static SessionOpener inMemory() {
    return CrawlSession::open;
  }
}
