package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.cli.Comparison.Limits;
import io.duocrawl.cli.Comparison.Run;
import io.duocrawl.cli.Comparison.Spread;
import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Reason;
import io.duocrawl.common.report.CrawlReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench harness's logic without timing: options, spreads, summaries and failure reasons. */
class BenchHarnessTest {
  @TempDir Path dir;

  @Test
  void aMedianOfAnOddCountIsTheMiddleValueAndOfAnEvenCountTheMeanOfTheMiddleTwo() {
    Spread odd = Spread.ofValues(List.of(3.0, 1.0, 2.0));
    Spread even = Spread.ofValues(List.of(4.0, 1.0, 2.0, 3.0));

    assertThat(odd.median()).isEqualTo(2.0);
    assertThat(odd.min()).isEqualTo(1.0);
    assertThat(odd.max()).isEqualTo(3.0);
    assertThat(even.median()).isEqualTo(2.5);
    assertThat(Spread.ofValues(List.of()).present()).isFalse();
  }

  @Test
  void aCellWhoseRunsSpreadOverTenPercentOfTheMedianIsFlagged() {
    Comparison narrow = comparison(List.of(run("threads", 16, 0, 100), run("threads", 16, 1, 105)));
    Comparison wide = comparison(List.of(run("threads", 16, 0, 100), run("threads", 16, 1, 120)));

    assertThat(narrow.cell("threads", 16).wideSpread()).isFalse();
    assertThat(wide.cell("threads", 16).wideSpread()).isTrue();
    assertThat(CompareTables.row(wide.cell("threads", 16), wide.limits(16)).get(2)).endsWith(" !");
  }

  @Test
  void theSummaryGivesEachEngineAsAMultipleOfTheFirstAndTheirShareOfTheBound() {
    Comparison c =
        comparison(
            List.of(
                run("threads", 1024, 0, 6_500),
                run("virtual", 1024, 0, 6_600),
                run("reactive", 1024, 0, 6_760)),
            Map.of(1024, new Limits(OptionalDouble.of(10_240), OptionalDouble.of(6_667), 20_480)));

    assertThat(Summary.sentence(c, 1024))
        .isEqualTo(
            "C = 1,024: virtual 1.02× threads, reactive 1.04× threads; all engines within 3% of"
                + " the bound (6,667 pages/s)");
  }

  @Test
  void theSummaryGivesEachEnginesShareWhenOneIsFarFromTheBoundAndNamesTheFailed() {
    Comparison c =
        comparison(
            List.of(
                run("threads", 256, 0, 1_000),
                Run.failed("virtual", 256, 0, "timed out"),
                run("reactive", 256, 0, 2_000)),
            Map.of(256, new Limits(OptionalDouble.of(2_560), OptionalDouble.empty(), 5_120)));

    assertThat(Summary.sentence(c, 256))
        .isEqualTo(
            "C = 256: reactive 2.00× threads; of the bound (2,560 pages/s): threads 39%, reactive"
                + " 78%; virtual failed");
  }

  @Test
  void theSummaryAtLatencyZeroSaysCpuIsTheOnlyBound() {
    Comparison c = comparison(List.of(run("threads", 64, 0, 3_000), run("reactive", 64, 0, 3_300)));

    assertThat(Summary.sentence(c, 64))
        .isEqualTo("C = 64: reactive 1.10× threads; no latency, so CPU is the only bound");
  }

  @Test
  void anEngineThatGivesOutIsNotRunAtHigherConcurrenciesAndEachSkippedCellSaysWhy() {
    List<String> ran = new ArrayList<>();
    CrawlRunner runner =
        (engine, config, rep, warmup) -> {
          ran.add(engine + "@" + config.concurrency());
          if (engine.equals("threads") && config.concurrency() >= 4_000) {
            return Run.failed(engine, config.concurrency(), rep, "cannot create native thread");
          }
          return run(engine, config.concurrency(), rep, 1_000);
        };
    CompareRunner.Plan plan = plan(List.of("threads", "reactive"), List.of(1_000, 4_000, 10_000));

    Comparison c =
        CompareRunner.run(plan, runner, quiet(), Interrupts.none(), () -> OptionalDouble.of(0.5));

    assertThat(ran)
        .containsExactly(
            "threads@1000", "reactive@1000", "reactive@4000", "threads@4000", "reactive@10000");
    assertThat(c.cell("threads", 10_000).failures())
        .containsExactly("not run: gave out at C = 4,000 (cannot create native thread)");
    assertThat(c.runs()).allSatisfy(r -> assertThat(r.engine()).isNotEmpty());
    assertThat(c.runs().get(0).loadBefore()).hasValue(0.5);
    assertThat(Summary.sentence(c, 10_000)).endsWith("threads failed");
  }

