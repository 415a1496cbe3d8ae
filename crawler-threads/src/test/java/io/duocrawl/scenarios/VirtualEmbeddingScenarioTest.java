package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.threads.ThreadsCrawler;

/** The embedding scenarios against engine {@code virtual}. */
class VirtualEmbeddingScenarioTest extends EmbeddingScenarioTest {
  @Override
  protected Crawler crawler() {
    return ThreadsCrawler.virtual();
  }
}
