package io.duocrawl.benchmarks;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.ScopeMode;
import io.duocrawl.common.url.BaseUrl;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Resolving and normalizing links, the per-link hot path of a crawl. One operation is one href; the
 * mix below is weighted like real pages: mostly relative and same-site links, some absolute
 * external ones, a few that need escaping, IDN or dot-segment work, and a few that are rejected.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar UrlNormalizerBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s
 * java -cp benchmarks/target/benchmarks.jar io.duocrawl.benchmarks.UrlNormalizerBenchmark  # CPU
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class UrlNormalizerBenchmark {
  /** How many hrefs the mix holds, and how many of them are valid. */
  static final int MIX = 35;

  static final int VALID = 31;

  static final String BASE = "https://blog.example.com/2024/05/how-crawlers-wait?ref=home";

  static final String[] HREFS = {
    // relative, as most links are
    "page-2.html",
    "../04/older-post.html",
    "./img/diagram.png",
    "/",
    "/about/",
    "/tags/reactive",
    "/docs/getting-started.html",
    "/search?q=virtual+threads&page=2",
    "?page=3",
    "#comments",
    "",
    "//cdn.example.net/lib/app.js",
    "/2024/05/",
    "/authors/jane-doe",
    "related/one-more.html",
    "/category/engineering/page/4/",
    // absolute
    "https://blog.example.com/2024/04/frontiers",
    "https://www.example.com/",
    "https://en.wikipedia.org/wiki/Web_crawler",
    "https://github.com/example/duocrawl/blob/main/README.md",
    "http://example.org/legacy/index.php?id=42&lang=en",
    "https://twitter.com/intent/tweet?url=https%3A%2F%2Fblog.example.com%2F&text=Read",
    "https://docs.example.com/api/v2/Client.html#method-detail",
    // needing work
    "HTTPS://WWW.EXAMPLE.COM:443/Index.html#top",
    "http://Example.COM:80/a/./b/../c",
    "  /path with spaces/file name.pdf\n",
    "/caf%c3%a9/men%C3%BC",
    "/über/straße?q=grüße",
    "https://bücher.de/katalog",
    "/a/b/c/../../d/%7Euser/",
    "/p?utm_source=news&utm_medium=email&id=42",
    // rejected
    "javascript:void(0)",
    "mailto:info@example.com",
    "tel:+15550100",
    "http://exa mple.com/",
  };

  private final UrlNormalizer urls = UrlNormalizer.create();
  private String[] canonical;
  private URI baseUri;
  private io.duocrawl.common.url.Scope domainScope;

  /** Normalizes the mix once, for the benchmarks that start from canonical URLs. */
  @Setup
  public void setUp() {
    List<String> valid = new ArrayList<>();
    for (String href : HREFS) {
      if (urls.resolve(BASE, href) instanceof UrlCheck.Valid v) {
        valid.add(v.url());
      }
    }
    canonical = valid.toArray(String[]::new);
    if (HREFS.length != MIX || canonical.length != VALID) {
      throw new IllegalStateException(
          "MIX and VALID must count the hrefs: " + HREFS.length + ", " + canonical.length);
    }
    baseUri = URI.create(BASE);
    CrawlConfig config =
        CrawlConfig.builder().seed("https://www.example.com/").scope(ScopeMode.DOMAIN).build();
    domainScope = io.duocrawl.common.url.Scope.of(config, List.of("https://www.example.com/"));
  }

  /** The per-link path: resolve a raw href against the page base and normalize. */
  @Benchmark
  @OperationsPerInvocation(MIX)
  public void resolveMix(Blackhole blackhole) {
    for (String href : HREFS) {
      blackhole.consume(urls.resolve(BASE, href));
    }
  }

  /**
   * The per-page path of a crawl: the page's base parsed once ({@link UrlNormalizer#base}), then
   * every href of the mix resolved against it. Same answers as {@link #resolveMix}.
   */
  @Benchmark
  @OperationsPerInvocation(MIX)
  public void resolveMixPrepared(Blackhole blackhole) {
    BaseUrl base = urls.base(BASE);
    for (String href : HREFS) {
      blackhole.consume(base.resolve(href));
    }
  }

  /** Normalizing URLs that are canonical already (seeds, redirects, re-checks). */
  @Benchmark
  @OperationsPerInvocation(VALID)
  public void normalizeCanonical(Blackhole blackhole) {
    for (String url : canonical) {
      blackhole.consume(urls.normalize(url));
    }
  }

  /**
   * Baseline: {@code java.net.URI} resolve and normalize of the same mix. It does less (no case,
   * port, escape or IDN rules, no fragment removal) and throws on the hrefs with spaces.
   */
  @Benchmark
  @OperationsPerInvocation(MIX)
  public void javaNetUriBaseline(Blackhole blackhole) {
    for (String href : HREFS) {
      try {
        blackhole.consume(baseUri.resolve(href).normalize().toString());
      } catch (IllegalArgumentException e) {
        blackhole.consume(e);
      }
    }
  }

  /** Thread CPU time per href of the same work; see {@link ParseBenchmark#main}. */
  public static void main(String[] args) {
    UrlNormalizerBenchmark b = new UrlNormalizerBenchmark();
    b.setUp();
    ParseBenchmark.cpuTime(
        "resolveMix",
        MIX,
        () -> {
          int sum = 0;
          for (String href : HREFS) {
            sum += b.urls.resolve(BASE, href) instanceof UrlCheck.Valid v ? v.url().length() : 1;
          }
          return sum;
        });
    ParseBenchmark.cpuTime(
        "resolveMixPrepared",
        MIX,
        () -> {
          BaseUrl base = b.urls.base(BASE);
          int sum = 0;
          for (String href : HREFS) {
            sum += base.resolve(href) instanceof UrlCheck.Valid v ? v.url().length() : 1;
          }
          return sum;
        });
    ParseBenchmark.cpuTime(
        "normalizeCanonical",
        VALID,
        () -> {
          int sum = 0;
          for (String url : b.canonical) {
            sum += b.urls.normalize(url) instanceof UrlCheck.Valid v ? v.url().length() : 1;
          }
          return sum;
        });
    ParseBenchmark.cpuTime(
        "javaNetUriBaseline",
        MIX,
        () -> {
          int sum = 0;
          for (String href : HREFS) {
            try {
              sum += b.baseUri.resolve(href).normalize().toString().length();
            } catch (IllegalArgumentException e) {
              sum++;
            }
          }
          return sum;
        });
    ParseBenchmark.cpuTime(
        "scopeCheckDomain",
        VALID,
        () -> {
          int sum = 0;
          for (String url : b.canonical) {
            sum += b.domainScope.check(url).isPresent() ? 1 : 0;
          }
          return sum;
        });
  }

  /** Scope in DOMAIN mode on the canonical mix: a Public Suffix List lookup per foreign host. */
  @Benchmark
  @OperationsPerInvocation(VALID)
  public void scopeCheckDomain(Blackhole blackhole) {
    for (String url : canonical) {
      blackhole.consume(domainScope.check(url));
    }
  }
}
