package io.duocrawl.cli;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.ScopeMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options that become a {@link CrawlConfig}, shared by {@code crawl} and {@code compare}. Their
 * defaults are read from {@link CrawlConfig}'s own defaults (see {@link Defaults}), so the help
 * text cannot drift from the core; the core validates the values in {@code build()}.
 */
final class CrawlOptions {
  static final CrawlConfig DEFAULTS = CrawlConfig.builder().seed("http://localhost/").build();

  @Option(
      names = "--per-host",
      paramLabel = "N",
      description = "Requests in flight to one host at once. Default: ${DEFAULT-VALUE}.")
  int perHost;

  @Option(
      names = "--max-pages",
      paramLabel = "N",
      description =
          "Most URLs the crawl accepts (seeds and redirect targets count). Default: ${DEFAULT-VALUE}.")
  int maxPages;

  @Option(
      names = "--max-depth",
      paramLabel = "N",
      description = "Deepest link depth followed; seeds are depth 0. Default: ${DEFAULT-VALUE}.")
  int maxDepth;

  @Option(
      names = "--scope",
      paramLabel = "host|domain|any",
      converter = ScopeConverter.class,
      description =
          "Which hosts to follow: the seeds' hosts, their registrable domains, or any. Default: ${DEFAULT-VALUE}.")
  ScopeMode scope;

