package io.duocrawl.reactive.bench;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.reactive.ReactiveCrawler;
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
import java.util.concurrent.TimeUnit;

/**
 * Whole-crawl benchmark of the reactive engine (a command, not a test): starts {@link BenchServer}
 * in a child JVM, warms up, then crawls it at each latency and concurrency, and prints one Markdown
 * row per run: pages/s, the Little's-law limit N / latency, their ratio, peak threads, peak RSS,
 * CPU per page (crawler and server apart) and whether the two cores were saturated.
 *
 * <p>Each run is bounded by {@code maxPages}, sized from a warm-up measurement so a run takes about
 * {@code --seconds}. Options (all optional): {@code --latencies 100,0 --concurrency
 * 16,64,256,1024,4096,10000 --seconds 12 --site-pages 400000 --links 10 --page-bytes 8192 --warmups
 * 4}.
 *
 * <p>Run: {@code ./mvnw -q -pl crawler-reactive -am -Pbench process-test-classes} (see
 * docs/benchmarks-reactive.md).
 */
public final class ReactiveBench {
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private ReactiveBench() {}

  public static void main(String[] args) throws Exception {
    List<Integer> latencies = ints(option(args, "--latencies", "100,0"));
    List<Integer> concurrencies = ints(option(args, "--concurrency", "16,64,256,1024,4096,10000"));
    int seconds = Integer.parseInt(option(args, "--seconds", "12"));
    int sitePages = Integer.parseInt(option(args, "--site-pages", "400000"));
    int links = Integer.parseInt(option(args, "--links", "10"));
    int pageBytes = Integer.parseInt(option(args, "--page-bytes", "8192"));
    int warmups = Integer.parseInt(option(args, "--warmups", "4"));
    String serverKind = option(args, "--server", "netty");

    System.out.printf(
        Locale.ROOT,
        "# reactive bench: %d cores, java %s, max open files %s, %s site %d pages x %d links x %d B%n",
        CORES,
        Runtime.version(),
        maxOpenFiles(),
        serverKind,
        sitePages,
        links,
        pageBytes);
    ReactiveCrawler crawler = ReactiveCrawler.create();
    double cpuRate = 0;
    boolean header = false;
    // Warm-up at latency 0: JIT the crawler, and measure what the machine can do (which sizes
    // the runs). The measured runs' server JVMs get their own short warm-up below.
    Process warmServer = startServer(serverKind, sitePages, links, pageBytes, 0);
    try {
      String seed = readSeed(warmServer);
      for (int i = 0; i < warmups; i++) {
        CrawlReport warm = crawl(crawler, seed, 64, 30_000);
        cpuRate = Math.max(cpuRate, warm.pagesPerSecond());
        System.out.printf(
            Locale.ROOT, "# warm-up %d: %.0f pages/s%n", i + 1, warm.pagesPerSecond());
      }
    } finally {
      stop(warmServer);
    }
    for (int latency : latencies) {
      Process server = startServer(serverKind, sitePages, links, pageBytes, latency);
      try {
        String seed = readSeed(server);
        // A fresh server JVM: one short unmeasured crawl to JIT it.
        crawl(crawler, seed, 64, latency == 0 ? 20_000 : 3_000);
        if (!header) {
          header = true;
          System.out.println();
          System.out.println(
              "| latency | N | pages | s | pages/s | N/L | ratio | peak in flight | peak threads "
                  + "| peak RSS MB | crawler CPU ms/page | server CPU ms/page | CPU busy "
                  + "| load avg |");
          System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        }
        for (int n : concurrencies) {
          double little = latency == 0 ? Double.POSITIVE_INFINITY : n * 1000.0 / latency;
          double expected = Math.min(little, cpuRate);
          int maxPages = (int) Math.min(sitePages, Math.max(2_000, expected * seconds));
          String load = loadAverage();
          Duration serverCpuBefore = cpu(server);
          CrawlReport report = crawl(crawler, seed, n, maxPages);
          Duration serverCpu = cpu(server).minus(serverCpuBefore);
          double wall = report.duration().toNanos() / 1e9;
          double busy = (report.cpuTime().toNanos() + serverCpu.toNanos()) / 1e9 / (wall * CORES);
          System.out.printf(
              Locale.ROOT,
              "| %d ms | %d | %d | %.1f | %.0f | %s | %s | %d | %d | %d | %.3f | %.3f | %.0f%% | %s |%n",
              latency,
              n,
              report.fetched(),
              wall,
              report.pagesPerSecond(),
              latency == 0 ? "-" : String.format(Locale.ROOT, "%.0f", little),
              latency == 0
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f", report.pagesPerSecond() / little),
              report.peakInFlight(),
              report.peakThreads(),
              report.peakRssBytes() / (1024 * 1024),
              report.cpuTime().toNanos() / 1e6 / Math.max(1, report.fetched()),
              serverCpu.toNanos() / 1e6 / Math.max(1, report.fetched()),
              busy * 100,
              load);
        }
      } finally {
        stop(server);
      }
    }
  }

  private static void stop(Process server) throws IOException, InterruptedException {
    server.getOutputStream().close();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }

  private static CrawlReport crawl(ReactiveCrawler crawler, String seed, int n, int max) {
    CrawlConfig config =
        CrawlConfig.builder()
            .seed(seed)
            .maxPages(max)
            .maxDepth(1_000)
            .concurrency(n)
            .perHostConcurrency(n)
            .politenessDelay(Duration.ZERO)
            .robots(false)
            .build();
    return crawler.crawl(config, PageListener.NONE);
  }

  private static Process startServer(String kind, int pages, int links, int bytes, int latency)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        List.of(
            java,
            "-Xmx1g",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            BenchServer.class.getName(),
            kind,
            String.valueOf(pages),
            String.valueOf(links),
            String.valueOf(bytes),
            String.valueOf(latency));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String readSeed(Process server) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("SEED ")) {
        return line.substring(5).trim();
      }
    }
    throw new IllegalStateException("bench server exited before printing its seed");
  }

  private static Duration cpu(Process process) {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * The 1-minute load average when the run started: the machine is shared, and a load above the
   * core count means other processes took CPU from the crawler and the server.
   */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String maxOpenFiles() {
    try {
      return Files.readAllLines(Path.of("/proc/self/limits")).stream()
          .filter(line -> line.startsWith("Max open files"))
          .map(line -> line.replaceAll("\\s+", " ").replace("Max open files ", "").trim())
          .findFirst()
          .orElse("?");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  private static List<Integer> ints(String csv) {
    List<Integer> values = new ArrayList<>();
    Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).forEach(values::add);
    return values;
  }
}
