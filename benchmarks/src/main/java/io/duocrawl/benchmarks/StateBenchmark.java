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
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * from a copy of the state taken as kill -9 would leave it (a journal of N outcomes to replay);
 * then the state's crawl again with the journal rotated every 4 MiB and folded while it runs, with
 * the longest page completion of each run (where a rotation would stall an engine thread).
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

  private static final String ROTATE_PROPERTY = "duocrawl.state.rotateBytes";

  /** The longest {@code session.complete} call of the last {@link #crawl}, in nanoseconds. */
  private static long longestComplete;

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
    long memoryLongest = longestComplete;

    Path state = base.resolve("state");
    double stateMicros;
    long stateLongest;
    try (CrawlState s = CrawlState.open(state, config)) {
      stateMicros = crawl(s.sessions(), config, cpu);
      stateLongest = longestComplete;
      // What kill -9 would leave now: the journal written through, no final snapshot.
      Path killed = base.resolve("killed");
      copy(state, killed);
      long bytes = size(killed);
      long start = System.nanoTime();
      long startCpu = cpu.getCurrentThreadCpuTime();
      try (CrawlState resumed = CrawlState.open(killed, config)) {
        // Resumed = the state loaded and a session open over it, ready to hand out requests; the
        // fold of the old files into a snapshot follows on the state's own thread.
        resumed.sessions().open("bench", config, PageListener.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        print(
            "  CPU time of that resume: %.2f s", (cpu.getCurrentThreadCpuTime() - startCpu) / 1e9);
        print(
            "resume of %,d seen URLs (snapshot + journal replay + session open): %.2f s",
            resumed.doneBefore() + resumed.queuedBefore(), seconds);
      }
      print("state on disk before compaction: %.1f bytes per seen URL", (double) bytes / pages);
    }
    print("state on disk after compaction:  %.1f bytes per seen URL", (double) size(state) / pages);

    // The same crawl with the journal rotated every 4 MiB (or the snapshot's size, if larger) and
    // folded into snapshots on the compactor's thread while it runs: the crawling thread's CPU,
    // and the longest page completion, which is where a rotation would stall an engine.
    Path rotated = base.resolve("rotated");
    String before = System.getProperty(ROTATE_PROPERTY);
    System.setProperty(ROTATE_PROPERTY, String.valueOf(4 << 20));
    double rotatedMicros;
    long rotatedLongest;
    try (CrawlState s = CrawlState.open(rotated, config)) {
      rotatedMicros = crawl(s.sessions(), config, cpu);
      rotatedLongest = longestComplete;
    } finally {
      if (before == null) {
        System.clearProperty(ROTATE_PROPERTY);
      } else {
        System.setProperty(ROTATE_PROPERTY, before);
      }
    }

    print("CPU per page, in-memory frontier: %.2f us", memoryMicros);
    print("CPU per page, with CrawlState:    %.2f us", stateMicros);
    print("journaling cost per page:         %.2f us", stateMicros - memoryMicros);
    print(
        "CPU per page, CrawlState rotated every 4 MiB: %.2f us (%d journal rotations while it ran)",
        rotatedMicros, snapshotGeneration(rotated) - 2);
    print(
        "longest page completion: in-memory %.2f ms, CrawlState %.2f ms, rotated %.2f ms",
        memoryLongest / 1e6, stateLongest / 1e6, rotatedLongest / 1e6);
    if (args.length <= 1) {
      delete(base);
    }
  }

  /** Crawls the generated site on this thread; returns the thread's CPU microseconds per page. */
  private static double crawl(SessionOpener sessions, CrawlConfig config, ThreadMXBean cpu) {
    long start = cpu.getCurrentThreadCpuTime();
    CrawlSession session = sessions.open("bench", config, PageListener.NONE);
    int max = config.maxPages();
    long longest = 0;
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
      long before = System.nanoTime();
      session.complete(request, FetchResponse.of(200, HTML, body, body.length));
      longest = Math.max(longest, System.nanoTime() - before);
    }
    longestComplete = longest;
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
          Path copy = to.resolve(f.getFileName());
          Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
          // On disk before the resume is timed, as after a kill long ago or a reboot: otherwise
          // the resume's own fsyncs would also flush the copy's dirty pages.
          try (FileChannel c = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            c.force(true);
          }
        }
      }
    }
  }

  private static long snapshotGeneration(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.matches("snapshot-\\d{8}\\.dcs"))
          .mapToLong(name -> Long.parseLong(name.substring(9, 17)))
          .max()
          .orElse(0);
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