  @Option(
      names = "--include",
      paramLabel = "REGEX",
      description = "Crawl only URLs matching one of these (repeatable).")
  List<String> includes = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "REGEX",
      description = "Do not crawl URLs matching any of these (repeatable).")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--delay",
      paramLabel = "DURATION",
      converter = Units.DurationConverter.class,
      description =
          "Least time between two requests to one host (politeness). Default: ${DEFAULT-VALUE}.")
  Duration delay;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Units.DurationConverter.class,
      description = "Whole-request timeout, connect to last body byte. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      converter = Units.DurationConverter.class,
      description = "TCP connect timeout. Default: ${DEFAULT-VALUE}.")
  Duration connectTimeout;

  @Option(
      names = "--read-timeout",
      paramLabel = "DURATION",
      converter = Units.DurationConverter.class,
      description = "Longest wait for the next byte. Default: ${DEFAULT-VALUE}.")
  Duration readTimeout;

  @Option(
      names = "--retries",
      paramLabel = "N",
      description =
          "Retries of a failed fetch (5xx, 429, I/O errors); 0 disables. Default: ${DEFAULT-VALUE}.")
  int retries;

  @Option(
      names = "--max-redirects",
      paramLabel = "N",
      description = "Longest redirect chain followed. Default: ${DEFAULT-VALUE}.")
  int maxRedirects;

  @Option(
      names = "--max-body",
      paramLabel = "SIZE",
      converter = Units.SizeConverter.class,
      description =
          "Most body bytes read per page; larger pages are skipped as TOO_LARGE. Binary units: 1KB = 1024 bytes. Default: ${DEFAULT-VALUE}.")
  long maxBody;

  @Option(
      names = "--user-agent",
      paramLabel = "TEXT",
      description =
          "User-Agent header; its first token is the robots.txt agent name. Default: ${DEFAULT-VALUE}.")
  String userAgent;

  @Option(names = "--no-robots", description = "Neither fetch nor obey robots.txt.")
  boolean noRobots;

  @picocli.CommandLine.Mixin DiscoveryOptions discovery = new DiscoveryOptions();

  /** A builder holding these options; seeds and concurrency are the caller's. */
  CrawlConfig.Builder toBuilder() {
    return discovery
        .apply(CrawlConfig.builder())
        .perHostConcurrency(perHost)
        .maxPages(maxPages)
        .maxDepth(maxDepth)
        .scope(scope)
        .includes(includes)
        .excludes(excludes)
        .politenessDelay(delay)
        .requestTimeout(timeout)
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .retry(DEFAULTS.retry().withMaxRetries(retries))
        .maxRedirects(maxRedirects)
        .maxBodyBytes(maxBody)
        .userAgent(userAgent)
        .robots(!noRobots);
  }

  /**
   * The {@code crawl} arguments that rebuild {@code config} (all but the seeds), for running it in
   * a child process. Fields the command line cannot set keep their defaults there.
   */
  static List<String> args(CrawlConfig config) {
    List<String> args = new ArrayList<>();
    add(args, "--concurrency", config.concurrency());
    add(args, "--per-host", config.perHostConcurrency());
    add(args, "--max-pages", config.maxPages());
    add(args, "--max-depth", config.maxDepth());
    add(args, "--scope", config.scope().name().toLowerCase(Locale.ROOT));
    config.includes().forEach(p -> add(args, "--include", p));
    config.excludes().forEach(p -> add(args, "--exclude", p));
    add(args, "--delay", config.politenessDelay().toString());
    add(args, "--timeout", config.requestTimeout().toString());
    add(args, "--connect-timeout", config.connectTimeout().toString());
    add(args, "--read-timeout", config.readTimeout().toString());
    add(args, "--retries", config.retry().maxRetries());
    add(args, "--max-redirects", config.maxRedirects());
    add(args, "--max-body", config.maxBodyBytes());
    add(args, "--user-agent", config.userAgent());
    if (!config.robots()) {
      args.add("--no-robots");
    }
    args.addAll(DiscoveryOptions.args(config));
    return args;
  }

  private static void add(List<String> args, String option, Object value) {
    // "--opt=value" keeps values that start with '-' (a regex, a user agent) from reading as
    // options.
    args.add(option + "=" + value);
  }

  // CrawlConfig names its fields; the user typed options. Same validation, the user's vocabulary.
  private static final Map<String, String> OPTION_OF_FIELD =
      Map.ofEntries(
          Map.entry("seeds", "seeds"),
          Map.entry("concurrency", "--concurrency"),
          Map.entry("perHostConcurrency", "--per-host"),
          Map.entry("maxPages", "--max-pages"),
          Map.entry("maxDepth", "--max-depth"),
          Map.entry("includes", "--include"),
          Map.entry("excludes", "--exclude"),
          Map.entry("politenessDelay", "--delay"),
          Map.entry("requestTimeout", "--timeout"),
          Map.entry("connectTimeout", "--connect-timeout"),
          Map.entry("readTimeout", "--read-timeout"),
          Map.entry("retry.maxRetries", "--retries"),
          Map.entry("maxRedirects", "--max-redirects"),
          Map.entry("maxBodyBytes", "--max-body"),
          Map.entry("userAgent", "--user-agent"));

  /** A {@link CrawlConfig} validation message with the field name replaced by the option name. */
  static String userMessage(IllegalArgumentException e) {
    String message = String.valueOf(e.getMessage());
    int space = message.indexOf(' ');
    if (space > 0) {
      String option = OPTION_OF_FIELD.get(message.substring(0, space));
      if (option != null) {
        return option + message.substring(space);
      }
    }
    return message;
  }

  /** picocli: {@code host}, {@code domain}, {@code any}, any case. */
  static final class ScopeConverter implements picocli.CommandLine.ITypeConverter<ScopeMode> {
    @Override
    public ScopeMode convert(String value) {
      try {
        return ScopeMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a scope (use host, domain or any)");
      }
    }
  }

  /** Supplies every crawl option's default from {@link CrawlConfig}'s defaults. */
  static final class Defaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      if (!(arg instanceof OptionSpec option)) {
        return null;
      }
      CrawlConfig d = DEFAULTS;
      return switch (option.longestName()) {
        case "--concurrency" ->
            option.command().name().equals("crawl") ? String.valueOf(d.concurrency()) : null;
        case "--per-host" -> String.valueOf(d.perHostConcurrency());
        case "--max-pages" -> String.valueOf(d.maxPages());
        case "--max-depth" -> String.valueOf(d.maxDepth());
        case "--scope" -> d.scope().name().toLowerCase(Locale.ROOT);
        case "--delay" -> Units.format(d.politenessDelay());
        case "--timeout" -> Units.format(d.requestTimeout());
        case "--connect-timeout" -> Units.format(d.connectTimeout());
        case "--read-timeout" -> Units.format(d.readTimeout());
        case "--retries" -> String.valueOf(d.retry().maxRetries());
        case "--max-redirects" -> String.valueOf(d.maxRedirects());
        case "--max-body" -> formatSize(d.maxBodyBytes());
        case "--user-agent" -> d.userAgent();
        default -> null;
      };
    }
  }

  /** {@code 10MB}, {@code 512KB} or plain bytes, whichever is exact. */
  static String formatSize(long bytes) {
    if (bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MB";
    }
    if (bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "KB";
    }
    return String.valueOf(bytes);
  }
}
