package io.duocrawl.cli;

import io.duocrawl.cli.Comparison.Limits;
import io.duocrawl.cli.Comparison.Run;
import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.report.CrawlReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Runs a comparison: an optional warm-up, then {@code repeat} rounds; in each round every
 * concurrency, and at each concurrency every engine, one fresh crawl each. The engine order is
 * rotated from one concurrency and round to the next, so a slow drift of the machine (a neighbour's
 * build, thermal throttling) does not always hit the same engine first or last.
 */
final class CompareRunner {
  private CompareRunner() {}

  /**
   * What to run.
   *
   * @param title the comparison's title
   * @param setup facts about the setup, for the reports
   * @param engines engine ids
   * @param concurrencies ascending concurrencies
   * @param repeat measured rounds
   * @param warmup whether to run throw-away crawls first: one per engine when crawls share this JVM
   *     (its JIT is what needs warming), else one in all (it warms the target server; each child
   *     JVM warms its own JIT with {@code jvmWarmup})
   * @param jvmWarmup how long each measured crawl's JVM crawls first, discarded (JIT warm-up)
   * @param config the config of a measured crawl at a concurrency
   * @param warmupConfig the config of the throw-away crawls
   * @param limits throughput limits per concurrency, where known
   */
  record Plan(
      String title,
      Map<String, String> setup,
      List<String> engines,
      List<Integer> concurrencies,
      int repeat,
      boolean warmup,
      boolean warmupEveryEngine,
      Duration jvmWarmup,
      IntFunction<CrawlConfig> config,
      CrawlConfig warmupConfig,
      Map<Integer, Limits> limits) {}

  /**
   * The order engines run at the {@code step}-th (concurrency, round): rotated by one each step.
   */
  static List<String> order(List<String> engines, int step) {
    List<String> order = new ArrayList<>(engines.size());
    for (int i = 0; i < engines.size(); i++) {
      order.add(engines.get((i + step) % engines.size()));
    }
    return order;
  }

  static Comparison run(Plan plan, CrawlRunner runner, PrintStream err, Interrupts interrupts) {
    return run(
        plan,
        runner,
        err,
        interrupts,
        Machine::loadAverage,
        () -> Machine.busyCores(OTHERS_SAMPLE));
  }

  /** How long the CPU others use is sampled before each run: a quarter second per run. */
  static final Duration OTHERS_SAMPLE = Duration.ofMillis(250);

  static Comparison run(
      Plan plan,
      CrawlRunner runner,
      PrintStream err,
      Interrupts interrupts,
      Supplier<OptionalDouble> load) {
    return run(plan, runner, err, interrupts, load, OptionalDouble::empty);
  }

