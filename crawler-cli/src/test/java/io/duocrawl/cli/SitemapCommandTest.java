package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.sitemap.SitemapOutcome;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.FixtureSitemaps;
import io.duocrawl.fixtures.Section;
import io.duocrawl.fixtures.SiteSpec;
import io.duocrawl.fixtures.junit.FixtureSiteExtension;
import io.duocrawl.warc.ArchivedRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code duocrawl crawl --sitemap URL}: with WARC files, with a resumed state, with bad input. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SitemapCommandTest {
  private static final int PAGES = 40;

  @RegisterExtension
  static final FixtureSiteExtension SITE =
      FixtureSiteExtension.of(SiteSpec.builder().pages(PAGES).with(Section.ROBOTS).build());

  @TempDir Path dir;

  private FixtureSite site;

  @BeforeEach
  void site() {
    site = SITE.site();
  }

  private static Set<String> expectedPaths() {
    Set<String> paths = new TreeSet<>(FixtureSitemaps.pagesUnder(FixtureSitemaps.INDEX, 2, PAGES));
    paths.add("/");
    return paths;
  }

  @Test
  void aCrawlWithSitemapAndWarcCrawlsTheListedPagesAndArchivesTheSitemapsToo() throws IOException {
    Path pages = dir.resolve("pages.jsonl");
    Path warc = dir.resolve("warc");
    Cli.Result result =
        Cli.ok(
            "crawl",
            "--engine=reactive",
            "--max-depth=0",
            "--sitemap=" + site.urlOf(FixtureSitemaps.INDEX),
            "--warc=" + warc,
            "--out=" + pages,
            site.rootUrl().toString());

    assertThat(CliFiles.fetchedPaths(pages)).isEqualTo(expectedPaths());
    assertThat(result.err()).contains("duocrawl: sitemaps: parsed=7");
    List<Path> files = CliFiles.list(warc);
    Set<String> archived =
        ArchivedRecord.readAll(files).stream()
            .filter(r -> r.type().equals("response"))
            .map(r -> URI.create(r.target()).getPath())
            .collect(Collectors.toSet());
    assertThat(archived)
        .containsAll(expectedPaths())
        .contains("/robots.txt", FixtureSitemaps.INDEX, FixtureSitemaps.GZIP, FixtureSitemaps.DEEP);
  }

  @Test
  void theReportListsEachSitemapAndPagesCarryTheirSitemapLastmod() throws IOException {
    Path pages = dir.resolve("pages.jsonl");
    Path report = dir.resolve("report.json");
    Cli.Result result =
        Cli.ok(
            "crawl",
            "--engine=threads",
            "--max-depth=0",
            "--sitemap=" + site.urlOf(FixtureSitemaps.INDEX),
            "--out=" + pages,
            "--report=" + report,
            site.rootUrl().toString());

    CrawlReport read = ReportJson.read(report);
    assertThat(read.sitemaps()).hasSize(7).allMatch(s -> s.outcome() == SitemapOutcome.PARSED);
    assertThat(read.sitemaps())
        .filteredOn(s -> s.url().equals(site.urlOf(FixtureSitemaps.INDEX)))
        .singleElement()
        .satisfies(s -> assertThat(s.urlsFound()).isEqualTo(5));
    assertThat(result.out())
        .contains("sitemaps: PARSED")
        .contains("sitemap " + site.urlOf(FixtureSitemaps.PLAIN));

    Map<String, String> lastmods = new TreeMap<>();
    for (JsonNode page : CliFiles.pages(pages)) {
      String lastmod = page.get("lastmod").asText();
      if (!lastmod.isEmpty()) {
        lastmods.put(
            URI.create(page.get("url").asText()).getPath(),
            LocalDate.ofInstant(Instant.parse(lastmod), ZoneOffset.UTC).toString());
      }
    }
    assertThat(lastmods)
        .isEqualTo(FixtureSitemaps.lastmodsUnder(FixtureSitemaps.INDEX, 2, PAGES))
        .isNotEmpty();
  }

  @Test
  void aResumedCrawlReadsItsSitemapsAgainInsteadOfEndingAtOnce() throws IOException {
    Path state = dir.resolve("state");
    Path pages = dir.resolve("pages.jsonl");
    Cli.Result first =
        Cli.ok(
            "crawl",
            "--engine=threads",
            "--max-depth=0",
            "--state=" + state,
            "--out=" + pages,
            site.rootUrl().toString());
    assertThat(CliFiles.fetchedPaths(pages)).containsExactly("/");

    // The seed is done: without the sitemap the resumed crawl would have nothing to do.
    Cli.Result resumed =
        Cli.ok(
            "crawl",
            "--engine=threads",
            "--max-depth=0",
            "--state=" + state,
            "--sitemap=" + site.urlOf(FixtureSitemaps.INDEX),
            "--out=" + pages,
            site.rootUrl().toString());

    assertThat(resumed.err()).contains("resuming the crawl");
    assertThat(CliFiles.fetchedPaths(pages)).isEqualTo(expectedPaths());
  }

  @Test
  void aSitemapThatIsNotAUrlIsAUsageErrorBeforeTheCrawl() {
    int before = site.requestLog().size();

    Cli.Result result =
        Cli.run("crawl", "--engine=threads", "--sitemap=ht!tp://x y", site.rootUrl().toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("--sitemap: 'ht!tp://x y' is not a URL");
    assertThat(site.requestLog()).hasSize(before);
  }

  @Test
  void aSitemapOverItsCapsIsCountedAndTheCrawlEndsNormally() {
    Cli.Result result =
        Cli.ok(
            "crawl",
            "--engine=virtual",
            "--max-depth=0",
            "--sitemap=" + site.urlOf(FixtureSitemaps.BOMB),
            "--sitemap=" + site.urlOf(FixtureSitemaps.OVERSIZED),
            "--sitemap=" + site.urlOf(FixtureSitemaps.MALFORMED),
            "--sitemap-max-bytes=1MB",
            "--sitemap-max-urls=10",
            site.rootUrl().toString());

    assertThat(result.err()).contains("duocrawl: sitemaps: over_url_cap=1 too_large=1 malformed=1");
  }
}
