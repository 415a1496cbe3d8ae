package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.reactive.ReactiveCrawler;

/** The sitemap scenarios against engine {@code reactive}, under BlockHound and PARANOID leaks. */
class ReactiveSitemapScenarioTest extends SitemapScenarioTest {
  @Override
  protected Crawler crawler() {
    return ReactiveCrawler.create();
  }
}
