package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.cli.Comparison.Limits;
import io.duocrawl.cli.Comparison.Run;
import io.duocrawl.common.Reason;
import io.duocrawl.common.report.CrawlReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The comparison renderers against golden files. A deliberate change of output: run with {@code
 * -Dgolden.update=true} once, review the diff of src/test/resources/golden, commit it.
 */
class CompareOutputGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Comparison sample() {
    List<Run> runs = new ArrayList<>();
    int[] concurrencies = {16, 256};
    String[] engines = {"threads", "virtual", "reactive"};
    for (int rep = 0; rep < 2; rep++) {
      for (int c : concurrencies) {
        for (int e = 0; e < engines.length; e++) {
          double pps = c * 8.0 * (1 + 0.2 * e) * (c > 100 ? 0.5 : 0.9) + rep * 3;
          runs.add(
              Run.of(engines[e], c, rep, report(engines[e], c, pps, e, rep))
                  .withServerCpu(Duration.ofMillis(400 + 10L * e)));
        }
      }
    }
    runs.add(
        Run.failed(
            "threads",
            256,
            2,
            "child JVM exited 1: OutOfMemoryError: unable to create native thread"));
    Map<String, String> setup = new LinkedHashMap<>();
    setup.put("site", "20,000 pages, 8 links/page, 8KB per page, latency fixed:100ms");
    setup.put("machine", "2 CPUs");
    Map<Integer, Limits> limits =
        Map.of(
            16, new Limits(OptionalDouble.of(160), OptionalDouble.of(145.5), 320),
            256, new Limits(OptionalDouble.of(2560), OptionalDouble.of(2133.3), 5120));
    return new Comparison(
        "duocrawl bench: threads vs virtual vs reactive, latency fixed:100ms",
        setup,
        List.of(engines),
        List.of(16, 256),
        2,
        limits,
        runs,
        false);
  }

  private static CrawlReport report(String engine, int c, double pps, int e, int rep) {
    long fetched = c * 20L;
    Duration duration = Duration.ofMillis(Math.round(fetched / pps * 1000));
    List<Long> timeline = new ArrayList<>();
    long left = fetched;
    for (int s = 0; left > 0; s++) {
      long n = Math.min(left, Math.round(pps * Math.min(1, (s + 1) / 2.0)));
      timeline.add(n);
      left -= n;
    }
    return new CrawlReport(
        engine,
        c,
        Instant.parse("2026-01-02T03:04:05Z"),
        duration,
        fetched + 2,
        fetched,
        0,
        2,
        0,
        0,
        1,
        0,
        0,
        fetched * 8192,
        Map.of(Reason.OK, fetched, Reason.NOT_FOUND, 2L),
        Map.of(),
        timeline,
        new CrawlReport.Latency(fetched, 100.5 + e, 120, 180.25 + 10 * e + rep, 300, 110),
        c,
        e == 0 ? c + 12 : 14 + e,
        (64L + 16 * e) << 20,
        (200L + 50 * e + c / 4) << 20,
        Duration.ofMillis(1000 + 300L * e + c),
        false);
  }

  @Test
  void textTableMatchesGolden() throws IOException {
    assertGolden("compare.txt", CompareTables.text(sample()));
  }

  @Test
  void markdownMatchesGolden() throws IOException {
    assertGolden("compare.md", CompareTables.markdown(sample()));
  }

  @Test
  void jsonMatchesGolden() throws IOException {
    assertGolden("compare.json", CompareJson.render(sample()));
  }

  @Test
  void htmlMatchesGolden() throws IOException {
    assertGolden("compare.html", CompareHtml.render(sample()));
  }

  @Test
  void htmlHoldsTheThroughputChartAndOneTimelinePerEngine() {
    Document html = Jsoup.parse(CompareHtml.render(sample()));

    Element throughput = html.selectFirst("figure#throughput svg");
    assertThat(throughput).isNotNull();
    assertThat(throughput.select("polyline.series").eachAttr("data-name"))
        .containsExactly("threads", "virtual", "reactive", "C/L limit", "BFS bound");
    assertThat(html.select("figure.timeline").eachAttr("data-engine"))
        .containsExactly("threads", "virtual", "reactive");
    for (Element timeline : html.select("figure.timeline")) {
      assertThat(timeline.select("svg polyline.series").eachAttr("data-name"))
          .containsExactly("C = 16", "C = 256");
    }
    // Self-contained: nothing fetched from elsewhere, no script needed.
    assertThat(html.select("script, link[href], img[src]")).isEmpty();
    assertThat(html.select("table tbody tr")).hasSizeGreaterThanOrEqualTo(6);
  }

  @Test
  void mediansAndRangesAreOverTheRepetitions() {
    Comparison.Cell cell = sample().cell("virtual", 16);

    assertThat(cell.reports()).hasSize(2);
    double first = cell.reports().get(0).pagesPerSecond();
    double second = cell.reports().get(1).pagesPerSecond();
    assertThat(cell.pagesPerSecond().min()).isEqualTo(Math.min(first, second));
    assertThat(cell.pagesPerSecond().max()).isEqualTo(Math.max(first, second));
    assertThat(cell.pagesPerSecond().median()).isEqualTo((first + second) / 2);
    assertThat(first).isNotEqualTo(second);
    assertThat(sample().cell("threads", 256).failures()).hasSize(1);
  }

  @Test
  void theEngineOrderRotatesFromStepToStep() {
    List<String> engines = List.of("threads", "virtual", "reactive");
    assertThat(CompareRunner.order(engines, 0)).containsExactly("threads", "virtual", "reactive");
    assertThat(CompareRunner.order(engines, 1)).containsExactly("virtual", "reactive", "threads");
    assertThat(CompareRunner.order(engines, 5)).containsExactly("reactive", "threads", "virtual");
  }

  private static void assertGolden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
