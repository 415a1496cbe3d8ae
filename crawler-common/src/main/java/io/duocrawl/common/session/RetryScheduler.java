package io.duocrawl.common.session;

import io.duocrawl.common.NanoClock;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.report.CrawlStats;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a failed fetch is tried again, and what a server's "slow down" does to its whole host.
 * Thread-safe: it keeps no state of its own.
 *
 * <ul>
 *   <li>An I/O error or a retryable status is retried after the policy's backoff, while attempts
 *       remain.
 *   <li>A {@code Retry-After} (seconds or an HTTP date) replaces the backoff, and is never cut
 *       short: when it asks for longer than {@link RetryPolicy#maxRetryAfter()}, the URL is not
 *       retried earlier than asked but ends as {@code RETRY_AFTER_TOO_LONG}.
 *   <li>A {@code Retry-After} on any response, and every 429, hold the whole host (not only that
 *       URL) for the delay asked (capped at {@code maxRetryAfter}), or for the backoff when a 429
 *       names none: the rest of the host waits instead of running into the same wall.
 * </ul>
 */
final class RetryScheduler {
  private static final Logger log = LoggerFactory.getLogger(RetryScheduler.class);

  /** What came of a retryable status. */
  enum Decision {
    /** Scheduled again. */
    RETRIED,
    /** No attempts left: the URL ends with the status's reason. */
    EXHAUSTED,
    /** The server asked for a longer wait than {@code maxRetryAfter}: the URL ends. */
    TOO_LONG
  }

  private final RetryPolicy policy;
  private final Frontier frontier;
  private final CrawlStats stats;
  private final NanoClock clock;

  RetryScheduler(RetryPolicy policy, Frontier frontier, CrawlStats stats, NanoClock clock) {
    this.policy = policy;
    this.frontier = frontier;
    this.stats = stats;
    this.clock = clock;
  }

  /** Schedules the next attempt after an I/O error if the policy allows one; returns whether. */
  boolean retryError(CrawlRequest request) {
    if (!policy.retryIoErrors() || request.attempt() >= policy.maxRetries()) {
      return false;
    }
    schedule(request, policy.backoff(request.attempt() + 1));
    return true;
  }

  /**
   * Decides about a status the policy retries, or a 429; holds the host when the server asked to
   * slow down.
   */
  Decision retryStatus(CrawlRequest request, int status, Optional<String> retryAfter) {
    Optional<Duration> asked = retryAfter.flatMap(RetryScheduler::parseRetryAfter);
    Duration backoff = policy.backoff(request.attempt() + 1);
    if (status == 429 || asked.isPresent()) {
      Duration hold = asked.map(this::capped).orElse(backoff);
      log.debug("host {} held for {} after HTTP {}", request.hostKey(), hold, status);
      frontier.delayHost(request.hostKey(), clock.nanoTime() + hold.toNanos());
    }
    if (!policy.retryStatuses().contains(status) || request.attempt() >= policy.maxRetries()) {
      return Decision.EXHAUSTED;
    }
    if (asked.isPresent() && asked.get().compareTo(policy.maxRetryAfter()) > 0) {
      return Decision.TOO_LONG;
    }
    schedule(request, asked.orElse(backoff));
    return Decision.RETRIED;
  }

  /** The detail of a {@link Decision#TOO_LONG} URL. */
  String tooLongDetail(int status, Optional<String> retryAfter) {
    return "HTTP "
        + status
        + " with Retry-After "
        + retryAfter.orElse("").strip()
        + ", longer than maxRetryAfter "
        + policy.maxRetryAfter();
  }

  private Duration capped(Duration d) {
    return d.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : d;
  }

  private void schedule(CrawlRequest request, Duration delay) {
    log.debug("retry {} of {} in {}", request.attempt() + 1, request.url(), delay);
    stats.retried();
    frontier.retryLater(request.nextAttempt(), clock.nanoTime() + delay.toNanos());
  }

  /** {@code Retry-After}: delta-seconds or an HTTP date; unusable values are ignored. */
  static Optional<Duration> parseRetryAfter(String value) {
    String v = value.strip();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
