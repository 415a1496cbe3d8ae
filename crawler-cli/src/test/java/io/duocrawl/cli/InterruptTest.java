package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.LatencyModel;
import io.duocrawl.fixtures.SiteSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during a crawl: the crawl stops, and pages and report are whole and add up. */
@org.junit.jupiter.api.Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
class InterruptTest {
  @TempDir Path dir;

  @Test
  void ctrlCStopsTheCrawlFlushesEverythingAndExits130() throws Exception {
    try (FixtureSite site =
        FixtureSite.start(
            SiteSpec.builder()
                .pages(5_000)
                .latency(LatencyModel.fixed(Duration.ofMillis(100)))
                .requestLog(false)
                .build())) {
      Path pages = dir.resolve("pages.jsonl");
      Path reportFile = dir.resolve("report.json");
      Interrupts interrupts = Interrupts.none();

      CompletableFuture<Cli.Result> run =
          CompletableFuture.supplyAsync(
              () ->
                  Cli.run(
                      interrupts,
                      "crawl",
                      "--engine=" + Engines.names().get(0),
                      "--concurrency=8",
                      "--per-host=8",
                      "--no-robots",
                      "--out=" + pages,
                      "--report=" + reportFile,
                      site.rootUrl().toString()));
      // Some pages reach the file (it is flushed every second), then "Ctrl-C".
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.exists(pages) && Files.size(pages) > 0);
      interrupts.interrupt();
      Cli.Result result = run.get(30, TimeUnit.SECONDS);

      assertThat(result.exitCode()).isEqualTo(ExitCode.INTERRUPTED);
      CrawlReport report = ReportJson.read(reportFile);
      assertThat(report.cancelled()).isTrue();
      assertThat(report.pending()).isPositive();
      assertThat(report.balanced()).isTrue();
      List<String> lines = Files.readAllLines(pages, StandardCharsets.UTF_8);
      assertThat(lines).hasSize((int) (report.accepted() - report.pending()));
      for (String line : lines) {
        assertThat(ReportJson.MAPPER.readTree(line).has("outcome")).isTrue();
      }
      assertThat(result.out()).contains("pending");
    }
  }

  @Test
  void theProgressLineShowsPagesRateInFlightErrorsAndElapsed() throws IOException {
    String line =
        ProgressLine.render(
            new io.duocrawl.common.CrawlProgress(1300, 1234, 3, 0, 64, Duration.ofMillis(12_300)));
    assertThat(line).isEqualTo("1,234 pages  100.3 pages/s  in flight 64  errors 3  elapsed 12.3s");
  }
}
