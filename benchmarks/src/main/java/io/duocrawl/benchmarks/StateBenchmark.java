package io.duocrawl.benchmarks;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchRequest;
import io.duocrawl.common.session.FetchResponse;
import io.duocrawl.common.session.HeaderLookup;
import io.duocrawl.common.session.SessionOpener;
import io.duocrawl.common.state.CrawlState;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What durable state costs, as a main class (a crawl of a million pages is no JMH method): one
 * thread crawls a generated site of N pages (page i links to 2i+1 and 2i+2; tiny bodies, so the
 * parse is small and the state's share is as large as it gets) through a session, once over the
 * in-memory frontier and once over a {@link CrawlState}; it prints the CPU time per page of each,
 * their difference (the journaling cost), the bytes on disk per seen URL, and the time to resume
 * from a copy of the state taken as kill -9 would leave it (a journal of N outcomes to replay).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.duocrawl.benchmarks.StateBenchmark [pages] [dir]
 * </pre>
 *
 * Defaults: 1,000,000 pages, a temporary directory (deleted afterwards).
 */
public final class StateBenchmark {
  private static final String ROOT = "http://site.test/";
  private static final HeaderLookup HTML =
      name -> name.equalsIgnoreCase("Content-Type") ? Optional.of("text/html") : Optional.empty();
  private static final byte[] ROBOTS = "User-agent: *\nAllow: /\n".getBytes(StandardCharsets.UTF_8);

  private StateBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code [pages] [dir]}
   * @throws IOException if the state directory cannot be written
   */
  public static void main(String[] args) throws IOException {
    int pages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path base = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("duocrawl-state");
    CrawlConfig config =
        CrawlConfig.builder().seed(ROOT).maxPages(pages).maxDepth(64).concurrency(1).build();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();

    // Warm-up, so the JIT has compiled both paths before they are measured.
    crawl(
        SessionOpener.inMemory(),
        config.toBuilder().maxPages(Math.min(pages, 50_000)).build(),
        cpu);
    double memoryMicros = crawl(SessionOpener.inMemory(), config, cpu);

    Path state = base.resolve("state");
    double stateMicros;
    try (CrawlState s = CrawlState.open(state, config)) {
      stateMicros = crawl(s.sessions(), config, cpu);
      // What kill -9 would leave now: the journal written through, no final snapshot.
      Path killed = base.resolve("killed");
      copy(state, killed);
      long bytes = size(killed);
      long start = System.nanoTime();
      long startCpu = cpu.getCurrentThreadCpuTime();
      try (CrawlState resumed = CrawlState.open(killed, config)) {
        double seconds = (System.nanoTime() - start) / 1e9;
        print(
            "  CPU time of that resume: %.2f s", (cpu.getCurrentThreadCpuTime() - startCpu) / 1e9);
        print(
            "resume of %,d seen URLs (snapshot + journal replay + new snapshot): %.2f s",
            resumed.doneBefore() + resumed.queuedBefore(), seconds);
      }
      print("state on disk before compaction: %.1f bytes per seen URL", (double) bytes / pages);
    }
    print("state on disk after compaction:  %.1f bytes per seen URL", (double) size(state) / pages);
    print("CPU per page, in-memory frontier: %.2f us", memoryMicros);
    print("CPU per page, with CrawlState:    %.2f us", stateMicros);
    print("journaling cost per page:         %.2f us", stateMicros - memoryMicros);
    if (args.length <= 1) {
      delete(base);
    }
  }

  /** Crawls the generated site on this thread; returns the thread's CPU microseconds per page. */
  private static double crawl(SessionOpener sessions, CrawlConfig config, ThreadMXBean cpu) {
    long start = cpu.getCurrentThreadCpuTime();
    CrawlSession session = sessions.open("bench", config, PageListener.NONE);
    int max = config.maxPages();
    while (!session.isDone()) {
      FetchRequest request = session.next().orElseThrow();
      if (request.kind() == FetchRequest.Kind.ROBOTS) {
        session.complete(request, FetchResponse.of(200, HTML, ROBOTS, ROBOTS.length));
        continue;
      }
      String url = request.url();
      int i = url.equals(ROOT) ? 0 : Integer.parseInt(url, ROOT.length() + 1, url.length(), 10);
      StringBuilder html = new StringBuilder(64).append("<html><body>");
      for (int child = 2 * i + 1; child <= 2 * i + 2 && child < max; child++) {
        html.append("<a href=\"/p").append(child).append("\">x</a>");
      }
      byte[] body = html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
      session.complete(request, FetchResponse.of(200, HTML, body, body.length));
    }
    CrawlReport report = session.finish();
    return (cpu.getCurrentThreadCpuTime() - start) / 1e3 / report.fetched();
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!f.getFileName().toString().equals("lock")) {
          Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
