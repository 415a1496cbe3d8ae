package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.reactive.ReactiveCrawler;

/**
 * The shared scenario suite against engine {@code reactive}, under BlockHound and PARANOID leaks.
 */
class ReactiveScenarioTest extends CrawlerScenarioTest {
  @Override
  protected Crawler crawler() {
    return ReactiveCrawler.create();
  }
}
