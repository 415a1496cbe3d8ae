package io.duocrawl.redis;

import io.duocrawl.common.Crawler;
import io.duocrawl.scenarios.CrawlerScenarioTest;
import io.duocrawl.threads.ThreadsCrawler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared scenario suite against engine {@code virtual} over the Redis Cluster frontier. */
@ExtendWith(RedisClusterExtension.class)
class RedisVirtualScenarioTest extends CrawlerScenarioTest {
  private static FrontierStore store;

  @BeforeAll
  static void connect(FrontierStore connected) {
    store = connected;
  }

  @Override
  protected Crawler crawler() {
    return new OverRedis(
        ThreadsCrawler.virtual(), store, RedisFrontier.Settings.defaults().withBuckets(64));
  }
}
