package io.duocrawl.cli;

import static io.duocrawl.cli.KilledCrawls.lines;
import static io.duocrawl.cli.KilledCrawls.records;
import static io.duocrawl.cli.KilledCrawls.urls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.GroundTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code duocrawl crawl --state} in child JVMs killed with SIGKILL at chosen points, then resumed:
 * the union of the {@code --out} files must be the site's ground truth URL by URL, every URL
 * written once except those in flight at a kill (at most {@code C} per kill), and the last report
 * cumulative and balanced. Also the lock, a conflicting config, and a file-size limit (a full disk
 * that fails for root too) in real processes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KillResumeTest {
  private static final int C = 8;
  private static FixtureSite site;
  private static GroundTruth truth;
  private static int total;

  @TempDir Path dir;

  @BeforeAll
  static void startSite() {
    site = KilledCrawls.site();
    truth = KilledCrawls.truth(site);
    total = KilledCrawls.total(truth);
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
  void killedFourTimesAndResumedTheCrawlFetchesEveryUrlOnceBarTheInFlight(String engine)
      throws Exception {
    Path state = dir.resolve("state");
    Path pages = dir.resolve("pages.jsonl");
    Path report = dir.resolve("report.json");
    // Kill points by lines written: at once (during start-up or open), early, middle, last pages.
    int[] killAt = {0, 3, total / 2, total - 3};
    int kills = 0;
    for (int at : killAt) {
      Process child = crawl(engine, state, pages, report, List.of());
      await()
          .atMost(Duration.ofSeconds(60))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> !child.isAlive() || (at == 0 ? journalExists(state) : lines(pages) >= at));
      if (child.isAlive()) {
        child.destroyForcibly(); // SIGKILL on Linux
        kills++;
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Process last = crawl(engine, state, pages, report, List.of());
    assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(last.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();

    List<JsonNode> records = records(pages);
    Map<String, Integer> times = new HashMap<>();
    records.forEach(r -> times.merge(r.get("url").asText(), 1, Integer::sum));
    int refetched = records.size() - times.size();
    assertThat(kills).as("kills that happened").isGreaterThanOrEqualTo(3);
    assertThat(refetched)
        .as("URLs written again after %d kills", kills)
        .isLessThanOrEqualTo(C * kills);
    assertThat(urls(records, "FETCHED")).isEqualTo(new TreeSet<>(truth.fetched()));
    assertThat(urls(records, "REDIRECTED")).isEqualTo(new TreeSet<>(truth.redirects().keySet()));
    assertThat(urls(records, "FAILED")).isEqualTo(new TreeSet<>(truth.failed().keySet()));
    assertThat(urls(records, "SKIPPED")).isEqualTo(new TreeSet<>(truth.skipped().keySet()));
    assertThat(times).hasSize(total);

    CrawlReport cumulative = ReportJson.read(report);
    assertThat(cumulative.balanced()).isTrue();
    assertThat(cumulative.pending()).isZero();
    assertThat(cumulative.accepted()).isEqualTo(total);
    assertThat(cumulative.fetched()).isEqualTo(truth.fetched().size());
    // Five opens and one clean close make generation 6; the journals rotated at 4 KiB and folded
    // while the crawls ran (so some kills hit a fold, or a state just folded) make it higher.
    assertThat(snapshotGeneration(state)).as("generation of the last snapshot").isGreaterThan(6);
  }

  @Test
  void aSecondProcessIsRefusedAConflictingConfigNamesTheOptionACompatibleOneResumes()
      throws Exception {
    Path state = dir.resolve("state");
    Path pages = dir.resolve("pages.jsonl");
    Path report = dir.resolve("report.json");
    // A politeness delay keeps the first crawl running (and it is a change a resume may make).
    Process first = crawl("threads", state, pages, report, List.of("--delay=200ms"));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> lines(pages) >= 2);
      Cli.Result second =
          Cli.run(args("threads", state, dir.resolve("p2.jsonl"), report).toArray(String[]::new));
      assertThat(second.exitCode()).isEqualTo(ExitCode.FAILURE);
      assertThat(second.err()).contains("is in use by another crawl");
    } finally {
      first.destroyForcibly();
      first.waitFor(30, TimeUnit.SECONDS);
    }
    long linesBefore = lines(pages);

    List<String> conflicting = new ArrayList<>(args("threads", state, pages, report));
    conflicting.set(conflicting.indexOf("--max-pages=10000"), "--max-pages=50");
    Cli.Result refused = Cli.run(conflicting.toArray(String[]::new));
    assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(refused.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith("duocrawl: --max-pages differs from the crawl in state directory")
        .contains("10000 there, 50 now");
    assertThat(lines(pages)).isEqualTo(linesBefore); // --out untouched

    List<String> compatible = new ArrayList<>(args("virtual", state, pages, report));
    compatible.set(compatible.indexOf("--concurrency=" + C), "--concurrency=4");
    Cli.Result resumed = Cli.run(compatible.toArray(String[]::new));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.err()).contains("resuming the crawl in");
    assertThat(urls(records(pages), "FETCHED")).isEqualTo(new TreeSet<>(truth.fetched()));
  }

  @Test
  void aFileSizeLimitHitMidCrawlFailsWithExit1AndTheStateResumesIntact() throws Exception {
    Path state = dir.resolve("state");
    Path report = dir.resolve("report.json");
    // RLIMIT_FSIZE makes writes past 8 KiB fail with EFBIG, for root too (a read-only directory
    // does not stop root): the journal reaches it after a hundred or so pages.
    List<String> command =
        new ArrayList<>(List.of("bash", "-c", "ulimit -f 8 && exec \"$@\"", "-"));
    command.addAll(ChildJvm.command(List.of("-XX:-UsePerfData", "-XX:TieredStopAtLevel=1")));
    List<String> crawlArgs = new ArrayList<>(args("reactive", state, null, null));
    command.addAll(crawlArgs);
    Process limited =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    assertThat(limited.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(dir.resolve("stderr.txt"));
    assertThat(limited.exitValue()).as(err).isEqualTo(ExitCode.FAILURE);
    assertThat(err)
        .contains("duocrawl: error: cannot write state directory")
        .contains("File too large");

    crawlArgs.add("--report=" + report);
    Cli.Result resumed = Cli.run(crawlArgs.toArray(String[]::new));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    CrawlReport cumulative = ReportJson.read(report);
    assertThat(cumulative.balanced()).isTrue();
    assertThat(cumulative.accepted()).isEqualTo(total);
    assertThat(cumulative.fetched()).isEqualTo(truth.fetched().size());
  }

  private Process crawl(String engine, Path state, Path pages, Path report, List<String> extra)
      throws IOException {
    // A 4 KiB journal rotation: the crawl of the fixture site writes about 16 KiB of journal, so
    // journals are folded into snapshots while it runs and the kills land during and after folds.
    List<String> command =
        new ArrayList<>(
            ChildJvm.command(
                List.of(
                    "-XX:-UsePerfData",
                    "-XX:TieredStopAtLevel=1",
                    "-Dduocrawl.state.rotateBytes=4096")));
    command.addAll(args(engine, state, pages, report));
    command.addAll(extra);
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(dir.resolve("stderr.txt").toFile())
        .start();
  }

  private static List<String> args(String engine, Path state, Path pages, Path report) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "crawl",
                "--engine=" + engine,
                "--concurrency=" + C,
                "--per-host=" + C,
                "--max-pages=10000",
                "--state=" + state));
    if (pages != null) {
      args.add("--out=" + pages);
    }
    if (report != null) {
      args.add("--report=" + report);
    }
    args.add(site.rootUrl().toString());
    return args;
  }

  private static boolean journalExists(Path state) throws IOException {
    if (!Files.isDirectory(state)) {
      return false;
    }
    try (Stream<Path> files = Files.list(state)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("journal-"));
    }
  }

  private static long snapshotGeneration(Path state) throws IOException {
    try (Stream<Path> files = Files.list(state)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.matches("snapshot-\\d{8}\\.dcs"))
          .mapToLong(name -> Long.parseLong(name.substring(9, 17)))
          .max()
          .orElse(0);
    }
  }
}
