package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.threads.ThreadsCrawler;

/** The open-web scenarios against engine {@code threads}. */
class ThreadsOpenWebScenarioTest extends OpenWebScenarioTest {
  @Override
  protected Crawler crawler() {
    return ThreadsCrawler.platform();
  }
}
