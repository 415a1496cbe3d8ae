package io.duocrawl.cli;

import io.duocrawl.cli.Comparison.Limits;
import io.duocrawl.common.CrawlConfig;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.GroundTruth;
import io.duocrawl.fixtures.SiteSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code duocrawl bench}: {@code compare} against the built-in fixture site, served by its own JVM,
 * with every crawl in a fresh JVM too. Reports Little's-law limit C ÷ L and the BFS bound of the
 * site's link graph next to each measurement, so a result can be read as "limited by the crawler"
 * or "limited by the site".
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Compare engines on the built-in fixture site (no network needed). The site runs in its own"
          + " JVM and every crawl in a fresh one, so CPU, memory and threads are each crawl's own."
          + " Robots off, per-host concurrency = C, no politeness delay."
    })
final class BenchCommand implements Callable<Integer> {
  /** A run's default page budget: about this long at the Little's-law limit C ÷ L. */
  static final Duration TARGET_RUN = Duration.ofSeconds(2);

  /** The smallest default page budget, so a low concurrency still gets a steady state. */
  static final long MIN_PAGES_PER_RUN = 200;

  /**
   * The largest default page budget. Half the default site: the frontier never runs dry, so a run
   * has no tail, and on 2 cores a run at C = 1,024 stays under ten seconds.
   */
  static final long MAX_PAGES_PER_RUN = 10_000;

  /** A run's page budget is at least this many times C, so C requests are in flight for a while. */
  static final long STEADY_STATE_FACTOR = 5;

  /**
   * Pages of the throw-away warm-up crawl, run at C = min(largest C, 256): it warms the server's
   * JIT; a cold crawl JVM starting a thousand threads would only slow it down.
   */
  static final long WARMUP_PAGES = 1_000;

  @ParentCommand Main main;

  @Mixin CompareOptions compare;

  @Mixin FixtureCommand.SiteOptions site;

  @Option(
      names = "--max-pages-per-run",
      paramLabel = "N",
      description =
          "Page budget of each crawl. Default: about 2 s at the Little's-law limit C/L (at least"
              + " 200, at most 10,000 pages; 10,000 at latency 0), but never below 5 x C; at most"
              + " the site.")
  Long maxPagesPerRun;

  @Option(
      names = "--warmup",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Warm up first (default): one throw-away crawl (warms the server), and each measured"
              + " JVM crawls --jvm-warmup before measuring. --no-warmup skips both.")
  boolean warmup;

