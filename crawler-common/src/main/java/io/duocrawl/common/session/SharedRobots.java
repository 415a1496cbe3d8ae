package io.duocrawl.common.session;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.robots.RobotsShare;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robots registry's side of a {@link RobotsShare}: whether a host's rules are to be taken from
 * the share, fetched here, or waited for; how long a fetch lock lives; how long to wait before
 * asking again. A share that fails (its store unreachable) counts as sharing nothing: the registry
 * then fetches for itself, so a host never waits on a broken share.
 */
final class SharedRobots {
  private static final Logger log = LoggerFactory.getLogger(SharedRobots.class);

  /** The first wait for another worker's outcome; it doubles up to {@link #MAX_WAIT}. */
  static final Duration FIRST_WAIT = Duration.ofMillis(100);

  /** The longest wait between two looks at the share. */
  static final Duration MAX_WAIT = Duration.ofSeconds(1);

  /** What to do about a host whose rules are needed. */
  sealed interface Answer {}

  /** Another worker's outcome, young enough. */
  record Use(RobotsShare.Stored stored) implements Answer {}

  /** This worker holds the fetch lock: fetch robots.txt. */
  record Fetch() implements Answer {}

  /** Another worker holds the fetch lock: look again later. */
  record Wait() implements Answer {}

  private static final Answer FETCH = new Fetch();
  private static final Answer WAIT = new Wait();

  private final RobotsShare share;
  private final Duration maxAge;
  private final Duration lockTtl;

  SharedRobots(RobotsShare share, CrawlConfig config) {
    this.share = share;
    this.maxAge = config.robotsMaxAge();
    this.lockTtl = lockTtl(config);
  }

  /**
   * How long a fetch lock lives without being extended. It is taken before the first attempt and
   * extended before each further attempt or redirect hop, so it has to outlast one request and the
   * backoff before the next: twice the request timeout plus the longest backoff (150 s with the
   * defaults). A worker that dies holding it delays the host's rules for the others by at most
   * that.
   */
  static Duration lockTtl(CrawlConfig config) {
    return config.requestTimeout().multipliedBy(2).plus(config.retry().maxBackoff());
  }

  /** Whether the share shares anything (not {@link RobotsShare#none()}). */
  boolean active() {
    return share != RobotsShare.none();
  }

  /** Looks the host up; takes its fetch lock when nothing young enough is stored. */
  Answer consult(String hostKey) {
    try {
      Optional<RobotsShare.Stored> stored = share.lookup(hostKey);
      if (stored.isPresent() && stored.get().age().compareTo(maxAge) <= 0) {
        return new Use(stored.get());
      }
      return share.tryTake(hostKey, lockTtl) ? FETCH : WAIT;
    } catch (RuntimeException e) {
      log.warn(
          "robots.txt of {}: shared rules not available ({}); fetching here",
          hostKey,
          e.toString());
      return FETCH;
    }
  }

  /** Extends this worker's fetch lock before a further attempt or hop. */
  void renew(String hostKey) {
    try {
      if (!share.tryTake(hostKey, lockTtl)) {
        // Our lock expired and another worker took it: both fetch, both store the same answer.
        log.debug("robots.txt of {}: fetch lock lost to another worker", hostKey);
      }
    } catch (RuntimeException e) {
      log.warn("robots.txt of {}: fetch lock not extended ({})", hostKey, e.toString());
    }
  }

  /** Hands the final outcome to the other workers. */
  void store(String hostKey, RobotsShare.Outcome outcome) {
    try {
      share.store(hostKey, outcome);
    } catch (RuntimeException e) {
      // The others then fetch it themselves once the lock expires: more fetches, nothing lost.
      log.warn("robots.txt of {}: outcome not shared ({})", hostKey, e.toString());
    }
  }

  /** Nanoseconds to wait before looking again, after {@code waits} looks that found a lock. */
  static long waitNanos(int waits) {
    long nanos = FIRST_WAIT.toNanos() << Math.min(waits, 10);
    return Math.min(nanos, MAX_WAIT.toNanos());
  }
}
