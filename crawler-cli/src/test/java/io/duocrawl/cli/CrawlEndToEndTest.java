package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.GroundTruth;
import io.duocrawl.fixtures.Section;
import io.duocrawl.fixtures.SiteSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code duocrawl crawl} end to end against the fixture site, once per engine: the JSON Lines, the
 * JSON report and the site's ground truth must all tell the same story.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hung engine fails the test, not the build
class CrawlEndToEndTest {
  private static FixtureSite site;
  private static GroundTruth truth;

  @TempDir Path dir;

  @BeforeAll
  static void startSite() {
    site =
        FixtureSite.start(
            SiteSpec.builder()
                .pages(300)
                .with(Section.REDIRECTS, Section.ROBOTS, Section.RESOURCES)
                .build());
    CrawlConfig defaults = CrawlOptions.DEFAULTS;
    truth =
        site.groundTruth(
            GroundTruth.Query.builder()
                .maxDepth(defaults.maxDepth())
                .robotsEnabled(true)
                .maxRedirects(defaults.maxRedirects())
                .maxRetries(defaults.retry().maxRetries())
                .maxBodyBytes(defaults.maxBodyBytes())
                .requestTimeout(defaults.requestTimeout())
                .build());
  }

  @AfterAll
  static void stopSite() {
    site.close();
  }

  static Stream<String> engines() {
    return Engines.names().stream();
  }

  @ParameterizedTest
  @MethodSource("engines")
  void pagesReportAndGroundTruthAgree(String engine) throws IOException {
    Path pages = dir.resolve("pages.jsonl");
    Path reportFile = dir.resolve("report.json");

    Cli.Result result =
        withSystemErr(
            () ->
                Cli.run(
                    "crawl",
                    "--engine=" + engine,
                    "--concurrency=16",
                    "--per-host=16",
                    "--out=" + pages,
                    "--report=" + reportFile,
                    site.rootUrl().toString(),
                    "ht!tp://not a url"));

    assertThat(result.exitCode()).as(result.err()).isZero();
    CrawlReport report = ReportJson.read(reportFile);
    List<JsonNode> records = readLines(pages);

    // One record per terminal URL, each URL once.
    assertThat(report.balanced()).isTrue();
    assertThat(report.pending()).isZero();
    assertThat(records).hasSize((int) report.accepted());
    assertThat(records.stream().map(r -> r.get("url").asText()).distinct()).hasSize(records.size());
    // Counts by outcome equal the report's.
    Map<String, Long> byOutcome = new TreeMap<>();
    records.forEach(r -> byOutcome.merge(r.get("outcome").asText(), 1L, Long::sum));
    assertThat(byOutcome.getOrDefault("FETCHED", 0L)).isEqualTo(report.fetched());
    assertThat(byOutcome.getOrDefault("REDIRECTED", 0L)).isEqualTo(report.redirected());
    assertThat(byOutcome.getOrDefault("FAILED", 0L)).isEqualTo(report.failed());
    assertThat(byOutcome.getOrDefault("SKIPPED", 0L)).isEqualTo(report.skipped());
    // And the set of URLs in each category is the ground truth's.
    assertThat(urls(records, "FETCHED")).isEqualTo(new TreeSet<>(truth.fetched()));
    assertThat(urls(records, "REDIRECTED")).isEqualTo(new TreeSet<>(truth.redirects().keySet()));
    assertThat(urls(records, "FAILED")).isEqualTo(new TreeSet<>(truth.failed().keySet()));
    assertThat(urls(records, "SKIPPED")).isEqualTo(new TreeSet<>(truth.skipped().keySet()));
    // Every record carries every documented field.
    assertThat(records.get(0).fieldNames())
        .toIterable()
        .containsExactly(
            "url",
            "finalUrl",
            "status",
            "depth",
            "title",
            "contentType",
            "bytes",
            "fetchMs",
            "linksFound",
            "outcome",
            "reason",
            "detail",
            "attempts",
            "lastmod");
    // The bad seed was skipped, counted and reported; the good one was crawled.
    assertThat(report.count(Rejection.MALFORMED)).isEqualTo(1);
    assertThat(result.err()).contains("MALFORMED").contains("ht!tp://not a url");
    // The table went to stdout.
    assertThat(result.out()).contains(engine + "@16");
  }

  @ParameterizedTest
  @MethodSource("engines")
  void jsonLinesOnStdoutKeepTheTableOnStderr(String engine) throws IOException {
    Cli.Result result =
        Cli.run(
            "crawl",
            "--engine=" + engine,
            "--max-pages=20",
            "--no-robots",
            "--out=-",
            "--format=json",
            site.rootUrl().toString());

    assertThat(result.exitCode()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(20);
    for (String line : lines) {
      assertThat(ReportJson.MAPPER.readTree(line).get("url").asText())
          .startsWith(site.url().toString());
    }
    CrawlReport report =
        ReportJson.parse(
            ReportJson.MAPPER.readTree(result.err().substring(result.err().indexOf('{'))));
    assertThat(report.accepted()).isEqualTo(20);
  }

  private static Set<String> urls(List<JsonNode> records, String outcome) {
    Set<String> urls = new TreeSet<>();
    records.stream()
        .filter(r -> r.get("outcome").asText().equals(outcome))
        .forEach(r -> urls.add(r.get("url").asText()));
    return urls;
  }

  private static List<JsonNode> readLines(Path file) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      records.add(ReportJson.MAPPER.readTree(line));
    }
    return records;
  }

  /** Runs with System.err captured too (the core logs its seed warnings there) and appended. */
  private static Cli.Result withSystemErr(java.util.function.Supplier<Cli.Result> run) {
    PrintStream original = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try {
      Cli.Result r = run.get();
      return new Cli.Result(
          r.exitCode(), r.out(), r.err() + logged.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }
}
