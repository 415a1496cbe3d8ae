package io.duocrawl.common.url;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.ScopeMode;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a normalized URL belongs to the crawl: first the {@link ScopeMode} relative to
 * the seeds, then the include and exclude patterns of the config. Immutable and thread-safe.
 *
 * <pre>{@code
 * Scope scope = Scope.of(config, List.of("https://www.example.co.uk/"));
 * scope.check("https://shop.example.co.uk/cart"); // empty in DOMAIN mode, OUT_OF_SCOPE in HOST mode
 * }</pre>
 *
 * <ul>
 *   <li>{@link ScopeMode#HOST}: the URL's {@link UrlNormalizer#hostKey host key} ({@code
 *       host:port}) is a seed's, or the URL is on a seed's host at its scheme's default port and
 *       that seed is too: {@code http://example.com} and {@code https://example.com} are one site
 *       (the common http-to-https redirect stays in scope), while {@code :8080} is another.
 *   <li>{@link ScopeMode#DOMAIN}: the URL's host has the registrable domain of a seed's host
 *       (Public Suffix List, private suffixes included, so {@code a.github.io} and {@code
 *       b.github.io} differ). IP addresses and {@code localhost} compare as exact hosts. Ports are
 *       ignored.
 *   <li>{@link ScopeMode#ANY}: every URL.
 * </ul>
 *
 * <p>Then, on the normalized URL: when includes are configured, one must {@link
 * java.util.regex.Matcher#find() find} a match; and no exclude may find one. Either failure is
 * {@link Rejection#EXCLUDED}.
 */
public final class Scope {
  private static final Optional<Rejection> OUT_OF_SCOPE = Optional.of(Rejection.OUT_OF_SCOPE);
  private static final Optional<Rejection> EXCLUDED = Optional.of(Rejection.EXCLUDED);

  private final ScopeMode mode;
  private final Set<String> seedKeys;
  private final Set<String> seedHosts;
  private final Set<String> seedDomains;
  private final List<Pattern> includes;
  private final List<Pattern> excludes;

  private Scope(
      ScopeMode mode,
      Set<String> seedKeys,
      Set<String> seedHosts,
      Set<String> seedDomains,
      List<Pattern> includes,
      List<Pattern> excludes) {
    this.mode = mode;
    this.seedKeys = seedKeys;
    this.seedHosts = seedHosts;
    this.seedDomains = seedDomains;
    this.includes = includes;
    this.excludes = excludes;
  }

  /**
   * The scope of a crawl.
   *
   * @param config gives the mode and the include/exclude patterns
   * @param normalizedSeeds the seeds that normalized to a valid URL (not {@code config.seeds()},
   *     which may hold bad ones); with none, only {@link ScopeMode#ANY} lets anything in
   * @throws IllegalArgumentException if a seed is not a normalized http(s) URL
   */
  public static Scope of(CrawlConfig config, List<String> normalizedSeeds) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(normalizedSeeds, "normalizedSeeds");
    Set<String> keys = new HashSet<>();
    Set<String> hosts = new HashSet<>();
    Set<String> domains = new HashSet<>();
    for (String seed : normalizedSeeds) {
      keys.add(UrlNormalizer.hostKey(seed));
      if (onDefaultPort(seed)) {
        // Equivalent key under the other scheme's default port: http <-> https on one host.
        keys.add(UrlNormalizer.host(seed) + (seed.startsWith("https:") ? ":80" : ":443"));
      }
      String host = UrlNormalizer.host(seed);
      hosts.add(host);
      domains.add(RegistrableDomains.of(host));
    }
    return new Scope(
        config.scope(),
        Set.copyOf(keys),
        Set.copyOf(hosts),
        Set.copyOf(domains),
        config.includePatterns(),
        config.excludePatterns());
  }

  /**
   * Checks one URL.
   *
   * @param normalizedUrl a URL from {@link UrlNormalizer}
   * @return empty when the URL is in scope; else {@link Rejection#OUT_OF_SCOPE} or {@link
   *     Rejection#EXCLUDED}
   * @throws IllegalArgumentException if it is not a normalized http(s) URL
   */
  public Optional<Rejection> check(String normalizedUrl) {
    Objects.requireNonNull(normalizedUrl, "normalizedUrl");
    if (!inMode(normalizedUrl)) {
      return OUT_OF_SCOPE;
    }
    if (!includes.isEmpty() && !anyFinds(includes, normalizedUrl)) {
      return EXCLUDED;
    }
    if (anyFinds(excludes, normalizedUrl)) {
      return EXCLUDED;
    }
    return Optional.empty();
  }

  private boolean inMode(String url) {
    return switch (mode) {
      case ANY -> {
        UrlNormalizer.hostKey(url); // same argument check in every mode
        yield true;
      }
      case HOST -> seedKeys.contains(UrlNormalizer.hostKey(url));
      case DOMAIN -> {
        String host = UrlNormalizer.host(url);
        // Most links stay on a seed's host: skip the suffix-list lookup for them.
        yield seedHosts.contains(host) || seedDomains.contains(RegistrableDomains.of(host));
      }
    };
  }

  private static boolean onDefaultPort(String url) {
    String key = UrlNormalizer.hostKey(url);
    return url.startsWith("https:") ? key.endsWith(":443") : key.endsWith(":80");
  }

  private static boolean anyFinds(List<Pattern> patterns, String url) {
    for (Pattern p : patterns) {
      if (p.matcher(url).find()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Scope[" + mode + ", seeds " + seedKeys + ", domains " + seedDomains + "]";
  }
}
