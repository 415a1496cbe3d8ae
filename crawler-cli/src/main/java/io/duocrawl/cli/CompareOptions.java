package io.duocrawl.cli;

import io.duocrawl.common.report.ReportFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The options {@code compare} and {@code bench} share: what to run, how, and where to write. */
final class CompareOptions {
  @Option(
      names = "--engines",
      paramLabel = "LIST",
      split = ",",
      description = "Engines to compare, comma-separated. Default: all (${COMPLETION-CANDIDATES}).",
      completionCandidates = Engines.Names.class)
  List<String> engines;

  @Option(
      names = "--concurrency",
      paramLabel = "LIST",
      split = ",",
      defaultValue = "16,64,256,1024",
      description = "Concurrencies, comma-separated. Default: ${DEFAULT-VALUE}.")
  List<Integer> concurrencies;

  @Option(
      names = "--repeat",
      paramLabel = "R",
      description =
          "Measured runs per engine and concurrency; the engine order rotates from run to run."
              + " Default: 3 for bench (1 with --quick), 1 for compare.")
  Integer repeat;

  @Option(
      names = "--jvm-warmup",
      paramLabel = "DURATION",
      converter = Units.DurationConverter.class,
      defaultValue = "1s",
      description =
          "With --warmup: each measured crawl's JVM first crawls this long, discarded (JIT"
              + " warm-up). Default: ${DEFAULT-VALUE}.")
  Duration jvmWarmup;

  @Option(
      names = "--out-dir",
      paramLabel = "DIR",
      description = "Write report.json, report.md and report.html here.")
  Path outDir;

  @Option(
      names = "--format",
      paramLabel = "text|json|markdown",
      defaultValue = "text",
      description = "Format of the table printed on stdout. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(
      names = "--in-process",
      description =
          "Run every crawl in this JVM instead of a fresh child JVM each: faster to start, but"
              + " peak RSS, heap and threads then carry over between runs.")
  boolean inProcess;

  @Option(
      names = "--jvm-opt",
      paramLabel = "OPTION",
      description =
          "An extra JVM flag for each crawl's child JVM (repeatable), e.g. --jvm-opt=-Xmx2g.")
  List<String> jvmOptions = new ArrayList<>();

  @Option(
      names = "--run-timeout",
      paramLabel = "DURATION",
      converter = Units.DurationConverter.class,
      defaultValue = "10m",
      description =
          "Stop a crawl that takes longer and count it as failed. Default: ${DEFAULT-VALUE}.")
  Duration runTimeout;

  /** The engines, checked and without duplicates. */
  List<String> engines() {
    List<String> names = engines == null || engines.isEmpty() ? Engines.names() : engines;
    List<String> checked = new ArrayList<>();
    for (String name : names) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      if (Engines.create(n).isEmpty()) {
        throw new UsageException(Engines.unknown(name));
      }
      if (!checked.contains(n)) {
        checked.add(n);
      }
    }
    if (checked.isEmpty()) {
      throw new UsageException("no engines to compare");
    }
    return checked;
  }

  /** The concurrencies, checked, ascending, without duplicates. */
  List<Integer> concurrencies() {
    for (int c : concurrencies) {
      requirePositive("--concurrency", c);
    }
    return List.copyOf(new TreeSet<>(concurrencies));
  }

  /** The report format of the table on stdout. */
  ReportFormat format() {
    return ReportFormat.parse(format)
        .orElseThrow(
            () ->
                new UsageException(
                    "--format: '" + format + "' is not a format (use text, json or markdown)"));
  }

  /** The repetitions: --repeat, else {@code byDefault}. */
  int repeat(int byDefault) {
    return repeat == null ? byDefault : repeat;
  }

  /** Checks the remaining numbers. */
  void validate() {
    if (repeat != null) {
      requirePositive("--repeat", repeat);
    }
    if (runTimeout.isZero() || runTimeout.isNegative()) {
      throw new UsageException("--run-timeout must be > 0, was 0");
    }
  }

  /** The runner these options ask for; {@code workDir} holds the children's files. */
  CrawlRunner runner(Path workDir, Supplier<Optional<Duration>> serverCpu, Interrupts interrupts) {
    return runner(List.of(), workDir, serverCpu, interrupts);
  }

  /** The runner, each child JVM started behind {@code prefix} (for example taskset). */
  CrawlRunner runner(
      List<String> prefix,
      Path workDir,
      Supplier<Optional<Duration>> serverCpu,
      Interrupts interrupts) {
    return inProcess
        ? CrawlRunner.inProcess(serverCpu, interrupts)
        : CrawlRunner.childJvm(prefix, jvmOptions, workDir, serverCpu, runTimeout, interrupts);
  }

  static void requirePositive(String option, long value) {
    if (value <= 0) {
      throw new UsageException(option + " must be > 0, was " + value);
    }
  }

  /** Setup lines every comparison reports: the machine and the isolation. */
  Map<String, String> machineSetup() {
    Map<String, String> setup = new LinkedHashMap<>();
    setup.put(
        "machine",
        Runtime.getRuntime().availableProcessors()
            + " CPUs, "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch")
            + ", Java "
            + Runtime.version().feature());
    setup.put("limits", Machine.limitsLine());
    setup.put(
        "isolation",
        inProcess ? "all crawls in one JVM (--in-process)" : "one fresh JVM per crawl");
    List<String> flags = new ArrayList<>(ChildJvm.inheritedOptions());
    flags.addAll(jvmOptions);
    if (!inProcess) {
      setup.put(
          "JVM flags", flags.isEmpty() ? "none (the JVM's defaults)" : String.join(" ", flags));
    }
    return setup;
  }

  /** The warm-up, as the setup line reports it. */
  String describeWarmup(boolean warmup) {
    if (!warmup) {
      return "none";
    }
    return inProcess
        ? "one throw-away crawl per engine"
        : "one throw-away crawl, then " + Units.format(jvmWarmup) + " of crawling in each JVM";
  }

  /** Prints the table and writes report.json, report.md and report.html to --out-dir. */
  int output(Comparison comparison, Main.Context ctx) {
    ReportFormat f = format();
    String table =
        switch (f) {
          case JSON -> CompareJson.render(comparison);
          case MARKDOWN -> CompareTables.markdown(comparison);
          default -> CompareTables.text(comparison);
        };
    ctx.out().print(table);
    ctx.out().flush();
    if (outDir == null) {
      return ExitCode.OK;
    }
    try {
      Files.createDirectories(outDir);
      Files.writeString(
          outDir.resolve("report.json"), CompareJson.render(comparison), StandardCharsets.UTF_8);
      Files.writeString(
          outDir.resolve("report.md"), CompareTables.markdown(comparison), StandardCharsets.UTF_8);
      Files.writeString(
          outDir.resolve("report.html"), CompareHtml.render(comparison), StandardCharsets.UTF_8);
      ctx.err().println("duocrawl: reports written to " + outDir.toAbsolutePath().normalize());
      return ExitCode.OK;
    } catch (IOException e) {
      ctx.err()
          .println("duocrawl: error: cannot write reports to " + outDir + ": " + e.getMessage());
      return ExitCode.FAILURE;
    }
  }

  /** {@code bench-results/NAME-20250102-030405}: a fresh default output directory. */
  static Path defaultOutDir(String name) {
    return Path.of(
        "bench-results",
        name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }
}
