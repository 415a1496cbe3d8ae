package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.SiteSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
class CompareAndBenchTest {
  @TempDir Path dir;

  @Test
  void compareRunsEveryEngineAtEveryConcurrencyAndWritesThreeReports() throws IOException {
    try (FixtureSite site =
        FixtureSite.start(SiteSpec.builder().pages(100).requestLog(false).build())) {
      Cli.Result result =
          Cli.run(
              "compare",
              "--in-process",
              "--concurrency=4,8",
              "--max-pages=30",
              "--per-host=8",
              "--no-robots",
              "--out-dir=" + dir,
              site.rootUrl().toString());

      assertThat(result.exitCode()).as(result.err()).isZero();
      int engines = Engines.names().size();
      assertThat(result.err().lines().filter(l -> l.matches("\\[\\d+/\\d+\\] .*")))
          .hasSize(engines * 2);
      JsonNode report = ReportJson.MAPPER.readTree(dir.resolve("report.json").toFile());
      assertThat(report.get("results")).hasSize(engines * 2);
      for (JsonNode cell : report.get("results")) {
        assertThat(cell.get("runs").asInt()).isEqualTo(1);
        assertThat(cell.get("fetched").get("median").asLong()).isEqualTo(30);
      }
      assertThat(report.get("runs")).hasSize(engines * 2);
      for (JsonNode run : report.get("runs")) {
        assertThat(ReportJson.parse(run.get("report")).balanced()).isTrue();
      }
      assertThat(Files.readString(dir.resolve("report.md"))).contains("| C | C/L pages/s |");
      assertThat(Jsoup.parse(dir.resolve("report.html").toFile()).select("figure.timeline"))
          .hasSize(engines);
      for (String engine : Engines.names()) {
        assertThat(result.out()).contains(engine);
      }
    }
  }

  @Test
  void benchServesTheSiteAndRunsEachCrawlInItsOwnJvm() throws IOException {
    Cli.Result result =
        Cli.run(
            "bench",
            "--engines=" + Engines.names().get(0),
            "--concurrency=8",
            "--pages=300",
            "--latency=fixed:5ms",
            "--max-pages-per-run=120",
            "--repeat=1",
            "--no-warmup",
            "--out-dir=" + dir);

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode report = ReportJson.MAPPER.readTree(dir.resolve("report.json").toFile());
    assertThat(report.get("setup").get("isolation").asText()).isEqualTo("one fresh JVM per crawl");
    JsonNode cell = report.get("results").get(0);
    assertThat(cell.get("fetched").get("median").asLong()).isEqualTo(120);
    assertThat(cell.get("littleLimit").asDouble()).isEqualTo(8 / 0.005);
    assertThat(cell.get("bfsBound").asDouble()).isPositive().isLessThanOrEqualTo(8 / 0.005);
    // The server's CPU is measured from outside its JVM, so it is known only with a child server.
    assertThat(cell.get("serverCpuSeconds").isNull()).isFalse();
    // The crawl ran in another process: its report is from a different JVM start.
    assertThat(result.out()).contains("C = 8").contains("BFS bound");
    assertThat(Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8))
        .contains("<svg");
  }

  @Test
  void bfsBoundComesFromTheFixturesGroundTruth() {
    SiteSpec spec = SiteSpec.builder().pages(100).linksPerPage(4).build();
    long[] depths =
        BenchCommand.depthHistogram(spec, CrawlOptions.DEFAULTS.toBuilder().robots(false).build());

    assertThat(depths[0]).isEqualTo(1); // the root
    assertThat(depths[1]).isEqualTo(1); // the root links to /page/0 only
    assertThat(java.util.Arrays.stream(depths).sum()).isEqualTo(101);
    assertThat(depths.length).isGreaterThan(3); // a tree of branching 2 (K = 4) plus random links
  }
}
