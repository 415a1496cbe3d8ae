package io.duocrawl.common.frontier;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The URL frontier: what to fetch next, and when. Thread-safe; no method blocks its caller or
 * sleeps. Politeness is data: {@link #poll()} hands out only what is ready now, and {@link
 * #nanosUntilReady()} says how long until something will be; each engine waits in its own way.
 *
 * <p>Rules: dedup by normalized URL (a 64-bit fingerprint per URL seen, not the string); FIFO per
 * host; round-robin across hosts; at most {@code perHostConcurrency} requests in flight per host;
 * at least the host's delay between two dispatches to the same host; at most {@code maxPages} URLs
 * accepted. Depth and scope are decided by the caller before {@link #offer}.
 *
 * <p>Every accepted URL is, at any moment, exactly one of queued (ready or waiting for its host),
 * delayed (a retry with a not-before time), or in flight (polled, not yet completed) — until it is
 * completed for good. {@link #counts()} reports the three sizes.
 *
 * <p>The default is in memory ({@link #inMemory}); the interface is shaped so a persistent or
 * shared frontier (a journal for resume, a frontier service) can implement it later: all arguments
 * and results are values.
 *
 * <pre>{@code
 * Frontier f = Frontier.inMemory(config, NanoClock.system());
 * f.offer(CrawlRequest.of("http://a.test/", "a.test:80", 0));
 * Optional<CrawlRequest> next = f.poll();   // ready now?
 * next.ifPresent(r -> { fetch(r); f.complete(r); });
 * }</pre>
 */
public interface Frontier {

  /**
   * An in-memory frontier using {@code config.maxPages()}, {@code config.perHostConcurrency()} and
   * {@code config.politenessDelay()}.
   */
  static Frontier inMemory(CrawlConfig config, NanoClock clock) {
    return InMemoryFrontier.create(
        config.maxPages(), config.perHostConcurrency(), config.politenessDelay(), clock);
  }

  /** What {@link #offer} did with a request. */
  enum Offer {
    /** New URL, now queued. */
    ACCEPTED,
    /** Seen before (queued, in flight, done, or failed). */
    DUPLICATE,
    /** {@code maxPages} URLs were already accepted. */
    MAX_PAGES
  }

  /** Offers a newly discovered URL; dedups and counts it against {@code maxPages}. */
  Offer offer(CrawlRequest request);

  /**
   * Puts back a request that was polled and is to be tried again no earlier than {@code
   * notBeforeNanos} (on the frontier's clock): a retry, or a 429 with {@code Retry-After}. Not a
   * new URL: no dedup, no new accept. Also completes the earlier dispatch, so do not call {@link
   * #complete} for it.
   */
  void retryLater(CrawlRequest request, long notBeforeNanos);

  /**
   * The next request ready now, if any: its host is not paused, under its in-flight cap, and past
   * its politeness delay, and (for a retry) past its not-before time. The request is then in flight
   * until {@link #complete} or {@link #retryLater}.
   */
  Optional<CrawlRequest> poll();

  /** Ends a polled request for good; frees its host slot. */
  void complete(CrawlRequest request);

  /**
   * Nanoseconds until a request will be ready: 0 if one is ready now, empty if nothing is queued or
   * delayed that could become ready by time alone (everything left is in flight, or on paused
   * hosts, or nothing is left). After an empty answer, readiness changes only through {@link
   * #offer}, {@link #complete}, {@link #retryLater} or {@link #resumeHost}.
   */
  OptionalLong nanosUntilReady();

  /** Nothing queued, delayed or in flight. */
  boolean isExhausted();

  /**
   * Holds every request of a host (known yet or not) until {@link #resumeHost}: used while the
   * host's robots.txt is being fetched.
   */
  void pauseHost(String hostKey);

  /**
   * Releases a paused host and sets its politeness delay to {@code max(config delay, delay)} (a
   * robots.txt {@code Crawl-delay}).
   */
  void resumeHost(String hostKey, Duration delay);

  /**
   * Holds every request of a host (queued, retries that come due, and URLs offered later) until
   * {@code notBeforeNanos} on the frontier's clock: for a host that asked to slow down (429, {@code
   * Retry-After}) or stopped answering. Requests in flight are not affected; politeness still
   * applies after the hold. A hold only ever lengthens: a call with an earlier time than the
   * current hold does nothing. Independent of {@link #pauseHost}: a paused host stays paused past
   * the hold.
   */
  void delayHost(String hostKey, long notBeforeNanos);

  /** Current sizes, consistent with each other. */
  Counts counts();

  /**
   * Removes and returns every queued and delayed request (for the report at stop). In-flight
   * requests stay in flight until completed.
   */
  List<CrawlRequest> drain();

  /**
   * Frontier sizes at one moment.
   *
   * @param accepted URLs accepted since the start
   * @param queued requests waiting for their host
   * @param delayed retries waiting for their not-before time
   * @param inFlight requests polled and not yet completed
   * @param done requests completed for good
   */
  record Counts(long accepted, long queued, long delayed, long inFlight, long done) {
    /** Requests not yet done. */
    public long pending() {
      return queued + delayed + inFlight;
    }
  }
}
