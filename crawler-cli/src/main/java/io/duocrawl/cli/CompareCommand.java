package io.duocrawl.cli;

import io.duocrawl.common.CrawlConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code duocrawl compare}: several engines and concurrencies on the same seeds, side by side. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    defaultValueProvider = CrawlOptions.Defaults.class,
    description = {
      "Crawl the same seeds with several engines at several concurrencies, each crawl in a fresh"
          + " JVM, engine order rotated between steps; print medians and ranges side by side and"
          + " write report.json, report.md and report.html (inline SVG charts) to --out-dir."
    })
final class CompareCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Mixin CompareOptions compare;

  @Mixin Seeds seeds;

  @Mixin CrawlOptions options;

  @Option(
      names = "--warmup",
      description =
          "Warm up first: one throw-away crawl (one per engine with --in-process), and each"
              + " measured JVM crawls --jvm-warmup before measuring.")
  boolean warmup;

  @Override
  public Integer call() throws IOException {
    Main.Context ctx = main.context();
    List<String> engines = compare.engines();
    List<Integer> concurrencies = compare.concurrencies();
    compare.validate();
    List<String> seedList = seeds.load();
    // Validate once up front, so a bad option fails before any JVM starts.
    CrawlConfig base = CrawlCommand.config(seedList, options, concurrencies.get(0));

    Map<String, String> setup = new LinkedHashMap<>();
    setup.put(
        "seeds",
        seedList.size() == 1
            ? seedList.get(0)
            : seedList.size() + " URLs, first " + seedList.get(0));
    setup.put("pages per crawl", "at most " + CompareTables.integer(base.maxPages()));
    setup.put("per-host concurrency", String.valueOf(base.perHostConcurrency()));
    setup.putAll(compare.machineSetup());
    setup.put("warm-up", compare.describeWarmup(warmup));

    CompareRunner.Plan plan =
        new CompareRunner.Plan(
            "duocrawl compare: " + String.join(" vs ", engines),
            setup,
            engines,
            concurrencies,
            compare.repeat(1),
            warmup,
            compare.inProcess,
            warmup ? compare.jvmWarmup : Duration.ZERO,
            c -> base.toBuilder().concurrency(c).build(),
            base.toBuilder()
                .concurrency(concurrencies.get(concurrencies.size() - 1))
                .maxPages(Math.min(base.maxPages(), 500))
                .build(),
            new HashMap<>());
    Path work = Files.createTempDirectory("duocrawl-compare");
    try {
      Comparison result =
          CompareRunner.run(
              plan,
              compare.runner(work, Optional::empty, ctx.interrupts()),
              ctx.err(),
              ctx.interrupts());
      int code = compare.output(result, ctx);
      return ctx.interrupts().interrupted() ? ExitCode.INTERRUPTED : code;
    } finally {
      deleteTree(work);
    }
  }

  static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // temporary files; the OS cleans /tmp eventually
    }
  }
}
