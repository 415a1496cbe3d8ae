package io.duocrawl.common;

import io.duocrawl.common.fetch.FetchPolicy;
import io.duocrawl.common.fetch.RequestOptions;
import io.duocrawl.common.url.UrlFilter;
import io.duocrawl.common.url.UrlRewriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Everything a crawl needs to know, immutable and validated. Every engine honours the same config.
 *
 * <pre>{@code
 * CrawlConfig config = CrawlConfig.builder()
 *     .seeds(List.of("https://example.com/"))
 *     .maxPages(500)
 *     .concurrency(64)
 *     .perHostConcurrency(4)
 *     .politenessDelay(Duration.ofMillis(250))
 *     .build();
 * CrawlConfig faster = config.toBuilder().concurrency(256).build();
 * }</pre>
 *
 * <p>Seeds are kept as given: a malformed seed is not a configuration error but a rejected URL,
 * reported by the crawl (so one bad line in a seed list does not stop the others).
 *
 * @param seeds the URLs the crawl starts from, depth 0; at least one.
 * @param scope which hosts to follow relative to the seeds. Default {@link ScopeMode#HOST}.
 * @param includes regular expressions; when not empty, a URL must match one ({@code find}) to be
 *     crawled. Default none.
 * @param excludes regular expressions; a URL matching any is not crawled. Default none.
 * @param maxPages the most URLs the crawl accepts, seeds and redirect targets included. Each
 *     accepted URL ends fetched, redirected, failed or skipped. Default 10,000.
 * @param maxDepth the deepest link depth followed; seeds are depth 0, a redirect target keeps the
 *     depth of its source. Default 16.
 * @param maxBodyBytes the most body bytes read per response (after decompression); a larger body is
 *     not read further and the URL is skipped as {@link Reason#TOO_LARGE}. At most {@value
 *     #MAX_BODY_BYTES} (a body is held in one array). Default 10 MiB.
 * @param maxRedirects the longest redirect chain followed. Default 5.
 * @param concurrency requests in flight at once, over all hosts. Default 16.
 * @param perHostConcurrency requests in flight at once to one host (host and port). Default 2.
 * @param politenessDelay the least time between the starts of two requests to the same host.
 *     Default 0.
 * @param maxCrawlDelay the largest robots.txt {@code Crawl-delay} honoured; larger ones are capped
 *     to it. Default 30 s.
 * @param connectTimeout TCP connect timeout. Default 10 s.
 * @param readTimeout the longest wait for the next byte. Default 30 s.
 * @param requestTimeout the whole request, connect to last body byte. Default 60 s.
 * @param retry when failed fetches are tried again. Default {@link RetryPolicy#DEFAULT}.
 * @param userAgent the {@code User-Agent} header; its first token (before {@code /}) is the
 *     robots.txt agent name. Default {@value #DEFAULT_USER_AGENT}.
 * @param robots whether robots.txt is fetched and obeyed. Default true.
 * @param fetch how every engine speaks HTTP: header limit, encodings, fixed host addresses. Default
 *     {@link FetchPolicy#DEFAULT}.
 * @param robotsMaxAge the longest a host's robots.txt rules are used before they are fetched again
 *     (RFC 9309 §2.4 asks for at most 24 hours). Default 24 h; must be > 0.
 * @param hostFailureThreshold consecutive timeouts or connection failures (connect refused or timed
 *     out, read or request timeout, unknown host) after which a host is given up: its remaining
 *     URLs end as {@link Reason#HOST_UNRESPONSIVE} without a fetch. Any HTTP response from the host
 *     resets the count; each failure also holds the host back for the retry backoff. Default
 *     {@value #DEFAULT_HOST_FAILURE_THRESHOLD}; must be >= 1.
 * @param urlRewriter rewrites every discovered URL (seeds, links, redirect targets, URLs a listener
 *     offers) before it is filtered and deduplicated, e.g. {@link UrlRewriter#stripParams}. Default
 *     {@link UrlRewriter#NONE}.
 * @param urlFilter refuses discovered URLs after rewriting, before scope, depth and dedup; refused
 *     ones are counted as {@link Rejection#FILTERED}. Default {@link UrlFilter#ALL}.
 * @param request what every engine adds to its requests: headers (per crawl and per request),
 *     cookies, authorization, a proxy. Default {@link RequestOptions#NONE}.
 */
public record CrawlConfig(
    List<String> seeds,
    ScopeMode scope,
    List<String> includes,
    List<String> excludes,
    int maxPages,
    int maxDepth,
    long maxBodyBytes,
    int maxRedirects,
    int concurrency,
    int perHostConcurrency,
    Duration politenessDelay,
    Duration maxCrawlDelay,
    Duration connectTimeout,
    Duration readTimeout,
    Duration requestTimeout,
    RetryPolicy retry,
    String userAgent,
    boolean robots,
    FetchPolicy fetch,
    Duration robotsMaxAge,
    int hostFailureThreshold,
    UrlRewriter urlRewriter,
    UrlFilter urlFilter,
    RequestOptions request) {

  /** The default {@code User-Agent}. */
  public static final String DEFAULT_USER_AGENT = "duocrawl/0.1";

  /** The default {@code hostFailureThreshold}. */
  public static final int DEFAULT_HOST_FAILURE_THRESHOLD = 5;

  /** The most requests in flight the config accepts. */
  public static final int MAX_CONCURRENCY = 1_000_000;

  /** The largest {@link #maxBodyBytes()}: the largest byte array the JVM allocates. */
  public static final long MAX_BODY_BYTES = Integer.MAX_VALUE - 8;

  /** Validates and copies; messages name the field and the bad value. */
  public CrawlConfig {
    seeds = List.copyOf(Objects.requireNonNull(seeds, "seeds"));
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("seeds must hold at least one URL, was empty");
    }
    Objects.requireNonNull(scope, "scope");
    includes = compileCheck("includes", includes);
    excludes = compileCheck("excludes", excludes);
    Config.requirePositive("maxPages", maxPages);
    Config.requireNonNegative("maxDepth", maxDepth);
    Config.requirePositive("maxBodyBytes", maxBodyBytes);
    if (maxBodyBytes > MAX_BODY_BYTES) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be <= " + MAX_BODY_BYTES + " (2 GiB - 8), was " + maxBodyBytes);
    }
    Config.requireNonNegative("maxRedirects", maxRedirects);
    Config.requirePositive("concurrency", concurrency);
    if (concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "concurrency must be <= " + MAX_CONCURRENCY + ", was " + concurrency);
    }
    Config.requirePositive("perHostConcurrency", perHostConcurrency);
    Config.requireNonNegative("politenessDelay", politenessDelay);
    Config.requireNonNegative("maxCrawlDelay", maxCrawlDelay);
    Config.requirePositive("connectTimeout", connectTimeout);
    Config.requirePositive("readTimeout", readTimeout);
    Config.requirePositive("requestTimeout", requestTimeout);
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(userAgent, "userAgent");
    if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(
          "userAgent must be non-blank printable text, was '" + userAgent + "'");
    }
    Objects.requireNonNull(fetch, "fetch");
    Config.requirePositive("robotsMaxAge", robotsMaxAge);
    Config.requirePositive("hostFailureThreshold", hostFailureThreshold);
    Objects.requireNonNull(urlRewriter, "urlRewriter");
    Objects.requireNonNull(urlFilter, "urlFilter");
    Objects.requireNonNull(request, "request");
  }

  /** A builder with every default described in the class documentation. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The robots.txt agent name: the user agent's first token, before any {@code /} or space. */
  public String robotsAgentName() {
    String agent = userAgent.strip();
    int end = 0;
    while (end < agent.length() && agent.charAt(end) != '/' && agent.charAt(end) != ' ') {
      end++;
    }
    return end == 0 ? "duocrawl" : agent.substring(0, end);
  }

  /** The include patterns, compiled. */
  public List<Pattern> includePatterns() {
    return includes.stream().map(Pattern::compile).toList();
  }

  /** The exclude patterns, compiled. */
  public List<Pattern> excludePatterns() {
    return excludes.stream().map(Pattern::compile).toList();
  }

  private static List<String> compileCheck(String field, List<String> patterns) {
    List<String> copy = List.copyOf(Objects.requireNonNull(patterns, field));
    for (String p : copy) {
      try {
        Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            field + " holds an invalid regular expression '" + p + "': " + e.getDescription(), e);
      }
    }
    return copy;
  }

  /** Builds a {@link CrawlConfig}; not thread-safe. Validation happens in {@link #build()}. */
  public static final class Builder {
    private List<String> seeds = new ArrayList<>();
    private ScopeMode scope = ScopeMode.HOST;
    private List<String> includes = List.of();
    private List<String> excludes = List.of();
    private int maxPages = 10_000;
    private int maxDepth = 16;
    private long maxBodyBytes = 10L * 1024 * 1024;
    private int maxRedirects = 5;
    private int concurrency = 16;
    private int perHostConcurrency = 2;
    private Duration politenessDelay = Duration.ZERO;
    private Duration maxCrawlDelay = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private String userAgent = DEFAULT_USER_AGENT;
    private boolean robots = true;
    private FetchPolicy fetch = FetchPolicy.DEFAULT;
    private Duration robotsMaxAge = Duration.ofHours(24);
    private int hostFailureThreshold = DEFAULT_HOST_FAILURE_THRESHOLD;
    private UrlRewriter urlRewriter = UrlRewriter.NONE;
    private UrlFilter urlFilter = UrlFilter.ALL;
    private RequestOptions request = RequestOptions.NONE;

    private Builder() {}

    private Builder(CrawlConfig c) {
      seeds = new ArrayList<>(c.seeds);
      scope = c.scope;
      includes = c.includes;
      excludes = c.excludes;
      maxPages = c.maxPages;
      maxDepth = c.maxDepth;
      maxBodyBytes = c.maxBodyBytes;
      maxRedirects = c.maxRedirects;
      concurrency = c.concurrency;
      perHostConcurrency = c.perHostConcurrency;
      politenessDelay = c.politenessDelay;
      maxCrawlDelay = c.maxCrawlDelay;
      connectTimeout = c.connectTimeout;
      readTimeout = c.readTimeout;
      requestTimeout = c.requestTimeout;
      retry = c.retry;
      userAgent = c.userAgent;
      robots = c.robots;
      fetch = c.fetch;
      robotsMaxAge = c.robotsMaxAge;
      hostFailureThreshold = c.hostFailureThreshold;
      urlRewriter = c.urlRewriter;
      urlFilter = c.urlFilter;
      request = c.request;
    }

    /** Replaces the seeds. */
    public Builder seeds(List<String> seeds) {
      this.seeds = new ArrayList<>(Objects.requireNonNull(seeds, "seeds"));
      return this;
    }

    /** Adds seeds. */
    public Builder seed(String... seeds) {
      this.seeds.addAll(List.of(seeds));
      return this;
    }

    /** See {@link CrawlConfig#scope()}. */
    public Builder scope(ScopeMode scope) {
      this.scope = scope;
      return this;
    }

    /** See {@link CrawlConfig#includes()}. */
    public Builder includes(List<String> includes) {
      this.includes = includes;
      return this;
    }

    /** See {@link CrawlConfig#excludes()}. */
    public Builder excludes(List<String> excludes) {
      this.excludes = excludes;
      return this;
    }

    /** See {@link CrawlConfig#maxPages()}. */
    public Builder maxPages(int maxPages) {
      this.maxPages = maxPages;
      return this;
    }

    /** See {@link CrawlConfig#maxDepth()}. */
    public Builder maxDepth(int maxDepth) {
      this.maxDepth = maxDepth;
      return this;
    }

    /** See {@link CrawlConfig#maxBodyBytes()}. */
    public Builder maxBodyBytes(long maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** See {@link CrawlConfig#maxRedirects()}. */
    public Builder maxRedirects(int maxRedirects) {
      this.maxRedirects = maxRedirects;
      return this;
    }

    /** See {@link CrawlConfig#concurrency()}. */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /** See {@link CrawlConfig#perHostConcurrency()}. */
    public Builder perHostConcurrency(int perHostConcurrency) {
      this.perHostConcurrency = perHostConcurrency;
      return this;
    }

    /** See {@link CrawlConfig#politenessDelay()}. */
    public Builder politenessDelay(Duration politenessDelay) {
      this.politenessDelay = politenessDelay;
      return this;
    }

    /** See {@link CrawlConfig#maxCrawlDelay()}. */
    public Builder maxCrawlDelay(Duration maxCrawlDelay) {
      this.maxCrawlDelay = maxCrawlDelay;
      return this;
    }

    /** See {@link CrawlConfig#connectTimeout()}. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** See {@link CrawlConfig#readTimeout()}. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
      return this;
    }

    /** See {@link CrawlConfig#requestTimeout()}. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** See {@link CrawlConfig#retry()}. */
    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    /** See {@link CrawlConfig#userAgent()}. */
    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    /** See {@link CrawlConfig#robots()}. */
    public Builder robots(boolean robots) {
      this.robots = robots;
      return this;
    }

    /** See {@link CrawlConfig#fetch()}. */
    public Builder fetch(FetchPolicy fetch) {
      this.fetch = fetch;
      return this;
    }

    /** See {@link CrawlConfig#robotsMaxAge()}. */
    public Builder robotsMaxAge(Duration robotsMaxAge) {
      this.robotsMaxAge = robotsMaxAge;
      return this;
    }

    /** See {@link CrawlConfig#hostFailureThreshold()}. */
    public Builder hostFailureThreshold(int hostFailureThreshold) {
      this.hostFailureThreshold = hostFailureThreshold;
      return this;
    }

    /** See {@link CrawlConfig#urlRewriter()}. */
    public Builder urlRewriter(UrlRewriter urlRewriter) {
      this.urlRewriter = urlRewriter;
      return this;
    }

    /** See {@link CrawlConfig#urlFilter()}. */
    public Builder urlFilter(UrlFilter urlFilter) {
      this.urlFilter = urlFilter;
      return this;
    }

    /** See {@link CrawlConfig#request()}. */
    public Builder request(RequestOptions request) {
      this.request = request;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first invalid field and its value
     * @throws NullPointerException naming a field left null
     */
    public CrawlConfig build() {
      return new CrawlConfig(
          seeds,
          scope,
          includes,
          excludes,
          maxPages,
          maxDepth,
          maxBodyBytes,
          maxRedirects,
          concurrency,
          perHostConcurrency,
          politenessDelay,
          maxCrawlDelay,
          connectTimeout,
          readTimeout,
          requestTimeout,
          retry,
          userAgent,
          robots,
          fetch,
          robotsMaxAge,
          hostFailureThreshold,
          urlRewriter,
          urlFilter,
          request);
    }
  }
}
