package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.LatencyModel;
import io.duocrawl.fixtures.SiteSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, sent to a real {@code duocrawl crawl} in a child JVM: the pages and the report are
 * written whole, as after Ctrl-C, and the exit code is 143. {@link Process#destroy()} sends SIGTERM
 * on Linux and macOS.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
class SigtermTest {
  @TempDir Path dir;

  @Test
  void sigtermStopsTheCrawlFlushesPagesAndReportAndExits143() throws Exception {
    try (FixtureSite site =
        FixtureSite.start(
            SiteSpec.builder()
                .pages(5_000)
                .latency(LatencyModel.fixed(Duration.ofMillis(100)))
                .requestLog(false)
                .build())) {
      Path pages = dir.resolve("pages.jsonl");
      Path reportFile = dir.resolve("report.json");
      List<String> command = new ArrayList<>(ChildJvm.command(List.of()));
      command.addAll(
          List.of(
              "crawl",
              "--engine=threads",
              "--concurrency=8",
              "--per-host=8",
              "--no-robots",
              "--out=" + pages,
              "--report=" + reportFile,
              site.rootUrl().toString()));
      Process child =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("child.log").toFile())
              .start();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> Files.exists(pages) && Files.size(pages) > 0);

        child.destroy(); // SIGTERM
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
      } finally {
        child.destroyForcibly();
      }

      assertThat(child.exitValue()).isEqualTo(ExitCode.TERMINATED);
      CrawlReport report = ReportJson.read(reportFile);
      assertThat(report.cancelled()).isTrue();
      assertThat(report.pending()).isPositive();
      assertThat(report.balanced()).isTrue();
      List<String> lines = Files.readAllLines(pages, StandardCharsets.UTF_8);
      assertThat(lines).hasSize((int) (report.accepted() - report.pending()));
      for (String line : lines) {
        assertThat(ReportJson.MAPPER.readTree(line).has("outcome")).isTrue();
      }
    }
  }
}