  @Test
  void theBusyWarningGoesByWhatOtherProcessesUseNotByTheLoadTheBenchLeftBehind() {
    CrawlRunner runner =
        (engine, config, rep, warmup) -> run(engine, config.concurrency(), rep, 1_000);
    CompareRunner.Plan plan = plan(List.of("threads", "reactive"), List.of(1_000));
    List<OptionalDouble> others =
        new ArrayList<>(List.of(OptionalDouble.of(0.04), OptionalDouble.of(1.3)));
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    Comparison c =
        CompareRunner.run(
            plan,
            runner,
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Interrupts.none(),
            () -> OptionalDouble.of(3.5), // our own previous run still in the one-minute average
            () -> others.remove(0));

    assertThat(c.runs()).extracting(r -> r.startedBusy(2)).containsExactly(false, true);
    assertThat(CompareTables.busyRuns(c, 2)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .containsOnlyOnce("warning: other processes use 1.30 cores (> 0.5) before this run");
  }

  @Test
  void withoutASampleOfOtherProcessesTheLoadAverageDecidesWhetherARunStartedBusy() {
    Run run = run("threads", 16, 0, 1_000);

    assertThat(
            run.withLoad(OptionalDouble.of(2.5), OptionalDouble.empty(), OptionalDouble.empty())
                .startedBusy(2))
        .isTrue();
    assertThat(
            run.withLoad(OptionalDouble.of(1.5), OptionalDouble.empty(), OptionalDouble.empty())
                .startedBusy(2))
        .isFalse();
  }

  @Test
  void aRunWhoseFetchesMostlyFailedCountsAsGivingOut() {
    CrawlReport mostlyFailed =
        report("reactive", 30_000, 900, 100, Map.of(Reason.OK, 100L, Reason.CONNECT_FAILED, 900L));

    assertThat(FailureMode.mostlyFailed(mostlyFailed))
        .hasValueSatisfying(
            r ->
                assertThat(r)
                    .startsWith(
                        "most fetches failed at C = 30,000: 900 of 1,000, mostly CONNECT_FAILED"));
    assertThat(FailureMode.mostlyFailed(report("reactive", 16, 1, 100, Map.of()))).isEmpty();
  }

  @Test
  void aChildJvmThatCannotCreateAThreadEndsWithTheLimitsInWords() {
    String reason =
        FailureMode.childDied(
            List.of(
                "[0.1s] warning",
                "Exception in thread \"main\" java.lang.OutOfMemoryError: unable to create native"
                    + " thread: possibly out of memory or process/resource limits reached"),
            1,
            32_000);

    assertThat(reason)
        .startsWith("cannot create native thread at C = 32,000 — vm.max_map_count ")
        .contains("/ ulimit -u ")
        .endsWith("/ memory (child JVM exited 1)");
  }

  @Test
  void aChildJvmKilledBySigkillOrOutOfFilesSaysSo() {
    assertThat(FailureMode.childDied(List.of(), 137, 100_000))
        .startsWith("killed by SIGKILL at C = 100,000");
    assertThat(
            FailureMode.childDied(
                List.of("java.net.SocketException: Too many open files"), 1, 30_000))
        .startsWith("out of file descriptors at C = 30,000 — open-files limit (ulimit -n) ");
    assertThat(FailureMode.childDied(List.of("duocrawl: error: boom"), 2, 8))
        .isEqualTo("child JVM exited 2 at C = 8: duocrawl: error: boom");
  }

  @Test
  void aChildJvmThatOutlivesTheRunTimeoutIsStoppedAndTheRunSaysWhy() throws IOException {
    // A "JVM" that never finishes: the runner must stop it at the timeout, not hang.
    CrawlRunner runner = fakeJvm("exec sleep 600", Duration.ofMillis(200));

    Run run = runner.run("threads", config(16), 0, Duration.ZERO);

    assertThat(run.report()).isEmpty();
    assertThat(run.failure())
        .isEqualTo(
            "did not finish within --run-timeout 200ms at C = 16 (stopped: hung, or too slow at"
                + " this concurrency)");
  }

  @Test
  void aChildJvmThatDiesWithoutAReportEndsWithItsExitAndLastError() throws IOException {
    CrawlRunner runner =
        fakeJvm("echo 'duocrawl: error: no more' >&2; exit 3", Duration.ofMinutes(1));

    Run run = runner.run("virtual", config(64), 0, Duration.ZERO);

    assertThat(run.failure()).isEqualTo("child JVM exited 3 at C = 64: duocrawl: error: no more");
  }

  @Test
  void pinWithoutTasksetOnPathIsAOneLineUsageError() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("bin"));

