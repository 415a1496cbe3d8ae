package io.duocrawl.common.robots;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The robots.txt rules of one host for one agent, built from whatever the robots.txt fetch
 * returned. Immutable and thread-safe.
 *
 * <p>Following RFC 9309: a 2xx body is parsed (by crawler-commons' {@code SimpleRobotRulesParser});
 * 4xx means no rules (allow all); 5xx means "assume complete disallow". Fetching, retries,
 * redirects, size limits and caching are the session's ({@code RobotsRegistry}): it hands this
 * class only the final answer, and treats a robots.txt that never answered as its own outcome
 * rather than as a disallow.
 *
 * <pre>{@code
 * RobotsRules rules = RobotsRules.parse("http://a.test/robots.txt", 200, body, "text/plain", "duocrawl");
 * rules.isAllowed("http://a.test/private/x");  // false if disallowed
 * rules.crawlDelay();                          // Optional[PT2S] for "Crawl-delay: 2"
 * }</pre>
 */
public final class RobotsRules {
  private static final RobotsRules ALLOW_ALL =
      new RobotsRules(new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL), "allow all");

  private final BaseRobotRules rules;
  private final String summary;

  private RobotsRules(BaseRobotRules rules, String summary) {
    this.rules = rules;
    this.summary = summary;
  }

  /** Rules that allow everything (robots off, or a 4xx robots.txt). */
  public static RobotsRules allowAll() {
    return ALLOW_ALL;
  }

  /** Rules that disallow everything (robots.txt unreachable). */
  public static RobotsRules disallowAll(String why) {
    return new RobotsRules(
        new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_NONE), "disallow all: " + why);
  }

  /**
   * Rules from a robots.txt response.
   *
   * @param robotsUrl the robots.txt URL
   * @param status its HTTP status
   * @param body the body bytes (only for 2xx)
   * @param contentType the Content-Type header, empty when absent
   * @param agentName the robots agent name, e.g. {@code duocrawl}
   */
  public static RobotsRules parse(
      String robotsUrl, int status, byte[] body, String contentType, String agentName) {
    Objects.requireNonNull(robotsUrl, "robotsUrl");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(agentName, "agentName");
    if (status >= 200 && status < 300) {
      // A fresh parser per call: the parser counts warnings in instance state, so it is not
      // safe to share across threads. It is cheap to create.
      SimpleRobotRulesParser parser = new SimpleRobotRulesParser(Long.MAX_VALUE, 5);
      BaseRobotRules parsed =
          parser.parseContent(
              robotsUrl,
              body,
              contentType.isEmpty() ? "text/plain" : contentType,
              List.of(agentName.toLowerCase(Locale.ROOT)));
      return new RobotsRules(parsed, "parsed " + body.length + " bytes");
    }
    if (status >= 500) {
      return disallowAll("robots.txt answered " + status);
    }
    return ALLOW_ALL;
  }

  /** Whether the agent may fetch {@code url}, a URL of this host. */
  public boolean isAllowed(String url) {
    return rules.isAllowed(url);
  }

  /** The URLs of the file's {@code Sitemap:} lines, in order; empty when none. */
  public List<String> sitemaps() {
    return List.copyOf(rules.getSitemaps());
  }

  /** The {@code Crawl-delay} for this agent, if the file set one. */
  public Optional<Duration> crawlDelay() {
    long millis = rules.getCrawlDelay();
    return millis == BaseRobotRules.UNSET_CRAWL_DELAY || millis < 0
        ? Optional.empty()
        : Optional.of(Duration.ofMillis(millis));
  }

  @Override
  public String toString() {
    return "RobotsRules[" + summary + "]";
  }
}
