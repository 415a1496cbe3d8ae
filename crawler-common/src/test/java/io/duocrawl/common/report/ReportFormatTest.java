package io.duocrawl.common.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.sitemap.SitemapOutcome;
import io.duocrawl.common.sitemap.SitemapRead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Golden tests: each rendering is compared with a file under {@code
 * src/test/resources/io/duocrawl/common/report/}. After an intended change, rerun with {@code
 * -Dgolden.update=true} to rewrite the files, and review the diff.
 */
class ReportFormatTest {
  private static final Path GOLDEN_DIR = Path.of("src/test/resources/io/duocrawl/common/report");

  /** A finished 12.5 s crawl with a little of everything. */
  static CrawlReport threadsReport() {
    Map<Reason, Long> reasons = new EnumMap<>(Reason.class);
    reasons.put(Reason.OK, 1_000L);
    reasons.put(Reason.REDIRECT, 50L);
    reasons.put(Reason.NOT_FOUND, 100L);
    reasons.put(Reason.HTTP_SERVER_ERROR, 15L);
    reasons.put(Reason.CONNECTION_RESET, 5L);
    reasons.put(Reason.ROBOTS_DISALLOWED, 20L);
    reasons.put(Reason.TOO_LARGE, 10L);
    Map<Rejection, Long> rejections = new EnumMap<>(Rejection.class);
    rejections.put(Rejection.DUPLICATE, 12_345L);
    rejections.put(Rejection.OUT_OF_SCOPE, 678L);
    return new CrawlReport(
        "threads",
        64,
        Instant.parse("2025-01-02T03:04:05.678Z"),
        Duration.ofMillis(12_500),
        1_250,
        1_000,
        50,
        120,
        30,
        50,
        40,
        3,
        0,
        54_321_987,
        reasons,
        rejections,
        List.of(12L, 80L, 95L, 90L, 88L, 91L, 87L, 93L, 89L, 92L, 90L, 86L, 57L),
        new CrawlReport.Latency(1_243, 12.345, 48.7, 153.1, 1_502.5, 20.125),
        64,
        83,
        123_456_789,
        234_567_890,
        Duration.ofMillis(4_321),
        false);
  }

  /** A cancelled crawl: no latencies, RSS unknown, reasons the other report lacks. */
  static CrawlReport reactiveReport() {
    Map<Reason, Long> reasons = new EnumMap<>(Reason.class);
    reasons.put(Reason.OK, 7L);
    reasons.put(Reason.READ_TIMEOUT, 2L);
    return new CrawlReport(
        "reactive",
        256,
        Instant.parse("2025-01-02T03:05:00Z"),
        Duration.ofMillis(1_999),
        20,
        7,
        0,
        2,
        0,
        11,
        0,
        1,
        0,
        900,
        reasons,
        Map.of(Rejection.MAX_DEPTH, 3L),
        List.of(3L, 4L),
        CrawlReport.Latency.EMPTY,
        256,
        31,
        64 * 1024 * 1024,
        0,
        Duration.ZERO,
        true);
  }

  /** {@link #threadsReport()} after reading sitemaps, one of each kind of outcome. */
  static CrawlReport sitemapsReport() {
    return threadsReport()
        .withSitemaps(
            List.of(
                new SitemapRead(
                    "http://a.test/big.xml",
                    SitemapOutcome.OVER_URL_CAP,
                    120,
                    100,
                    9_000,
                    "listed 120 URLs, cap 100"),
                new SitemapRead(
                    "http://a.test/broken.xml",
                    SitemapOutcome.MALFORMED,
                    0,
                    0,
                    311,
                    "XML document structures must start and end within the same entity."),
                new SitemapRead(
                    "http://a.test/gone.xml", SitemapOutcome.HTTP_ERROR, 0, 0, 0, "HTTP 404"),
                new SitemapRead("http://a.test/index.xml", SitemapOutcome.PARSED, 2, 2, 420, ""),
                new SitemapRead(
                    "http://a.test/pages.xml.gz", SitemapOutcome.PARSED, 7, 7, 1_234, "")));
  }

  @Test
  void reportsWithSitemapsMatchGoldensInEveryFormat() throws IOException {
    assertGolden("sitemaps.json", ReportFormat.JSON.render(sitemapsReport()));
    assertGolden(
        "sitemaps.txt", ReportFormat.TEXT.render(List.of(sitemapsReport(), reactiveReport())));
    assertGolden("sitemaps.md", ReportFormat.MARKDOWN.render(sitemapsReport()));
  }

  @Test
  void aReportWithoutSitemapsHasNoSitemapSection() {
    for (ReportFormat format : ReportFormat.values()) {
      assertThat(format.render(threadsReport())).doesNotContain("sitemap");
    }
  }

  @Test
  void sitemapsReadBackFromJson() {
    assertThat(ReportFormat.readJson(ReportFormat.JSON.render(sitemapsReport())))
        .containsExactly(sitemapsReport());
  }

  @Test
  void textOfOneReportMatchesGolden() throws IOException {
    assertGolden("report.txt", ReportFormat.TEXT.render(threadsReport()));
  }

  @Test
  void jsonOfOneReportMatchesGolden() throws IOException {
    assertGolden("report.json", ReportFormat.JSON.render(threadsReport()));
  }

  @Test
  void markdownOfOneReportMatchesGolden() throws IOException {
    assertGolden("report.md", ReportFormat.MARKDOWN.render(threadsReport()));
  }

