package io.duocrawl.benchmarks;

import io.duocrawl.common.parse.PageParser;
import io.duocrawl.common.parse.ParsedPage;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing one realistic page: {@code article-30k.html}, a 29.7 KB blog post with navigation,
 * sidebar, footer, scripts and 156 anchors (148 distinct followed targets), and {@code
 * article-8k.html}, its first 8 KB. The targets are 150 µs and 40 µs per page for {@link
 * #parseWithHeaderCharset}, the path every fetched page takes.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ParseBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s
 * java -cp benchmarks/target/benchmarks.jar io.duocrawl.benchmarks.ParseBenchmark  # CPU time
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParseBenchmark {
  /** The page: the 29.7 KB article, or its first 8 KB (41 anchors) for the 40 µs target. */
  @Param({"article-30k.html", "article-8k.html"})
  String page = "article-30k.html";

  static final String PAGE_URL = "https://blog.example.com/2024/05/how-crawlers-wait";

  private final PageParser parser = PageParser.create();
  private final UrlNormalizer urls = UrlNormalizer.create();
  private byte[] body;
  private String text;

  /** Loads the page and checks that it is the page the figures talk about. */
  @Setup
  public void load() {
    try (InputStream in = ParseBenchmark.class.getResourceAsStream(page)) {
      if (in == null) {
        throw new IllegalStateException("missing benchmark page " + page);
      }
      body = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    text = new String(body, StandardCharsets.UTF_8);
    int links = parseWithHeaderCharset().links().size();
    int expected = page.contains("30k") ? 148 : 38;
    if (links < expected * 9 / 10 || links > expected * 12 / 10) {
      throw new IllegalStateException(
          "expected ~" + expected + " links in " + page + ", found " + links);
    }
  }

  /** The crawl's path: charset from {@code Content-Type}, Jsoup parse, one walk for links. */
  @Benchmark
  public ParsedPage parseWithHeaderCharset() {
    return parser.parse(body, body.length, PAGE_URL, "text/html; charset=utf-8");
  }

  /** No {@code Content-Type} charset: Jsoup reads the head first to find {@code <meta charset>}. */
  @Benchmark
  public ParsedPage parseWithDetectedCharset() {
    return parser.parse(body, body.length, PAGE_URL, "");
  }

  /** A page's whole CPU cost before the frontier: parse, then resolve and normalize each link. */
  @Benchmark
  public int parseAndResolveLinks(Blackhole blackhole) {
    ParsedPage page = parseWithHeaderCharset();
    int valid = 0;
    for (String href : page.links()) {
      UrlCheck check = urls.resolve(page.baseUrl(), href);
      if (check instanceof UrlCheck.Valid) {
        valid++;
      }
      blackhole.consume(check);
    }
    return valid;
  }

  /**
   * What a listener that asks for {@link ParsedPage#document()} costs on top: the crawl's parse,
   * then the Jsoup tree built from the decoded text.
   */
  @Benchmark
  public Document parseThenDocument() {
    return parseWithHeaderCharset().document();
  }

  /** Baseline: Jsoup building the tree from an already decoded string, nothing else. */
  @Benchmark
  public Document jsoupTreeOnly() {
    return Jsoup.parse(text, PAGE_URL);
  }

  /**
   * Thread CPU time per operation of the same work, for a shared machine: JMH's scores are wall
   * time, which there includes the time a runnable thread waits for a core. This is no substitute
   * for JMH (one JVM, results summed rather than sunk in a blackhole), only a second opinion.
   */
  public static void main(String[] args) {
    for (String page : new String[] {"article-30k.html", "article-8k.html"}) {
      System.out.println(page);
      cpuTimes(page);
    }
  }

  private static void cpuTimes(String page) {
    ParseBenchmark b = new ParseBenchmark();
    b.page = page;
    b.load();
    cpuTime("parseWithHeaderCharset", 1, () -> b.parseWithHeaderCharset().links().size());
    cpuTime("parseWithDetectedCharset", 1, () -> b.parseWithDetectedCharset().links().size());
    cpuTime(
        "parseAndResolveLinks",
        1,
        () -> {
          ParsedPage parsed = b.parseWithHeaderCharset();
          int sum = 0;
          for (String href : parsed.links()) {
            if (b.urls.resolve(parsed.baseUrl(), href) instanceof UrlCheck.Valid v) {
              sum += v.url().length();
            }
          }
          return sum;
        });
    cpuTime("parseThenDocument", 1, () -> b.parseThenDocument().childNodeSize());
    cpuTime("jsoupTreeOnly", 1, () -> b.jsoupTreeOnly().childNodeSize());
  }

  /**
   * Prints the thread CPU time of one operation: 4 s of warm-up, then the median and the best of 15
   * rounds of about 0.2 s each.
   *
   * @param opsPerCall operations one call of {@code op} performs
   */
  static void cpuTime(String name, int opsPerCall, IntSupplier op) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sink = 0;
    long calls = 0;
    long warmStart = mx.getCurrentThreadCpuTime();
    while (mx.getCurrentThreadCpuTime() - warmStart < 4_000_000_000L) {
      sink += op.getAsInt();
      calls++;
    }
    long callsPerRound = Math.max(1, calls / 20);
    double[] nanosPerOp = new double[15];
    for (int round = 0; round < nanosPerOp.length; round++) {
      long start = mx.getCurrentThreadCpuTime();
      for (long i = 0; i < callsPerRound; i++) {
        sink += op.getAsInt();
      }
      nanosPerOp[round] =
          (mx.getCurrentThreadCpuTime() - start) / (double) (callsPerRound * opsPerCall);
    }
    Arrays.sort(nanosPerOp);
    System.out.printf(
        "%-28s cpu median %10.3f us/op  best %10.3f us/op  (%d)%n",
        name, nanosPerOp[nanosPerOp.length / 2] / 1e3, nanosPerOp[0] / 1e3, sink & 1);
  }
}
