package io.duocrawl.benchmarks;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The in-memory frontier's hot paths: one fresh URL offered, polled and completed (a crawl's steady
 * state with a backlog), a duplicate offered, and the same cycle from two threads sharing one
 * frontier (what the single lock costs under contention). Politeness delay 0, so the numbers are
 * the frontier's own cost, not waiting. Figures in {@code docs/benchmarks-frontier.md}.
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar FrontierBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s
 * java -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar \
 *     'io.duocrawl.benchmarks.FrontierBenchmark$SeenUrlMemory'
 * java -cp benchmarks/target/benchmarks.jar 'io.duocrawl.benchmarks.FrontierBenchmark$CpuTimePerOp'
 * java -Xmx3g -cp benchmarks/target/benchmarks.jar \
 *     'io.duocrawl.benchmarks.FrontierBenchmark$GrowthPause'
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrontierBenchmark {

  /** Requests kept queued per host, so polls walk a real round-robin rather than one queue slot. */
  static final int BACKLOG_PER_HOST = 4;

  static Frontier newFrontier() {
    CrawlConfig config =
        CrawlConfig.builder()
            .seed("https://h0.example.com/")
            .maxPages(Integer.MAX_VALUE)
            .perHostConcurrency(2)
            .politenessDelay(Duration.ZERO)
            .build();
    return Frontier.inMemory(config, NanoClock.system());
  }

  /** A URL of realistic length (about 60 chars). */
  static String url(int host, String thread, long n) {
    return "https://h" + host + ".example.com/section/" + thread + "/page-" + n + ".html";
  }

  static String[] hostKeys(int hosts) {
    String[] keys = new String[hosts];
    for (int h = 0; h < hosts; h++) {
      keys[h] = "h" + h + ".example.com:443";
    }
    return keys;
  }

  /** Pre-built fresh requests, so the measurement does not include building URL strings. */
  @State(Scope.Thread)
  public static class Fresh {
    static final int URLS = 1 << 20;

    @Param({"1", "1000"})
    int hosts;

    CrawlRequest[] requests;
    Frontier frontier;
    int next;

    @Setup(Level.Trial)
    public void build() {
      String[] keys = hostKeys(hosts);
      requests = new CrawlRequest[URLS];
      for (int i = 0; i < URLS; i++) {
        int h = i % hosts;
        requests[i] = CrawlRequest.of(url(h, "a", i), keys[h], 1);
      }
      reset();
    }

    /**
     * A new frontier with a backlog; called again when the URLs run out (once per million ops,
     * under 1% of the time), since offering them again would measure dedup instead.
     */
    void reset() {
      frontier = newFrontier();
      int backlog = hosts * BACKLOG_PER_HOST;
      for (next = 0; next < backlog; next++) {
        frontier.offer(requests[next]);
      }
    }
  }

  /** A frontier that has accepted {@link #URLS} URLs, offered again. */
  @State(Scope.Thread)
  public static class Seen {
    static final int URLS = 1 << 20;

    CrawlRequest[] requests;
    Frontier frontier;
    int next;

    @Setup(Level.Trial)
    public void build() {
      String[] keys = hostKeys(1000);
      requests = new CrawlRequest[URLS];
      frontier = newFrontier();
      for (int i = 0; i < URLS; i++) {
        requests[i] = CrawlRequest.of(url(i % 1000, "a", i), keys[i % 1000], 1);
        frontier.offer(requests[i]);
        frontier.complete(frontier.poll().orElseThrow());
      }
    }
  }

  /** One frontier shared by every benchmark thread, new each iteration. */
  @State(Scope.Benchmark)
  public static class Shared {
    @Param({"1000"})
    int hosts;

    String[] keys;
    Frontier frontier;
    final AtomicInteger threadIds = new AtomicInteger();

    @Setup(Level.Iteration)
    public void fill() {
      keys = hostKeys(hosts);
      frontier = newFrontier();
      for (int i = 0; i < hosts * BACKLOG_PER_HOST; i++) {
        frontier.offer(CrawlRequest.of(url(i % hosts, "backlog", i), keys[i % hosts], 1));
      }
    }
  }

  /** A thread's own URL counter for {@link Shared}; URLs are built per op (see the docs). */
  @State(Scope.Thread)
  public static class Cursor {
    String thread;
    long next;

    @Setup(Level.Trial)
    public void name(Shared shared) {
      thread = "t" + shared.threadIds.getAndIncrement();
    }
  }

  /** Offer one new URL, poll the next ready request (round-robin), complete it. */
  @Benchmark
  public CrawlRequest offerPollComplete(Fresh s) {
    if (s.next == Fresh.URLS) {
      s.reset();
    }
    s.frontier.offer(s.requests[s.next++]);
    CrawlRequest r = s.frontier.poll().orElseThrow();
    s.frontier.complete(r);
    return r;
  }

  /** Offer a URL seen before: fingerprint, lock, one probe of a 1 M-entry set. */
  @Benchmark
  public Frontier.Offer offerDuplicate(Seen s) {
    int i = s.next;
    s.next = (i + 1) & (Seen.URLS - 1);
    return s.frontier.offer(s.requests[i]);
  }

  /** {@link #offerPollComplete} with the URL built per op, one thread: the baseline for below. */
  @Benchmark
  @Threads(1)
  public Optional<CrawlRequest> sharedOneThread(Shared s, Cursor c) {
    return cycle(s, c);
  }

  /** The same from two threads on one frontier (the machine has 2 cores). */
  @Benchmark
  @Threads(2)
  public Optional<CrawlRequest> sharedTwoThreads(Shared s, Cursor c) {
    return cycle(s, c);
  }

  private static Optional<CrawlRequest> cycle(Shared s, Cursor c) {
    long n = c.next++;
    int h = (int) (n % s.hosts);
    s.frontier.offer(CrawlRequest.of(url(h, c.thread, n), s.keys[h], 1));
    Optional<CrawlRequest> r = s.frontier.poll();
    r.ifPresent(s.frontier::complete);
    return r;
  }

  /**
   * CPU nanoseconds per offer+poll+complete and per duplicate offer, from the thread's CPU clock:
   * unlike JMH's wall-clock throughput, this stays meaningful on a machine shared with other busy
   * processes. Not a JMH benchmark: run its {@code main}.
   */
  public static final class CpuTimePerOp {
    private CpuTimePerOp() {}

    /**
     * Prints the last of several rounds (the earlier ones warm the JIT up) for 1 and 1000 hosts.
     */
    public static void main(String[] args) {
      ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      for (int hosts : new int[] {1, 1000}) {
        Fresh fresh = new Fresh();
        fresh.hosts = hosts;
        fresh.build();
        Seen seen = new Seen();
        seen.build();
        double cycleNanos = 0;
        double duplicateNanos = 0;
        for (int round = 0; round < 8; round++) {
          fresh.reset();
          int ops = Fresh.URLS - fresh.next;
          long start = cpu.getCurrentThreadCpuTime();
          while (fresh.next < Fresh.URLS) {
            fresh.frontier.offer(fresh.requests[fresh.next++]);
            fresh.frontier.complete(fresh.frontier.poll().orElseThrow());
          }
          cycleNanos = (double) (cpu.getCurrentThreadCpuTime() - start) / ops;
          start = cpu.getCurrentThreadCpuTime();
          for (CrawlRequest r : seen.requests) {
            seen.frontier.offer(r);
          }
          duplicateNanos = (double) (cpu.getCurrentThreadCpuTime() - start) / Seen.URLS;
        }
        System.out.printf(
            "hosts %4d: offer+poll+complete %5.0f CPU ns/op (%.2f M/s per core),"
                + " duplicate offer %5.0f CPU ns/op (%.2f M/s per core)%n",
            hosts, cycleNanos, 1e3 / cycleNanos, duplicateNanos, 1e3 / duplicateNanos);
      }
    }
  }

  /**
   * Heap bytes the frontier keeps per URL once it is done (the fingerprint set), against a {@code
   * HashSet<Long>} of as many keys. Not a JMH benchmark: run its {@code main}, with {@code
   * -XX:+UseParallelGC}: G1 places the large fingerprint table in whole 4 MiB "humongous" regions,
   * which adds up to one region of rounding to the figure.
   */
  public static final class SeenUrlMemory {
    private SeenUrlMemory() {}

    /** Prints bytes per seen URL for a few crawl sizes. */
    public static void main(String[] args) {
      // A discarded first round: class loading and JIT leave heap objects the first
      // measurement would otherwise subtract as its baseline.
      measure(200_000);
      for (int n : new int[] {100_000, 700_000, 1_000_000, 3_000_000, 6_000_000}) {
        long[] bytes = measure(n);
        System.out.printf(
            "%,10d URLs: frontier %6.1f bytes/URL, HashSet<Long> %6.1f bytes/URL%n",
            n, (double) bytes[0] / n, (double) bytes[1] / n);
      }
    }

    private static long[] measure(int n) {
      long before = usedHeap();
      Frontier frontier = newFrontier();
      for (int i = 0; i < n; i++) {
        frontier.offer(CrawlRequest.of(url(i % 1000, "m", i), "h" + (i % 1000) + ":443", 1));
        frontier.complete(frontier.poll().orElseThrow());
      }
      long frontierBytes = usedHeap() - before;
      Reference.reachabilityFence(frontier);
      frontier = null;

      before = usedHeap();
      Set<Long> boxed = new HashSet<>();
      SplittableRandom random = new SplittableRandom(n);
      for (int i = 0; i < n; i++) {
        boxed.add(random.nextLong());
      }
      long boxedBytes = usedHeap() - before;
      Reference.reachabilityFence(boxed);
      return new long[] {frontierBytes, boxedBytes};
    }

    private static long usedHeap() {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      return memory.getHeapMemoryUsage().getUsed();
    }
  }

  /**
   * The worst single offer while a frontier grows to 10 M seen URLs (the target: no pause over 10
   * ms), with a budget of 10 M pages so the set is pre-sized as a crawl of that size would be, and
   * again with an unlimited budget so the set grows from its cap. Every offer is timed with {@code
   * System.nanoTime}; a GC pause lands in the figure too, so run it with the heap it needs ({@code
   * -Xmx3g}). Not a JMH benchmark: run its {@code main}.
   */
  public static final class GrowthPause {
    private GrowthPause() {}

    /** Prints the worst offer, the count of offers over 1 ms and the rate, per budget. */
    public static void main(String[] args) {
      int urls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
      for (int budget : new int[] {urls, Integer.MAX_VALUE}) {
        Frontier frontier =
            Frontier.inMemory(
                CrawlConfig.builder()
                    .seed("https://h0.example.com/")
                    .maxPages(budget)
                    .perHostConcurrency(2)
                    .politenessDelay(Duration.ZERO)
                    .build(),
                NanoClock.system());
        String[] keys = hostKeys(1000);
        long worst = 0;
        long overOneMs = 0;
        long start = System.nanoTime();
        for (int i = 0; i < urls; i++) {
          CrawlRequest request = CrawlRequest.of(url(i % 1000, "g", i), keys[i % 1000], 1);
          long t0 = System.nanoTime();
          frontier.offer(request);
          long took = System.nanoTime() - t0;
          frontier.complete(frontier.poll().orElseThrow());
          worst = Math.max(worst, took);
          overOneMs += took > 1_000_000 ? 1 : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "maxPages %,13d: %,d URLs seen, worst offer %.3f ms, %d offers over 1 ms,"
                + " %.2f M offer+poll+complete/s (URL strings built per op)%n",
            budget, urls, worst / 1e6, overOneMs, urls / seconds / 1e6);
      }
    }
  }
}
