package io.duocrawl.threads.bench;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.threads.BenchEngines;
import io.duocrawl.threads.ThreadsCrawler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whole-crawl benchmark of engines {@code threads} and {@code virtual} on a fixture site: not a
 * test, a command (see {@code docs/benchmarks-threads.md}). Every run is a fresh JVM crawling a
 * fixture server that runs in a JVM of its own, so the crawler's CPU time, threads and RSS are its
 * own; both share the machine's cores.
 *
 * <p>For each latency L, engine and concurrency N it prints pages/s, Little's law N ÷ L, the BFS
 * bound (the ideal crawler on the same link graph, see {@link BfsBound}), the ratio of pages/s to
 * the smaller bound, peak platform threads, peak RSS, CPU per page of the crawler's JVM and of the
 * server's, how busy the cores were with the two, and the machine's load average (everything else
 * running on it shows there).
 *
 * <p>Options: {@code --engines threads,virtual[,threads-wakeall,threads-signal]}, {@code
 * --concurrency 16,64,256,1024}, {@code --latencies 0,100} (ms), {@code --pages 60000}, {@code
 * --seconds 12} (the target length of a run, which sets its maxPages; a run is cancelled at twice
 * that), {@code --jfr} (record {@code jdk.VirtualThreadPinned} events of every run to
 * target/bench/).
 */
public final class ThreadsBench {
  private static final Path OUT = Path.of("target", "bench");

  /** Pages crawled on the latency-0 site before every measured crawl. */
  private static final int WARM_UP_PAGES = 20_000;

  /** A first guess of the fastest rate, to size maxPages so that a run lasts about as asked. */
  private static final double CPU_BOUND_GUESS = 6_000;

  private ThreadsBench() {}

