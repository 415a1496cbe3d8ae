package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.threads.ThreadsCrawler;

/** The fetch-policy parity scenarios against engine {@code threads}. */
class ThreadsFetchPolicyScenarioTest extends FetchPolicyScenarioTest {
  @Override
  protected Crawler crawler() {
    return ThreadsCrawler.platform();
  }
}
