package io.duocrawl.redis;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.session.SessionOpener;
import java.util.concurrent.atomic.AtomicInteger;

/** An engine whose every crawl runs over a new crawl id of a shared Redis frontier. */
final class OverRedis implements Crawler {
  private static final AtomicInteger crawls = new AtomicInteger();

  private final Crawler engine;
  private final FrontierStore store;
  private final RedisFrontier.Settings settings;

  OverRedis(Crawler engine, FrontierStore store, RedisFrontier.Settings settings) {
    this.engine = engine;
    this.store = store;
    this.settings = settings;
  }

  @Override
  public String name() {
    return engine.name();
  }

  @Override
  public RunningCrawl start(CrawlConfig config, PageListener listener, SessionOpener ignored) {
    String id = "scenario-" + ProcessHandle.current().pid() + "-" + crawls.incrementAndGet();
    return engine.start(config, listener, store.sessions(id, settings));
  }
}
