package io.duocrawl.common.session;

import io.duocrawl.common.NanoClock;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.frontier.Frontier;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which hosts stopped answering. Thread-safe; no method blocks.
 *
 * <p>A fetch that ends in a timeout, a refused or failed connection, or an unresolvable name is a
 * <em>strike</em> against its host (politeness key); any HTTP response clears them. Each strike
 * holds the whole host back for the retry policy's backoff of that many strikes, so a host that
 * stopped answering is not hammered by its queue; at {@code hostFailureThreshold} consecutive
 * strikes the host is given up: its remaining URLs end as {@code HOST_UNRESPONSIVE} without a
 * fetch, and errors of its requests still in flight are not retried. A dead host among live ones
 * then costs about {@code threshold × timeout ÷ perHostConcurrency} plus the backoffs, not {@code
 * timeout × attempts × URLs ÷ perHostConcurrency}. A host given up stays so for the crawl.
 *
 * <p>Resets, empty responses and framing errors are not strikes: the host answered, badly, and the
 * retry policy deals with those URL by URL.
 */
final class HostHealth {
  private static final Logger log = LoggerFactory.getLogger(HostHealth.class);

  private record Strikes(int count, FetchError last, String detail, boolean dead) {}

  private final int threshold;
  private final RetryPolicy policy;
  private final Frontier frontier;
  private final NanoClock clock;
  private final ConcurrentHashMap<String, Strikes> strikes = new ConcurrentHashMap<>();

  HostHealth(int threshold, RetryPolicy policy, Frontier frontier, NanoClock clock) {
    this.threshold = threshold;
    this.policy = policy;
    this.frontier = frontier;
    this.clock = clock;
  }

  /** Whether an error says the host is not answering at all. */
  static boolean isStrike(FetchError error) {
    return switch (error) {
      case UNKNOWN_HOST, CONNECT_FAILED, CONNECT_TIMEOUT, READ_TIMEOUT, REQUEST_TIMEOUT -> true;
      default -> false;
    };
  }

  /** The host answered with an HTTP status: its strikes are cleared (unless it was given up). */
  void answered(String hostKey) {
    Strikes s = strikes.get(hostKey);
    if (s != null && !s.dead()) {
      strikes.remove(hostKey, s);
    }
  }

  /** Records a failed fetch; a strike holds the host back, and may give it up. */
  void failed(String hostKey, FetchError error, String detail) {
    if (!isStrike(error)) {
      return;
    }
    boolean[] givenUp = {false};
    Strikes now =
        strikes.compute(
            hostKey,
            (key, old) -> {
              if (old != null && old.dead()) {
                return old;
              }
              int count = old == null ? 1 : old.count() + 1;
              givenUp[0] = count >= threshold;
              return new Strikes(count, error, detail, givenUp[0]);
            });
    if (givenUp[0]) {
      log.warn(
          "host {} given up after {} consecutive failures, last {}: its remaining URLs fail",
          hostKey,
          now.count(),
          error);
    }
    if (!now.dead() && policy.maxBackoff().toNanos() > 0) {
      Duration hold = policy.backoff(now.count());
      frontier.delayHost(hostKey, clock.nanoTime() + hold.toNanos());
    }
  }

  /**
   * Why the host was given up ("5 consecutive failures, last READ_TIMEOUT (…)"); empty while it is
   * alive.
   */
  Optional<String> deadDetail(String hostKey) {
    Strikes s = strikes.get(hostKey);
    if (s == null || !s.dead()) {
      return Optional.empty();
    }
    return Optional.of(
        "host unresponsive: "
            + s.count()
            + " consecutive failures, last "
            + s.last()
            + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")"));
  }
}
