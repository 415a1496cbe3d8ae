package io.duocrawl.examples.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.SiteSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureScraperTest {
  @TempDir Path dir;

  @Test
  void theScraperWritesOneRecordPerGeneratedPageAndFiltersTheRest() throws Exception {
    try (FixtureSite site = FixtureSite.start(SiteSpec.builder().pages(60).allSections().build())) {
      Path out = dir.resolve("pages.jsonl");

      CrawlReport report = FixtureScraper.scrape(site.rootUrl().toString(), out);

      List<FixtureScraper.PageRecord> records =
          Files.readAllLines(out).stream().map(FixtureScraperTest::read).toList();
      assertThat(records)
          .extracting(FixtureScraper.PageRecord::page)
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 60).boxed().toList());
      assertThat(records)
          .allSatisfy(
              r -> {
                assertThat(r.url()).endsWith("/page/" + r.page());
                assertThat(r.title()).isNotBlank();
                assertThat(r.description()).isNotBlank();
              });
      // The root links to the site's other sections: the filter refuses them, and says so.
      assertThat(report.rejections()).containsKey(Rejection.FILTERED);
      assertThat(report.listenerFailures()).isZero();
      assertThat(report.balanced()).isTrue();
    }
  }

  private static FixtureScraper.PageRecord read(String line) {
    try {
      return JSON.std.beanFrom(FixtureScraper.PageRecord.class, line);
    } catch (Exception e) {
      throw new AssertionError("not a record: " + line, e);
    }
  }
}
