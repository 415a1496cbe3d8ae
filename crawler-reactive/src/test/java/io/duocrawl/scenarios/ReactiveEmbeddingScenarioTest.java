package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.reactive.ReactiveCrawler;

/** The embedding scenarios against engine {@code reactive}. */
class ReactiveEmbeddingScenarioTest extends EmbeddingScenarioTest {
  @Override
  protected Crawler crawler() {
    return ReactiveCrawler.create();
  }
}
