package io.duocrawl.cli;

import io.duocrawl.cli.Comparison.Limits;
import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.ScopeMode;
import io.duocrawl.fixtures.GroundTruth;
import io.duocrawl.fixtures.RunningSite;
import io.duocrawl.fixtures.ServerKind;
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
          + " Robots off, per-host concurrency = C, no politeness delay. In bench the server is"
          + " netty unless --server wiremock, and unless given, --pages grows to twice the"
          + " largest run and --origins to one per 20,000 of the largest C."
    })
final class BenchCommand implements Callable<Integer> {
  /** A measured run's default length at the Little's-law limit C ÷ L. */
  static final Duration RUN_LENGTH = Duration.ofSeconds(2);

  /** The run length with {@code --quick}. */
  static final Duration QUICK_RUN_LENGTH = Duration.ofSeconds(1);

  /** Default measured runs per cell. */
  static final int REPEAT = 3;

  /**
   * A run's page budget is at least this many times C, so that C requests stay in flight long after
   * the ramp-up (the site's first L's hold fewer than C URLs).
   */
  static final long STEADY_STATE_FACTOR = 20;

  /** The factor with {@code --quick}. */
  static final long QUICK_STEADY_STATE_FACTOR = 10;

  /** The smallest page budget. */
  static final long MIN_PAGES_PER_RUN = 200;

  /**
   * The page budget beyond which only holding C in flight matters (claim 3's sweep): a run then has
   * at most max(this, 3 × C) pages, enough for C to stay in flight for two rounds of L after the
   * ramp.
   */
  static final long SWEEP_PAGES_PER_RUN = 100_000;

  /** At latency 0 a run has this many pages at least (no C ÷ L to size it by). */
  static final long CPU_BOUND_PAGES_PER_RUN = 20_000;

  /**
   * Pages of the throw-away warm-up crawl, run at C = min(largest C, 256): it warms the server's
   * JIT; a cold crawl JVM starting a thousand threads would only slow it down.
   */
  static final long WARMUP_PAGES = 1_000;

  /**
   * The site holds at least this many times the largest page budget (unless --pages says
   * otherwise), so the frontier never runs dry during a measured run: the BFS bound of the budget
   * is then the ramp-up's only, not the end of the site.
   */
  static final long SITE_FACTOR = 2;

  /** The server of {@code bench} when {@code --server} is not given: the light one. */
  static final ServerKind DEFAULT_SERVER = ServerKind.NETTY;

  /**
   * Connections per origin the default {@code --origins} allows: one (source, destination) address
   * pair has about 28,000 ephemeral ports, and closed connections linger in TIME_WAIT.
   */
  static final int CONNECTIONS_PER_ORIGIN = 20_000;

  @ParentCommand Main main;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

  @Mixin CompareOptions compare;

  @Mixin FixtureCommand.SiteOptions site;

  @Option(
      names = "--max-pages-per-run",
      paramLabel = "N",
      description =
          "Page budget of each crawl. Default: --run-length at the Little's-law limit C/L, but"
              + " at least 20 x C (10 x C with --quick) and 200; at most max(100,000, 3 x C);"
              + " 20,000 at latency 0.")
  Long maxPagesPerRun;

  @Option(
      names = "--run-length",
      paramLabel = "DURATION",
      converter = Units.DurationConverter.class,
      description =
          "How long a measured run lasts at the Little's-law limit C/L, which sets its page"
              + " budget. Default: 2s (1s with --quick); 10s for figures to publish.")
  Duration runLength;

  @Option(
      names = "--quick",
      description =
          "A first look: one run per cell (unless --repeat), runs of 1s and 10 x C pages.")
  boolean quick;

  @Option(
      names = "--pin",
      description =
          "Pin the fixture server to CPU 0 and every crawl JVM to the other CPUs (taskset, from"
              + " util-linux). Off by default.")
  boolean pin;

  @Option(
      names = "--warmup",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Warm up first (default): one throw-away crawl (warms the server), and each measured"
              + " JVM crawls --jvm-warmup before measuring. --no-warmup skips both.")
  boolean warmup;

