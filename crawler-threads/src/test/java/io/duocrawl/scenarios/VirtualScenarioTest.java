package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.threads.ThreadsCrawler;

/** The shared scenario suite against engine {@code virtual}. */
class VirtualScenarioTest extends CrawlerScenarioTest {
  @Override
  protected Crawler crawler() {
    return ThreadsCrawler.virtual();
  }
}
