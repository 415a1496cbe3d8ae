package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.threads.ThreadsCrawler;

/** The embedding scenarios against engine {@code threads}. */
class ThreadsEmbeddingScenarioTest extends EmbeddingScenarioTest {
  @Override
  protected Crawler crawler() {
    return ThreadsCrawler.platform();
  }
}