    assertThatThrownBy(() -> Pinning.find(empty.toString(), 4))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "--pin needs taskset (from util-linux), which is not on PATH; install util-linux"
                + " (apt-get install util-linux) or run without --pin");
  }

  @Test
  void pinPutsTheCrawlsOnEveryCpuButTheServersOne() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path taskset = Files.writeString(bin.resolve("taskset"), "#!/bin/sh\n");
    taskset.toFile().setExecutable(true);

    assertThat(Pinning.find(bin.toString(), 4).crawlPrefix())
        .containsExactly(taskset.toString(), "-c", "1-3");
    assertThat(Pinning.find(bin.toString(), 2).crawlCpus()).isEqualTo("1");
    assertThatThrownBy(() -> Pinning.find(bin.toString(), 1))
        .hasMessage("--pin needs at least 2 CPUs, this machine has 1");
  }

  @Test
  void badBenchOptionsFailWithOneLineBeforeAnyJvmStarts() {
    assertThat(Cli.run("bench", "--repeat=0").err())
        .contains("--repeat must be > 0, was 0")
        .doesNotContain("computing the site");
    assertThat(Cli.run("bench", "--run-length=0").err()).contains("--run-length must be > 0");
    assertThat(Cli.run("bench", "--concurrency=0").err()).contains("--concurrency must be > 0");
    assertThat(Cli.run("bench", "--max-pages-per-run=-1").err())
        .contains("--max-pages-per-run must be > 0, was -1");
    assertThat(Cli.run("bench", "--pin", "--in-process").err())
        .contains("--pin pins JVMs: it cannot be used with --in-process");
    assertThat(Cli.run("bench", "--repeat=0").exitCode()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void theDefaultPageBudgetHoldsTwentyTimesCAndIsCappedForTheSweep() {
    BenchCommand bench = new BenchCommand();
    bench.compare = new CompareOptions();
    Duration l = Duration.ofMillis(100);

    assertThat(bench.pagesPerRun(16, l, 1_000_000)).isEqualTo(320);
    assertThat(bench.pagesPerRun(1_024, l, 1_000_000)).isEqualTo(20_480);
    assertThat(bench.pagesPerRun(10_000, l, 1_000_000)).isEqualTo(100_000);
    assertThat(bench.pagesPerRun(100_000, l, 1_000_000)).isEqualTo(300_000);
    assertThat(bench.pagesPerRun(64, Duration.ZERO, 1_000_000)).isEqualTo(20_000);
    bench.runLength = Duration.ofSeconds(10);
    assertThat(bench.pagesPerRun(16, l, 1_000_000)).isEqualTo(1_600);
    bench.quick = true;
    bench.runLength = null;
    assertThat(bench.pagesPerRun(1_024, l, 1_000_000)).isEqualTo(10_240);
    assertThat(bench.repeat()).isEqualTo(1);
  }

  @Test
  void theSiteIsSpreadOverOneOriginPerTwentyThousandConnections() {
    assertThat(BenchCommand.origins(1_024)).isEqualTo(1);
    assertThat(BenchCommand.origins(20_000)).isEqualTo(1);
    assertThat(BenchCommand.origins(30_000)).isEqualTo(2);
    assertThat(BenchCommand.origins(100_000)).isEqualTo(5);
  }

  @Test
  void benchServesTheLightServerUnlessToldOtherwise() {
    assertThat(BenchCommand.DEFAULT_SERVER).isEqualTo(io.duocrawl.fixtures.ServerKind.NETTY);
    assertThat(Cli.run("bench", "--server=jetty").err()).contains("expected netty or wiremock");
  }

  @Test
  void kernelLimitsAreReadWholeFromProc() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isReadable(Path.of("/proc/sys/kernel/threads-max")));

    // A read sized by /proc's zero file size would see only the first digit.
    assertThat(Machine.sysctl("kernel/threads-max").orElse(0)).isGreaterThan(99);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A child runner whose "JVM" is a shell script: it ignores its arguments and runs {@code body}.
   */
  private CrawlRunner fakeJvm(String body, Duration timeout) throws IOException {
    Path script = Files.createTempFile(dir, "jvm", ".sh");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n", StandardCharsets.US_ASCII);
    script.toFile().setExecutable(true);
    return new CrawlRunner.ChildRunner(
        List.of(script.toString()), dir, Optional::empty, timeout, Interrupts.none());
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private static CrawlConfig config(int c) {
    return CrawlConfig.builder()
        .seed("http://127.0.0.1:9/")
        .concurrency(c)
        .perHostConcurrency(c)
        .robots(false)
        .build();
  }

  private static CompareRunner.Plan plan(List<String> engines, List<Integer> concurrencies) {
    return new CompareRunner.Plan(
        "test",
        Map.of(),
        engines,
        concurrencies,
        1,
        false,
        false,
        Duration.ZERO,
        BenchHarnessTest::config,
        config(1),
        Map.of());
  }

  private static Comparison comparison(List<Run> runs) {
    return comparison(runs, Map.of());
  }

  private static Comparison comparison(List<Run> runs, Map<Integer, Limits> limits) {
    List<String> engines = new ArrayList<>();
    List<Integer> cs = new ArrayList<>();
    for (Run r : runs) {
      if (!engines.contains(r.engine())) {
        engines.add(r.engine());
      }
      if (!cs.contains(r.concurrency())) {
        cs.add(r.concurrency());
      }
    }
    return new Comparison("t", Map.of(), engines, cs, 1, limits, runs, false);
  }

  private static Run run(String engine, int c, int rep, double pagesPerSecond) {
    long fetched = 1_000;
    CrawlReport r = report(engine, c, 0, fetched, Map.of(Reason.OK, fetched));
    Duration d = Duration.ofNanos(Math.round(fetched / pagesPerSecond * 1e9));
    return Run.of(engine, c, rep, withDuration(r, d));
  }

  private static CrawlReport withDuration(CrawlReport r, Duration d) {
    return new CrawlReport(
        r.engine(),
        r.concurrency(),
        r.startedAt(),
        d,
        r.accepted(),
        r.fetched(),
        0,
        r.failed(),
        0,
        0,
        0,
        0,
        0,
        0,
        r.reasons(),
        Map.of(),
        List.of(),
        r.latency(),
        0,
        0,
        0,
        0,
        Duration.ZERO,
        false);
  }

  private static CrawlReport report(
      String engine, int c, long failed, long fetched, Map<Reason, Long> reasons) {
    return new CrawlReport(
        engine,
        c,
        Instant.parse("2026-01-02T03:04:05Z"),
        Duration.ofSeconds(1),
        fetched + failed,
        fetched,
        0,
        failed,
        0,
        0,
        0,
        0,
        0,
        0,
        reasons,
        Map.of(),
        List.of(),
        CrawlReport.Latency.EMPTY,
        0,
        0,
        0,
        0,
        Duration.ZERO,
        false);
  }
}