  /** Runs the benchmark, or (with {@code --run}) one measured crawl in this JVM. */
  public static void main(String[] args) throws Exception {
    List<String> argv = new ArrayList<>();
    for (String a : args) {
      // exec:exec hands extra options over as one argument; split it.
      argv.addAll(Arrays.asList(a.trim().split("\\s+")));
    }
    argv.removeIf(String::isEmpty);
    if (!argv.isEmpty() && argv.get(0).equals("--run")) {
      runOne(argv.subList(1, argv.size()));
    } else {
      orchestrate(argv);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One measured run, in its own JVM

  private static void runOne(List<String> a) throws Exception {
    String engine = a.get(0);
    int n = Integer.parseInt(a.get(1));
    String seed = "http://127.0.0.1:" + a.get(2) + "/";
    int maxPages = Integer.parseInt(a.get(3));
    Duration limit = Duration.ofSeconds(Long.parseLong(a.get(4)));
    int perHost = Integer.parseInt(a.get(5));
    String warmSeed = "http://127.0.0.1:" + a.get(6) + "/";
    Crawler crawler = crawler(engine);
    CrawlConfig config =
        CrawlConfig.builder()
            .seed(seed)
            .concurrency(n)
            .perHostConcurrency(perHost)
            .politenessDelay(Duration.ZERO)
            .robots(false)
            .maxDepth(100_000)
            .maxPages(maxPages)
            .build();
    // Warm-up: the same engine and concurrency on the latency-0 site, long enough for the JIT to
    // settle, so that the measured crawl runs compiled code at any latency.
    crawlWithin(
        crawler,
        config.toBuilder().seeds(List.of(warmSeed)).maxPages(WARM_UP_PAGES).build(),
        Duration.ofSeconds(30));
    System.gc();
    // The orchestrator reads the server's CPU time between these two lines.
    System.out.println("START");
    System.out.flush();
    // The JIT may still be compiling: its CPU time is part of the process's, and reported apart.
    long jitBefore = compilerCpuMillis();
    CrawlReport report = crawlWithin(crawler, config, limit.multipliedBy(2));
    long jitMillis = compilerCpuMillis() - jitBefore;
    System.out.printf(
        Locale.ROOT,
        "RESULT %d %d %.3f %.1f %d %d %.4f %b %.4f%n",
        report.fetched(),
        report.pending(),
        report.duration().toNanos() / 1e9,
        report.pagesPerSecond(),
        report.peakThreads(),
        report.peakRssBytes(),
        report.cpuMillisPerPage(),
        report.cancelled(),
        report.fetched() == 0 ? 0.0 : (double) jitMillis / report.fetched());
  }

  /**
   * CPU time of the JIT compiler threads, from {@code /proc/self/task/<tid>/stat} (Linux; 10 ms
   * resolution): the JVM's management beans report compilation wall time only. Run with {@code
   * -XX:-UseDynamicNumberOfCompilerThreads} so that no compiler thread exits with its time.
   */
  private static long compilerCpuMillis() {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (comm.contains("CompilerThre")) {
            // Fields after ") ": state is field 3; utime and stime are fields 14 and 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException | RuntimeException e) {
          // The thread ended while we looked.
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  private static Crawler crawler(String engine) {
    switch (engine) {
      case "threads":
        return ThreadsCrawler.platform();
      case "virtual":
        return ThreadsCrawler.virtual();
      case "threads-wakeall":
        return BenchEngines.threadsWakeAll();
      case "threads-signal":
        return BenchEngines.threadsSignalOnCompletion();
      default:
        throw new IllegalArgumentException("unknown engine " + engine);
    }
  }

  private static CrawlReport crawlWithin(Crawler crawler, CrawlConfig config, Duration limit)
      throws Exception {
    RunningCrawl run = crawler.start(config, PageListener.NONE);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      timer.schedule(run::cancel, limit.toMillis(), TimeUnit.MILLISECONDS);
      return run.completion().get();
    } finally {
      timer.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The orchestrator

  private static void orchestrate(List<String> argv) throws Exception {
    List<String> engines = List.of("threads", "virtual");
    List<Integer> concurrencies = List.of(16, 64, 256, 1024);
    List<Integer> latencies = List.of(0, 100);
    int pages = 60_000;
    long seconds = 12;
    boolean jfr = false;
    int perHost = 0;
    for (int i = 0; i < argv.size(); i++) {
      String opt = argv.get(i);
      switch (opt) {
        case "--engines" -> engines = List.of(argv.get(++i).split(","));
        case "--concurrency" -> concurrencies = ints(argv.get(++i));
        case "--latencies" -> latencies = ints(argv.get(++i)).stream().sorted().toList();
        case "--pages" -> pages = Integer.parseInt(argv.get(++i));
        case "--seconds" -> seconds = Long.parseLong(argv.get(++i));
        case "--jfr" -> jfr = true;
        case "--per-host" -> perHost = Integer.parseInt(argv.get(++i));
        default -> throw new IllegalArgumentException("unknown option " + opt);
      }
    }
    Files.createDirectories(OUT);
    System.out.printf(
        "machine: %d cores, java %s, %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        System.getProperty("os.name"));
    BfsBound graph = new BfsBound();
    System.out.println(
        "| engine | N | L ms | pages | s | pages/s | N÷L | BFS bound | ratio | peak threads |"
            + " peak RSS MB | CPU ms/page | of which JIT | server CPU ms/page | cores busy | load |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    // The latency-0 site records the link graph and warms up every run; it serves throughout.
    try (Server warm = Server.start(pages, 0)) {
      crawlFrom(warm.port, 64, 10_000_000, graph::record);
      System.err.printf("link graph recorded: %d pages%n", graph.pages());
      for (int latency : latencies) {
        try (Server server = latency == 0 ? null : Server.start(pages, latency)) {
          Server target = latency == 0 ? warm : server;
          if (server != null) {
            // The server's own JIT warms up here, not during the first measured run.
            crawlFrom(server.port, 512, 10_000, PageListener.NONE);
          }
          for (String engine : engines) {
            for (int n : concurrencies) {
              int inFlight = perHost > 0 ? Math.min(perHost, n) : n;
              double guess =
                  latency == 0
                      ? CPU_BOUND_GUESS
                      : Math.min(CPU_BOUND_GUESS, inFlight * 1000.0 / latency);
              int maxPages = (int) Math.max(500, Math.min(pages + 1, guess * seconds));
              row(engine, n, inFlight, latency, maxPages, seconds, target, warm, graph, jfr);
            }
          }
        }
      }
    }
  }

  /** A crawl from this JVM: to record the link graph, or to warm a server up. */
  private static void crawlFrom(int port, int n, int maxPages, PageListener listener) {
    CrawlConfig config =
        CrawlConfig.builder()
            .seed("http://127.0.0.1:" + port + "/")
            .concurrency(n)
            .perHostConcurrency(n)
            .robots(false)
            .maxDepth(100_000)
            .maxPages(maxPages)
            .build();
    ThreadsCrawler.platform().crawl(config, listener);
  }

  private static void row(
      String engine,
      int n,
      int perHost,
      int latency,
      int maxPages,
      long seconds,
      Server server,
      Server warm,
      BfsBound graph,
      boolean jfr)
      throws Exception {
    List<String> command = new ArrayList<>(javaCommand());
    if (jfr) {
      command.add(
          "-XX:StartFlightRecording=filename="
              + OUT.resolve("pinned-" + engine + "-" + n + "-" + latency + ".jfr")
              + ",settings=profile,jdk.VirtualThreadPinned#threshold=0ms");
    }
    command.addAll(
        List.of(
            ThreadsBench.class.getName(),
            "--run",
            engine,
            Integer.toString(n),
            Integer.toString(server.port),
            Integer.toString(maxPages),
            Long.toString(seconds),
            Integer.toString(perHost),
            Integer.toString(warm.port)));
    long serverCpuBefore = 0;
    long serverCpuAfter = 0;
    Process run =
        new ProcessBuilder(command)
            .redirectError(OUT.resolve("run-" + engine + "-" + n + "-" + latency + ".log").toFile())
            .start();
    String result = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.equals("START")) {
          serverCpuBefore = server.cpuNanos();
        } else if (line.startsWith("RESULT ")) {
          serverCpuAfter = server.cpuNanos();
          result = line;
        }
      }
    } finally {
      if (!run.waitFor(2 * seconds + 60, TimeUnit.SECONDS)) {
        run.destroyForcibly();
      }
    }
    long serverCpu = serverCpuAfter - serverCpuBefore;
    if (result == null) {
      System.out.printf("| %s | %d | %d | run failed, see %s |%n", engine, n, latency, OUT);
      return;
    }
    String[] f = result.split(" ");
    long fetched = Long.parseLong(f[1]);
    double secs = Double.parseDouble(f[3]);
    double rate = Double.parseDouble(f[4]);
    int peakThreads = Integer.parseInt(f[5]);
    long rss = Long.parseLong(f[6]);
    double cpuMs = Double.parseDouble(f[7]);
    // At most perHost requests are in flight: the site is one host.
    double little = latency == 0 ? Double.POSITIVE_INFINITY : perHost * 1000.0 / latency;
    double bfs = graph.pagesPerSecond(perHost, latency, maxPages);
    double bound = Math.min(little, bfs);
    double serverMs = fetched == 0 ? 0 : serverCpu / 1e6 / fetched;
    double busy =
        (cpuMs + serverMs) * fetched / 1000.0 / secs / Runtime.getRuntime().availableProcessors();
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %d | %d%s | %.1f | %.0f | %s | %s | %s | %d | %d | %.3f | %.3f | %.3f | %.0f%% | %s |%n",
        engine,
        perHost == n ? Integer.toString(n) : n + " (" + perHost + "/host)",
        latency,
        fetched,
        Boolean.parseBoolean(f[8]) ? " (stopped)" : "",
        secs,
        rate,
        finite(little),
        finite(bfs),
        Double.isInfinite(bound) ? "CPU-bound" : String.format(Locale.ROOT, "%.2f", rate / bound),
        peakThreads,
        rss / (1024 * 1024),
        cpuMs,
        Double.parseDouble(f[9]),
        serverMs,
        busy * 100,
        loadAverage());
  }

  /**
   * The machine's 1-minute load average after the run: other processes on the same cores make a run
   * slower than the engine is, and this says how much else was running.
   */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String finite(double v) {
    return Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.0f", v);
  }

  private static List<Integer> ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  /** This JVM's java binary and classpath, with a fixed heap cap, for child JVMs. */
  private static List<String> javaCommand() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(
        java,
        "-Xmx2g",
        "-XX:-UseDynamicNumberOfCompilerThreads",
        "-cp",
        System.getProperty("java.class.path"));
  }

  /** The fixture server child process. */
  private static final class Server implements AutoCloseable {
    final Process process;
    final int port;

    private Server(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Server start(int pages, int latency) throws IOException {
      List<String> command = new ArrayList<>(javaCommand());
      command.addAll(
          List.of(BenchSite.class.getName(), Integer.toString(pages), Integer.toString(latency)));
      Process p =
          new ProcessBuilder(command)
              .redirectError(OUT.resolve("server-" + latency + ".log").toFile())
              .start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("PORT ")) {
            return new Server(p, Integer.parseInt(line.substring(5).trim()));
          }
        }
      } catch (IOException | RuntimeException e) {
        p.destroyForcibly();
        throw e;
      }
      p.destroyForcibly();
      throw new IllegalStateException("the fixture server did not start; see " + OUT);
    }

    long cpuNanos() {
      return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    @Override
    public void close() {
      try {
        process.getOutputStream().close(); // the server exits when its stdin closes
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
