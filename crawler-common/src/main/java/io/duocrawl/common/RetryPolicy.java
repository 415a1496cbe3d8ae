package io.duocrawl.common;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * When and how soon a failed fetch is tried again. A retry is not a new URL: the frontier re-offers
 * the same request with a not-before time, so politeness still applies.
 *
 * <p>The delay before retry {@code n} (1-based) is {@code initialBackoff × multiplier^(n-1)},
 * capped at {@code maxBackoff}; a {@code Retry-After} header (seconds or an HTTP date) overrides it
 * and is never cut short: a URL whose server asks for longer than {@code maxRetryAfter} fails as
 * {@link Reason#RETRY_AFTER_TOO_LONG} instead of being retried earlier than asked. A {@code
 * Retry-After}, and every 429, also hold the URL's whole host for that long (at most {@code
 * maxRetryAfter}).
 *
 * <pre>{@code
 * RetryPolicy p = new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5), 2.0,
 *     Set.of(429, 503), true, Duration.ofSeconds(30));
 * }</pre>
 *
 * @param maxRetries retries after the first attempt; 0 disables retries. Default 2.
 * @param initialBackoff delay before the first retry. Default 1 s.
 * @param maxBackoff the largest computed backoff. Default 30 s.
 * @param multiplier growth of the backoff per retry, ≥ 1. Default 2.
 * @param retryStatuses HTTP statuses worth retrying. Default 429, 500, 502, 503, 504.
 * @param retryIoErrors whether connection resets, timeouts and other I/O errors are retried.
 *     Default true.
 * @param maxRetryAfter the longest {@code Retry-After} waited for; a URL asked to wait longer fails
 *     as {@link Reason#RETRY_AFTER_TOO_LONG}, and a host is held at most this long. Default 60 s.
 */
public record RetryPolicy(
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    Set<Integer> retryStatuses,
    boolean retryIoErrors,
    Duration maxRetryAfter) {

  /** The default policy described in the class documentation. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(
          2,
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          2.0,
          Set.of(429, 500, 502, 503, 504),
          true,
          Duration.ofSeconds(60));

  /** A policy that never retries. */
  public static final RetryPolicy NONE =
      new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1.0, Set.of(), false, Duration.ZERO);

  /** Validates every field; messages name the field and the bad value. */
  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("retry.maxRetries must be >= 0, was " + maxRetries);
    }
    Config.requireNonNegative("retry.initialBackoff", initialBackoff);
    Config.requireNonNegative("retry.maxBackoff", maxBackoff);
    Config.requireNonNegative("retry.maxRetryAfter", maxRetryAfter);
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("retry.multiplier must be >= 1, was " + multiplier);
    }
    retryStatuses = Set.copyOf(Objects.requireNonNull(retryStatuses, "retryStatuses"));
    for (int status : retryStatuses) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException(
            "retry.retryStatuses must hold HTTP statuses 100-599, had " + status);
      }
    }
  }

  /**
   * The backoff before retry number {@code retry} (1 for the first retry), ignoring any {@code
   * Retry-After}.
   */
  public Duration backoff(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be >= 1, was " + retry);
    }
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, retry - 1);
    long capped = (long) Math.min(nanos, (double) maxBackoff.toNanos());
    return Duration.ofNanos(capped);
  }

  /** A copy with a different number of retries. */
  public RetryPolicy withMaxRetries(int retries) {
    return new RetryPolicy(
        retries,
        initialBackoff,
        maxBackoff,
        multiplier,
        retryStatuses,
        retryIoErrors,
        maxRetryAfter);
  }
}
