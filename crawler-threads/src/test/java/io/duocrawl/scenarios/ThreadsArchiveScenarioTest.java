package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.threads.ThreadsCrawler;

/** The WARC scenarios against engine {@code threads}. */
class ThreadsArchiveScenarioTest extends ArchiveScenarioTest {
  @Override
  protected Crawler crawler() {
    return ThreadsCrawler.platform();
  }
}
