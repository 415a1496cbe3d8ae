package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.threads.ThreadsCrawler;

/** The sitemap scenarios against engine {@code virtual}. */
class VirtualSitemapScenarioTest extends SitemapScenarioTest {
  @Override
  protected Crawler crawler() {
    return ThreadsCrawler.virtual();
  }
}
