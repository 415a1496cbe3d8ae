package io.duocrawl.common.session;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.robots.RobotsRules;
import io.duocrawl.common.robots.RobotsShare;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one robots.txt response means, following RFC 9309, given the attempt and the redirect hops
 * that led to it: rules, a retry, a further hop, or an unreachable host. Keeps no state;
 * thread-safe. The {@link RobotsRegistry} applies the step to the host.
 *
 * <ul>
 *   <li>2xx: parsed, at most the first {@value #PARSE_LIMIT} bytes (RFC 9309 §2.5 asks for at least
 *       500 KiB), cut at the last line end so no rule is read half;
 *   <li>3xx: followed to its {@code Location}, other hosts included, up to {@value #MAX_HOPS} hops
 *       (§2.3.1.2); the rules found apply to the original host. More hops: no rules (allow all);
 *   <li>4xx: no rules, allow all (§2.3.1.3);
 *   <li>5xx or a network error: retried with the crawl's retry policy (attempts and backoff) while
 *       the host's URLs wait, never fetched before rules exist; when every attempt failed (or the
 *       name did not resolve) the host is <em>unreachable</em> and its URLs end as {@code
 *       ROBOTS_UNAVAILABLE} with the cause, never as disallowed (§2.3.1.4 allows assuming complete
 *       disallow; the crawler says why instead).
 * </ul>
 */
final class RobotsResponses {
  private static final Logger log = LoggerFactory.getLogger(RobotsResponses.class);

  /** Redirect hops followed for robots.txt; RFC 9309 asks for at least five. */
  static final int MAX_HOPS = 5;

  /** The most robots.txt bytes parsed: 500 KiB, the least RFC 9309 asks for, and Google's limit. */
  static final int PARSE_LIMIT = 500 * 1024;

  /**
   * The most robots.txt bytes read. Larger than {@link #PARSE_LIMIT} so an oversized file's first
   * 500 KiB still arrive whole (an engine hands over no bytes of a body past its limit); a file
   * larger than this is treated as unreachable.
   */
  static final long READ_LIMIT = 4L * 1024 * 1024;

  /** What came of a response. */
  sealed interface Step {}

  /** Final rules, and the outcome to share with other workers. */
  record Rules(RobotsRules rules, RobotsShare.Outcome outcome) implements Step {}

  /** Try the same URL again after {@code delay}, as attempt {@code attempt} (0-based). */
  record Retry(int attempt, Duration delay) implements Step {}

  /** Follow a redirect to {@code url}. */
  record Hop(String url) implements Step {}

  /** robots.txt cannot be had: the host is unreachable, for the reason {@code detail}. */
  record GiveUp(String detail) implements Step {}

  private final CrawlConfig config;
  private final UrlNormalizer normalizer;

  RobotsResponses(CrawlConfig config, UrlNormalizer normalizer) {
    this.config = config;
    this.normalizer = normalizer;
  }

  /**
   * Reads the response to the robots.txt request for {@code url}, attempt {@code attempt} (0-based)
   * after {@code hops} redirects. A 2xx body is parsed here, on the calling thread.
   */
  Step read(String url, int attempt, int hops, FetchResponse response) {
    if (response.error().isPresent()) {
      FetchError error = response.error().get();
      String cause = error + (response.detail().isEmpty() ? "" : " (" + response.detail() + ")");
      return retryOrGiveUp(url, attempt, error != FetchError.UNKNOWN_HOST, cause);
    }
    int status = response.status();
    if (status >= 200 && status < 300) {
      if (response.truncated()) {
        return retryOrGiveUp(url, attempt, false, "body larger than " + READ_LIMIT + " bytes");
      }
      byte[] body = parseable(response);
      RobotsRules rules =
          RobotsRules.parse(url, status, body, response.contentType(), config.robotsAgentName());
      return new Rules(rules, new RobotsShare.Body(url, response.contentType(), body));
    }
    if (status >= 300 && status < 400) {
      return redirect(url, hops, response);
    }
    if (status >= 500) {
      return retryOrGiveUp(url, attempt, true, String.valueOf(status));
    }
    // RFC 9309 §2.3.1.3: 4xx (and anything else) means no rules.
    return new Rules(RobotsRules.allowAll(), new RobotsShare.AllowAll());
  }

  /** The 2xx body's bytes that are parsed: all, or cut at the last line end within the limit. */
  private static byte[] parseable(FetchResponse response) {
    int length = response.length();
    if (length > PARSE_LIMIT) {
      // Cut at the last line end within the limit, so the last rule read is whole.
      length = PARSE_LIMIT;
      while (length > 0 && response.body()[length - 1] != '\n') {
        length--;
      }
    }
    // The parser takes a whole array: copy only when the body array is longer than what counts.
    return length == response.body().length
        ? response.body()
        : Arrays.copyOf(response.body(), length);
  }

  private Step redirect(String url, int hops, FetchResponse response) {
    Optional<UrlCheck> target =
        response.location().map(location -> normalizer.resolve(url, location));
    if (target.isEmpty() || !(target.get() instanceof UrlCheck.Valid valid) || hops >= MAX_HOPS) {
      // RFC 9309 §2.3.1.2: past five hops (or nowhere to go) robots.txt counts as unavailable,
      // which means no rules.
      log.debug("robots.txt {}: redirect not followed, allowing all", url);
      return new Rules(RobotsRules.allowAll(), new RobotsShare.AllowAll());
    }
    return new Hop(valid.url());
  }

  private Step retryOrGiveUp(String url, int attempt, boolean retryable, String cause) {
    RetryPolicy policy = config.retry();
    int attempts = attempt + 1;
    if (retryable && attempt < policy.maxRetries()) {
      Duration delay = policy.backoff(attempts);
      log.debug("robots.txt {} answered {}; retry in {}", url, cause, delay);
      return new Retry(attempts, delay);
    }
    return new GiveUp(
        "robots.txt: " + cause + " after " + attempts + (attempts == 1 ? " attempt" : " attempts"));
  }
}