  @Test
  void textSideBySideMatchesGolden() throws IOException {
    assertGolden(
        "side-by-side.txt", ReportFormat.TEXT.render(List.of(threadsReport(), reactiveReport())));
  }

  @Test
  void jsonSideBySideIsAnArrayMatchingGolden() throws IOException {
    assertGolden(
        "side-by-side.json", ReportFormat.JSON.render(List.of(threadsReport(), reactiveReport())));
  }

  @Test
  void markdownSideBySideMatchesGolden() throws IOException {
    assertGolden(
        "side-by-side.md",
        ReportFormat.MARKDOWN.render(List.of(threadsReport(), reactiveReport())));
  }

  @Test
  void oneReportRendersLikeAListOfOneInTablesButAsAnObjectInJson() {
    CrawlReport report = threadsReport();
    assertThat(ReportFormat.TEXT.render(report))
        .isEqualTo(ReportFormat.TEXT.render(List.of(report)));
    assertThat(ReportFormat.MARKDOWN.render(report))
        .isEqualTo(ReportFormat.MARKDOWN.render(List.of(report)));
    assertThat(ReportFormat.JSON.render(report)).startsWith("{");
    assertThat(ReportFormat.JSON.render(List.of(report))).startsWith("[");
  }

  @Test
  void renderingIsDeterministic() {
    for (ReportFormat format : ReportFormat.values()) {
      assertThat(format.render(threadsReport())).isEqualTo(format.render(threadsReport()));
    }
  }

  @Test
  void anEmptyListIsRejected() {
    for (ReportFormat format : ReportFormat.values()) {
      assertThatThrownBy(() -> format.render(List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("reports must not be empty");
    }
  }

  @Test
  void markdownEscapesPipesAndLineBreaksInEngineIds() {
    CrawlReport odd = withEngine(threadsReport(), "a|b\nc");

    String header = ReportFormat.MARKDOWN.render(odd).lines().findFirst().orElseThrow();

    assertThat(header).isEqualTo("| metric | a\\|b c@64 |");
  }

  @Test
  void jsonEscapesEngineIds() {
    CrawlReport odd = withEngine(threadsReport(), "\"x\"\u2028");

    assertThat(ReportFormat.JSON.render(odd)).contains("\"engine\": \"\\\"x\\\"\\u2028\"");
  }

  @Test
  void nonFiniteDerivedNumbersAreNullInJson() {
    CrawlReport r = threadsReport();
    CrawlReport nan =
        new CrawlReport(
            r.engine(),
            r.concurrency(),
            r.startedAt(),
            r.duration(),
            r.accepted(),
            r.fetched(),
            r.redirected(),
            r.failed(),
            r.skipped(),
            r.pending(),
            r.retries(),
            r.robotsFetches(),
            0,
            r.bodyBytes(),
            r.reasons(),
            r.rejections(),
            r.timeline(),
            new CrawlReport.Latency(1, Double.NaN, 1, 1, Double.POSITIVE_INFINITY, 1),
            r.peakInFlight(),
            r.peakThreads(),
            r.peakHeapBytes(),
            r.peakRssBytes(),
            r.cpuTime(),
            r.cancelled());

    assertThat(ReportFormat.JSON.render(nan))
        .contains("\"p50\": null")
        .contains("\"max\": null")
        .doesNotContain("NaN")
        .doesNotContain("Infinity");
    assertThat(ReportFormat.TEXT.render(nan)).contains("latency p50").doesNotContain("NaN");
  }

  @Test
  void formatNamesParseIgnoringCase() {
    assertThat(ReportFormat.parse("text")).contains(ReportFormat.TEXT);
    assertThat(ReportFormat.parse("JSON")).contains(ReportFormat.JSON);
    assertThat(ReportFormat.parse("Markdown")).contains(ReportFormat.MARKDOWN);
    assertThat(ReportFormat.parse("md")).contains(ReportFormat.MARKDOWN);
    assertThat(ReportFormat.parse("html")).isEqualTo(Optional.empty());
    assertThat(ReportFormat.parse("")).isEmpty();
  }

  @Test
  void bytesUseBinaryUnitsWithOneDecimal() {
    assertThat(ReportTable.bytes(0)).isEqualTo("0 B");
    assertThat(ReportTable.bytes(1023)).isEqualTo("1,023 B");
    assertThat(ReportTable.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(ReportTable.bytes(5L << 30)).isEqualTo("5.0 GiB");
    assertThat(ReportTable.bytes(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
  }

  static CrawlReport withEngine(CrawlReport r, String engine) {
    return new CrawlReport(
        engine,
        r.concurrency(),
        r.startedAt(),
        r.duration(),
        r.accepted(),
        r.fetched(),
        r.redirected(),
        r.failed(),
        r.skipped(),
        r.pending(),
        r.retries(),
        r.robotsFetches(),
        0,
        r.bodyBytes(),
        r.reasons(),
        r.rejections(),
        r.timeline(),
        r.latency(),
        r.peakInFlight(),
        r.peakThreads(),
        r.peakHeapBytes(),
        r.peakRssBytes(),
        r.cpuTime(),
        r.cancelled());
  }

  private void assertGolden(String name, String actual) throws IOException {
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(GOLDEN_DIR.resolve(name), actual, StandardCharsets.UTF_8);
      return;
    }
    try (InputStream in = ReportFormatTest.class.getResourceAsStream(name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(actual).isEqualTo(expected);
    }
  }
}
