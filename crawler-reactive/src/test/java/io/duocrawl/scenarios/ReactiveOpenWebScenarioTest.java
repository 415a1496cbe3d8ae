package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.reactive.ReactiveCrawler;

/** The open-web scenarios against engine {@code reactive}, under BlockHound and PARANOID leaks. */
class ReactiveOpenWebScenarioTest extends OpenWebScenarioTest {
  @Override
  protected Crawler crawler() {
    return ReactiveCrawler.create();
  }
}
