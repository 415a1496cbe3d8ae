package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.threads.ThreadsCrawler;

/** The sitemap scenarios against engine {@code threads}. */
class ThreadsSitemapScenarioTest extends SitemapScenarioTest {
  @Override
  protected Crawler crawler() {
    return ThreadsCrawler.platform();
  }
}
