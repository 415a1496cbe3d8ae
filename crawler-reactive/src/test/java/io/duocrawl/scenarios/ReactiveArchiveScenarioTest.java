package io.duocrawl.scenarios;

import io.duocrawl.common.Crawler;
import io.duocrawl.reactive.ReactiveCrawler;

/** The WARC scenarios against engine {@code reactive}, under BlockHound and PARANOID leaks. */
class ReactiveArchiveScenarioTest extends ArchiveScenarioTest {
  @Override
  protected Crawler crawler() {
    return ReactiveCrawler.create();
  }
}
