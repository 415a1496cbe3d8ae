package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.reactive.ReactiveCrawler;

/** The fetch-policy parity scenarios against engine {@code reactive}. */
class ReactiveFetchPolicyScenarioTest extends FetchPolicyScenarioTest {
  @Override
  protected Crawler crawler() {
    return ReactiveCrawler.create();
  }
}
