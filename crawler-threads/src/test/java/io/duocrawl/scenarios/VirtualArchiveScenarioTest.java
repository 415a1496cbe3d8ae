package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.threads.ThreadsCrawler;

/** The WARC scenarios against engine {@code virtual}. */
class VirtualArchiveScenarioTest extends ArchiveScenarioTest {
  @Override
  protected Crawler crawler() {
    return ThreadsCrawler.virtual();
  }
}