  /** The measured run length these options ask for. */
  Duration runLength() {
    if (runLength != null) {
      if (runLength.isZero() || runLength.isNegative()) {
        throw new UsageException("--run-length must be > 0, was " + Units.format(runLength));
      }
      return runLength;
    }
    return quick ? QUICK_RUN_LENGTH : RUN_LENGTH;
  }

  /** Repetitions: --repeat, else 3 (1 with --quick). */
  int repeat() {
    return compare.repeat(quick ? 1 : REPEAT);
  }

  long steadyStateFactor() {
    return quick ? QUICK_STEADY_STATE_FACTOR : STEADY_STATE_FACTOR;
  }

  @Override
  public Integer call() throws IOException {
    Main.Context ctx = main.context();
    List<String> engines = compare.engines();
    List<Integer> concurrencies = compare.concurrencies();
    compare.validate();
    if (maxPagesPerRun != null) {
      CompareOptions.requirePositive("--max-pages-per-run", maxPagesPerRun);
    }
    Duration runLength = runLength();
    int repeat = repeat();
    if (pin && compare.inProcess) {
      throw new UsageException("--pin pins JVMs: it cannot be used with --in-process");
    }
    Pinning pinning = pin ? Pinning.find(System.getenv("PATH"), Machine.cores()) : null;
    Duration latency = site.latency.mean();
    int maxC = concurrencies.get(concurrencies.size() - 1);
    if (!commandSpec.commandLine().getParseResult().hasMatchedOption("--pages")) {
      // Big enough that the largest run never empties the frontier.
      long wanted = SITE_FACTOR * pagesPerRun(maxC, latency, Long.MAX_VALUE);
      site.pages = (int) Math.min(Integer.MAX_VALUE, Math.max(site.pages, wanted));
    }
    if (!commandSpec.commandLine().getParseResult().hasMatchedOption("--origins")) {
      site.origins = origins(maxC);
    }
    ServerKind serverKind = site.server(DEFAULT_SERVER);
    SiteSpec spec = site.spec().build();
    CrawlConfig base =
        CrawlConfig.builder()
            .seed("http://127.0.0.1/")
            // Several origins are several hosts (127.0.0.1 .. 127.0.0.n) of one site: the crawl
            // must follow links across them. The spec refuses sections with origins, so no
            // off-site link exists that ANY would wrongly follow.
            .scope(site.origins > 1 ? ScopeMode.ANY : ScopeMode.HOST)
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
      if (budget * SITE_FACTOR > reachable && maxPagesPerRun == null) {
        ctx.err()
            .printf(
                java.util.Locale.ROOT,
                "duocrawl: warning: at C = %,d a run takes %,d of the site's %,d pages: the"
                    + " frontier may run dry before the run ends; raise --pages%n",
                c,
                budget,
                reachable);
      }
      OptionalDouble little =
          latency.isZero()
              ? OptionalDouble.empty()
              : OptionalDouble.of(c * 1e9 / latency.toNanos());
      limits.put(
          c, new Limits(little, BfsBound.pagesPerSecond(depths, c, budget, latency), budget));
      if (!FailureMode.fileLimitHint(c + 1_000).isEmpty()) {
        ctx.err()
            .printf(
                java.util.Locale.ROOT,
                "duocrawl: warning: at C = %,d each JVM needs about %,d open files; the limit is %s"
                    + " (ulimit -n): expect this C to fail%n",
                c,
                c + 1_000,
                Machine.text(Machine.limit("Max open files")));
      }
      if (budget < steadyStateFactor() * c) {
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
    RunningSite inProcessSite = null;
    try {
      String seed;
      Supplier<Optional<Duration>> serverCpu;
      if (compare.inProcess) {
        inProcessSite = serverKind.start(spec);
        seed = inProcessSite.rootUrl().toString();
        serverCpu = Optional::empty;
      } else {
        FixtureProcess started =
            FixtureProcess.start(
                site.args(DEFAULT_SERVER),
                work.resolve("fixture-stderr.txt"),
                Duration.ofSeconds(60));
        server = started;
        ctx.interrupts().onInterrupt(started::close);
        seed = started.url().toString();
        serverCpu = started::cpuTime;
        if (pinning != null) {
          pinning.pinServer(serverPid());
        }
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
          "runs",
          String.format(
              java.util.Locale.ROOT,
              "%d per cell, engine order rotated; each run about %s at C/L, at least %d x C pages;"
                  + " the site holds %d x the largest run",
              repeat,
              Units.format(runLength),
              steadyStateFactor(),
              SITE_FACTOR));
      setup.put(
          "pinning",
          pinning != null
              ? pinning.describe()
              : "none (--pin puts the server on CPU 0 and the crawls on the others)");
      String serverName = FixtureCommand.serverName(serverKind);
      setup.put(
          "server",
          serverName
              + (serverKind == ServerKind.WIREMOCK
                  ? " (" + site.serverThreads + " Jetty threads)"
                  : " (light, non-blocking)")
              + (compare.inProcess ? ", in this JVM (--in-process)" : ", its own JVM")
              + (site.origins > 1
                  ? ", " + site.origins + " origins (127.0.0.1 .. 127.0.0." + site.origins + ")"
                  : ""));
      setup.putAll(compare.machineSetup());
      setup.put("warm-up", compare.describeWarmup(warmup));
      String first = seed;
      CompareRunner.Plan plan =
          new CompareRunner.Plan(
              "duocrawl bench: "
                  + String.join(" vs ", engines)
                  + ", latency "
                  + site.latency.text(),
              setup,
              engines,
              concurrencies,
              repeat,
              warmup,
              compare.inProcess,
              warmup ? compare.jvmWarmup : Duration.ZERO,
              c -> config(base, first, c, limits.get(c).pagesPerRun()),
              config(base, first, Math.min(maxC, 256), Math.min(reachable, WARMUP_PAGES)),
              limits);
      Comparison result =
          CompareRunner.run(
              plan,
              compare.runner(
                  pinning == null ? List.of() : pinning.crawlPrefix(),
                  work,
                  serverCpu,
                  ctx.interrupts()),
              ctx.err(),
              ctx.interrupts());
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

  /** The page budget at concurrency {@code c}; see {@link #maxPagesPerRun}. */
  long pagesPerRun(int c, Duration latency, long reachable) {
    if (maxPagesPerRun != null) {
      return Math.min(maxPagesPerRun, reachable);
    }
    long cap = Math.max(SWEEP_PAGES_PER_RUN, 3L * c);
    long target =
        latency.isZero()
            ? CPU_BOUND_PAGES_PER_RUN
            : (long) Math.ceil(c * (double) runLength().toNanos() / latency.toNanos());
    long budget =
        Math.min(cap, Math.max(MIN_PAGES_PER_RUN, Math.max(steadyStateFactor() * c, target)));
    return Math.min(reachable, budget);
  }

  /** The default --origins for a largest concurrency: one per 20,000 connections. */
  static int origins(int maxConcurrency) {
    int n = (maxConcurrency + CONNECTIONS_PER_ORIGIN - 1) / CONNECTIONS_PER_ORIGIN;
    return Math.max(1, Math.min(SiteSpec.MAX_ORIGINS, n));
  }

  /**
   * The fixture server's process id: the one child of this JVM right after it started (no crawl has
   * started yet).
   */
  private static long serverPid() {
    List<ProcessHandle> children = ProcessHandle.current().children().toList();
    if (children.size() != 1) {
      throw new IllegalStateException(
          "--pin: expected one child process (the fixture server), found " + children.size());
    }
    return children.get(0).pid();
  }

  /**
   * Pages at each depth from the root, from the fixture's ground truth for this crawl config. The
   * site is started in this JVM for the computation only and closed at once.
   */
  static long[] depthHistogram(SiteSpec spec, CrawlConfig config) {
    try (RunningSite probe = ServerKind.NETTY.start(spec.toBuilder().port(0).build())) {
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