  /**
   * Runs the plan; {@code load} reads the machine's load average before and after each run, {@code
   * others} the CPU other processes use just before it (the busy warning's measure). An engine
   * whose JVM died, timed out, or whose fetches mostly failed at some concurrency is not run at the
   * higher ones: each of those cells says why, so a sweep ends with a reason, not a hang.
   */
  static Comparison run(
      Plan plan,
      CrawlRunner runner,
      PrintStream err,
      Interrupts interrupts,
      Supplier<OptionalDouble> load,
      Supplier<OptionalDouble> others) {
    List<Run> runs = new ArrayList<>();
    int total = plan.repeat() * plan.concurrencies().size() * plan.engines().size();
    if (plan.warmup()) {
      List<String> warmupEngines =
          plan.warmupEveryEngine() ? plan.engines() : plan.engines().subList(0, 1);
      for (String engine : warmupEngines) {
        if (interrupts.interrupted()) {
          break;
        }
        Run warm = runner.run(engine, plan.warmupConfig(), -1, Duration.ZERO);
        err.println("[warm-up] " + describe(warm));
      }
    }
    Map<String, GaveOut> gaveOut = new HashMap<>();
    int done = 0;
    rounds:
    for (int rep = 0; rep < plan.repeat(); rep++) {
      for (int ci = 0; ci < plan.concurrencies().size(); ci++) {
        int concurrency = plan.concurrencies().get(ci);
        CrawlConfig config = plan.config().apply(concurrency);
        for (String engine : order(plan.engines(), rep * plan.concurrencies().size() + ci)) {
          if (interrupts.interrupted()) {
            break rounds;
          }
          GaveOut earlier = gaveOut.get(engine);
          if (earlier != null && earlier.concurrency() < concurrency) {
            Run skipped =
                Run.failed(
                    engine,
                    concurrency,
                    rep,
                    "not run: gave out at C = "
                        + CompareTables.integer(earlier.concurrency())
                        + " ("
                        + earlier.reason()
                        + ")");
            runs.add(skipped);
            err.printf(Locale.ROOT, "[%d/%d] %s%n", ++done, total, describe(skipped));
            continue;
          }
          OptionalDouble before = load.get();
          OptionalDouble othersBefore = others.get();
          if (Machine.busy(before, othersBefore, Machine.cores())) {
            err.printf(
                Locale.ROOT,
                "duocrawl: warning: %s before this run: the machine is busy, this run measures"
                    + " under load%n",
                othersBefore.isPresent()
                    ? String.format(
                        Locale.ROOT,
                        "other processes use %.2f cores (> %.1f)",
                        othersBefore.getAsDouble(),
                        Machine.BUSY_OTHER_CORES)
                    : String.format(
                        Locale.ROOT,
                        "load average %.2f > %d cores",
                        before.getAsDouble(),
                        Machine.cores()));
          }
          Run run = runner.run(engine, config, rep, plan.jvmWarmup());
          if (interrupts.interrupted() || run.report().map(CrawlReport::cancelled).orElse(false)) {
            break rounds; // a cancelled crawl's figures are partial: not a measurement
          }
          run = run.withLoad(before, load.get(), othersBefore);
          runs.add(run);
          err.printf(Locale.ROOT, "[%d/%d] %s%n", ++done, total, describe(run));
          givenOut(run)
              .ifPresent(reason -> gaveOut.putIfAbsent(engine, new GaveOut(concurrency, reason)));
        }
      }
    }
    return new Comparison(
        plan.title(),
        plan.setup(),
        plan.engines(),
        plan.concurrencies(),
        plan.repeat(),
        plan.limits(),
        runs,
        interrupts.interrupted());
  }

  /** Where and why an engine gave out. */
  private record GaveOut(int concurrency, String reason) {}

  /** Why a run means its engine cannot go higher: no report, or mostly failed fetches. */
  static Optional<String> givenOut(Run run) {
    if (run.report().isEmpty()) {
      return Optional.of(run.failure());
    }
    return FailureMode.mostlyFailed(run.report().get());
  }

  /**
   * ", load 0.52 -> 1.10, others 0.03 cores": the load average before and after a run and the CPU
   * other processes used just before it, where known.
   */
  static String loads(Run run) {
    String others =
        run.otherCoresBefore().isPresent()
            ? ", others " + load(run.otherCoresBefore()) + " cores"
            : "";
    if (run.loadBefore().isEmpty() && run.loadAfter().isEmpty()) {
      return others;
    }
    return ", load " + load(run.loadBefore()) + " -> " + load(run.loadAfter()) + others;
  }

  static String load(OptionalDouble load) {
    return load.isPresent() ? String.format(Locale.ROOT, "%.2f", load.getAsDouble()) : "?";
  }

  private static String describe(Run run) {
    String head =
        String.format(Locale.ROOT, "%s C=%,d", run.engine(), run.concurrency())
            + (run.repetition() >= 0 ? " run " + (run.repetition() + 1) : "");
    if (run.report().isEmpty()) {
      return head + ": FAILED " + run.failure() + loads(run);
    }
    CrawlReport r = run.report().get();
    return head
        + String.format(
            Locale.ROOT,
            ": %,.1f pages/s (%,d pages in %.1fs, %,d errors, %,d threads, %,d MiB RSS)%s%s",
            r.pagesPerSecond(),
            r.fetched(),
            r.duration().toMillis() / 1000.0,
            r.failed(),
            r.peakThreads(),
            r.peakRssBytes() >> 20,
            run.serverCpu().isPresent() && run.requests() > 0
                ? String.format(
                    Locale.ROOT,
                    ", server %.3f ms/req",
                    run.serverCpu().get().toNanos() / 1e6 / run.requests())
                : "",
            loads(run));
  }
}