  @Override
  public Integer call() throws IOException {
    Main.Context ctx = main.context();
    List<String> engines = compare.engines();
    List<Integer> concurrencies = compare.concurrencies();
    compare.validate();
    if (maxPagesPerRun != null) {
      CompareOptions.requirePositive("--max-pages-per-run", maxPagesPerRun);
    }
    SiteSpec spec = site.spec().build();
    Duration latency = site.latency.mean();
    CrawlConfig base =
        CrawlConfig.builder()
            .seed("http://127.0.0.1/")
            .robots(false)
            .politenessDelay(Duration.ZERO)
            .maxPages(CrawlConfig.MAX_CONCURRENCY)
            .build();

    ctx.err().println("duocrawl: computing the site's ground truth (" + site.describe() + ")");
    long[] depths = depthHistogram(spec, base);
    long reachable = java.util.Arrays.stream(depths).sum();
    Map<Integer, Limits> limits = new HashMap<>();
    for (int c : concurrencies) {
      long budget = pagesPerRun(c, latency, reachable);
      OptionalDouble little =
          latency.isZero()
              ? OptionalDouble.empty()
              : OptionalDouble.of(c * 1e9 / latency.toNanos());
      limits.put(
          c, new Limits(little, BfsBound.pagesPerSecond(depths, c, budget, latency), budget));
      if (budget < STEADY_STATE_FACTOR * c) {
        ctx.err()
            .printf(
                java.util.Locale.ROOT,
                "duocrawl: warning: at C = %,d a run has only %,d pages, too few for %,d requests to"
                    + " stay in flight; raise --pages (and --max-pages-per-run)%n",
                c,
                budget,
                c);
      }
    }

    Path outDir = compare.outDir != null ? compare.outDir : CompareOptions.defaultOutDir("bench");
    compare.outDir = outDir;
    Path work = Files.createTempDirectory("duocrawl-bench");
    FixtureProcess server = null;
    FixtureSite inProcessSite = null;
    try {
      String seed;
      Supplier<Optional<Duration>> serverCpu;
      if (compare.inProcess) {
        inProcessSite = FixtureSite.start(spec);
        seed = inProcessSite.rootUrl().toString();
        serverCpu = Optional::empty;
      } else {
        FixtureProcess started =
            FixtureProcess.start(
                site.args(), work.resolve("fixture-stderr.txt"), Duration.ofSeconds(60));
        server = started;
        ctx.interrupts().onInterrupt(started::close);
        seed = started.url().toString();
        serverCpu = started::cpuTime;
      }
      ctx.err().println("duocrawl: fixture site at " + seed + " (" + site.describe() + ")");

      Map<String, String> setup = new LinkedHashMap<>();
      setup.put(
          "site",
          site.describe()
              + "; "
              + String.format(java.util.Locale.ROOT, "%,d", reachable)
              + " URLs reachable from the root");
      setup.put(
          "crawl",
          "robots off, per-host concurrency = C, no delay, page budget per run as shown per C");
      setup.put(
          "server",
          compare.inProcess
              ? "in this JVM (--in-process)"
              : "its own JVM, " + site.serverThreads + " Jetty threads");
      setup.putAll(compare.machineSetup());
      setup.put("warm-up", compare.describeWarmup(warmup));
      String first = seed;
      int maxC = concurrencies.get(concurrencies.size() - 1);
      CompareRunner.Plan plan =
          new CompareRunner.Plan(
              "duocrawl bench: "
                  + String.join(" vs ", engines)
                  + ", latency "
                  + site.latency.text(),
              setup,
              engines,
              concurrencies,
              compare.repeat,
              warmup,
              compare.inProcess,
              warmup ? compare.jvmWarmup : Duration.ZERO,
              c -> config(base, first, c, limits.get(c).pagesPerRun()),
              config(base, first, Math.min(maxC, 256), Math.min(reachable, WARMUP_PAGES)),
              limits);
      Comparison result =
          CompareRunner.run(
              plan, compare.runner(work, serverCpu, ctx.interrupts()), ctx.err(), ctx.interrupts());
      int code = compare.output(result, ctx);
      return ctx.interrupts().interrupted() ? ExitCode.INTERRUPTED : code;
    } finally {
      if (server != null) {
        server.close();
      }
      if (inProcessSite != null) {
        inProcessSite.close();
      }
      CompareCommand.deleteTree(work);
    }
  }

  static CrawlConfig config(CrawlConfig base, String seed, int concurrency, long maxPages) {
    return base.toBuilder()
        .seeds(List.of(seed))
        .concurrency(concurrency)
        .perHostConcurrency(concurrency)
        .maxPages((int) Math.min(Integer.MAX_VALUE, maxPages))
        .build();
  }

  /** The default page budget at concurrency {@code c}; see {@link #maxPagesPerRun}. */
  long pagesPerRun(int c, Duration latency, long reachable) {
    if (maxPagesPerRun != null) {
      return Math.min(maxPagesPerRun, reachable);
    }
    long target =
        latency.isZero()
            ? MAX_PAGES_PER_RUN
            : Math.min(
                MAX_PAGES_PER_RUN,
                Math.max(
                    MIN_PAGES_PER_RUN,
                    (long) Math.ceil(c * (double) TARGET_RUN.toNanos() / latency.toNanos())));
    // A run must hold several times C pages, or it never has C requests in flight for long.
    return Math.min(reachable, Math.max(STEADY_STATE_FACTOR * c, target));
  }

  /**
   * Pages at each depth from the root, from the fixture's ground truth for this crawl config. The
   * site is started in this JVM for the computation only and closed at once.
   */
  static long[] depthHistogram(SiteSpec spec, CrawlConfig config) {
    try (FixtureSite probe = FixtureSite.start(spec.toBuilder().port(0).build())) {
      GroundTruth truth =
          probe.groundTruth(
              GroundTruth.Query.builder()
                  .maxDepth(config.maxDepth())
                  .robotsEnabled(config.robots())
                  .maxRedirects(config.maxRedirects())
                  .maxRetries(config.retry().maxRetries())
                  .maxBodyBytes(config.maxBodyBytes())
                  .requestTimeout(config.requestTimeout())
                  .build());
      int deepest = truth.depths().values().stream().mapToInt(Integer::intValue).max().orElse(0);
      long[] histogram = new long[deepest + 1];
      truth.depths().values().forEach(d -> histogram[d]++);
      return histogram;
    }
  }
}
