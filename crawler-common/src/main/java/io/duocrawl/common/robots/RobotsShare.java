package io.duocrawl.common.robots;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the workers of one shared crawl keep what each host's robots.txt said, so that one worker
 * fetches it and every worker uses its rules. A frontier that lives outside the process hands one
 * out ({@code Frontier.robotsShare()}); the session's robots registry asks it before it fetches a
 * robots.txt and tells it what came of the fetch. {@link #none()} shares nothing: every worker
 * fetches for itself, as a crawl of one process always does.
 *
 * <p>What the registry does with it, per host, when the host's rules are needed (first sight, or
 * rules older than {@code robotsMaxAge}):
 *
 * <ol>
 *   <li>{@link #lookup}: a stored outcome not older than {@code robotsMaxAge} is used as if it had
 *       been fetched here {@link Stored#age()} ago (a body is parsed again, its crawl-delay
 *       honoured);
 *   <li>else {@link #tryTake}: taken, this worker fetches robots.txt as always and {@link #store}s
 *       the final outcome (never a transient one: a 5xx that will be retried is not stored);
 *   <li>else another worker is fetching: the host's URLs wait here and the registry asks again a
 *       little later (from 100 ms, doubling to 1 s); a fetch lock whose holder died expires after
 *       its time to live, and the next {@link #tryTake} succeeds.
 * </ol>
 *
 * <p>Threads: like a frontier's, every method may be called from any thread, Netty event loops
 * included; each may make one quick round trip to the store, and none waits for another caller. The
 * registry calls them only on a host's first sight, while it waits for another worker's outcome,
 * and once per fetch attempt; never per page. A method that throws is taken as "nothing shared":
 * the registry then fetches for itself.
 */
public interface RobotsShare {

  /** Shares nothing: {@link #lookup} finds nothing, {@link #tryTake} always succeeds. */
  static RobotsShare none() {
    return NoRobotsShare.INSTANCE;
  }

  /** The outcome stored for a host, with its age on the store's clock; empty when none is. */
  Optional<Stored> lookup(String hostKey);

  /**
   * Takes the host's fetch lock for {@code ttl}, or extends it when this share holds it already;
   * returns whether it is this share's now. A lock is never released by time alone while its holder
   * keeps extending it; the registry extends it before every further attempt or redirect hop. A
   * share should also refuse when an outcome was stored since its last {@link #lookup} of the host
   * (another worker fetched meanwhile): the registry then looks again instead of fetching twice.
   */
  boolean tryTake(String hostKey, Duration ttl);

  /** Stores the host's final outcome, fetched now, and releases its fetch lock. */
  void store(String hostKey, Outcome outcome);

  /** What a robots.txt fetch came to, in a form any worker can use. */
  sealed interface Outcome {}

  /**
   * A 2xx robots.txt, as parsed: the body already cut to what is parsed.
   *
   * @param url the URL that answered (the last of its redirects)
   * @param contentType its {@code Content-Type}, empty when absent
   * @param body the bytes parsed (copied in and out)
   */
  record Body(String url, String contentType, byte[] body) implements Outcome {
    /** Copies the body; rejects nulls. */
    public Body {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(contentType, "contentType");
      body = Objects.requireNonNull(body, "body").clone();
    }

    /** A copy of the bytes parsed. */
    @Override
    public byte[] body() {
      return body.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Body b
          && url.equals(b.url)
          && contentType.equals(b.contentType)
          && Arrays.equals(body, b.body);
    }

    @Override
    public int hashCode() {
      return Objects.hash(url, contentType, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
      return "Body[" + url + ", " + body.length + " bytes]";
    }
  }

  /** No rules: a 4xx robots.txt, or more redirects than are followed (RFC 9309 §2.3.1). */
  record AllowAll() implements Outcome {}

  /**
   * robots.txt could not be had (every attempt failed, or the name did not resolve): the host's
   * URLs end as {@code ROBOTS_UNAVAILABLE} with this detail.
   *
   * @param detail why, e.g. {@code robots.txt: 503 after 3 attempts}
   */
  record Unreachable(String detail) implements Outcome {
    /** Rejects a null detail. */
    public Unreachable {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * A stored outcome.
   *
   * @param outcome what the fetch came to
   * @param age how long ago it was stored, on the store's clock (never negative)
   */
  record Stored(Outcome outcome, Duration age) {
    /** Rejects nulls; a negative age (clocks) counts as zero. */
    public Stored {
      Objects.requireNonNull(outcome, "outcome");
      age = Objects.requireNonNull(age, "age").isNegative() ? Duration.ZERO : age;
    }
  }
}
