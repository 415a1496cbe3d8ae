package io.duocrawl.common.frontier;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.robots.RobotsShare;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The URL frontier: what to fetch next, and when. Thread-safe; no method blocks its caller or
 * sleeps. Politeness is data: {@link #poll()} hands out only what is ready now, and {@link
 * #nanosUntilReady()} says how long until something will be; each engine waits in its own way.
 *
 * <p>Rules: dedup by normalized URL (a 64-bit {@linkplain #fingerprint fingerprint} per URL seen,
 * not the string); FIFO per host; round-robin across hosts; at most {@code perHostConcurrency}
 * requests in flight per host; at least the host's delay between two dispatches to the same host;
 * at most {@code maxPages} URLs accepted. Depth and scope are decided by the caller before {@link
 * #offer}.
 *
 * <p>Every accepted URL is, at any moment, exactly one of queued (ready or waiting for its host),
 * delayed (a retry with a not-before time), or in flight (polled, not yet completed) — until it is
 * completed for good. {@link #counts()} reports the three sizes.
 *
 * <h2>The contract, for whoever writes a frontier</h2>
 *
 * <p>The default is in memory ({@link #inMemory}); a journaled frontier (resume, {@code
 * io.duocrawl.common.state}) and frontiers that live outside the process (a shared store) implement
 * the same interface. All arguments and results are values. What a caller may rely on:
 *
 * <ul>
 *   <li><b>Threads.</b> Every method may be called from any thread, by many threads at once: engine
 *       workers, Reactor schedulers, Netty event loops (so no method may block on I/O for long, and
 *       none may wait for another caller). The session calls {@link #inheritedHosts()} once, before
 *       anything else, from the thread that opens it.
 *   <li><b>Atomic.</b> Each call is atomic on its own: {@link #offer} decides dedup and the {@code
 *       maxPages} budget in one step (two offers of one URL never both return {@link
 *       Offer#ACCEPTED}); {@link #poll} hands a request to exactly one caller; {@link #complete}
 *       and {@link #retryLater} end exactly one dispatch. Nothing is atomic across calls: the
 *       session offers a page's links <em>before</em> it completes the page, so that the frontier
 *       never looks exhausted while links are on their way in; a frontier must keep that order
 *       visible (a completion may not overtake the offers made before it by the same thread).
 *   <li><b>Eventually consistent.</b> {@link #counts()}, {@link #nanosUntilReady()} and {@link
 *       #isExhausted()} may lag behind other processes sharing the store (the in-memory frontier is
 *       exact). Their answers are hints for waiting, never promises: {@link #poll} is the only
 *       authority on whether work is ready. A shared frontier may answer {@link #nanosUntilReady()}
 *       with a short interval rather than empty when it cannot know.
 *   <li><b>Readiness that changes elsewhere.</b> Work may become ready without a call on this
 *       object (another worker offered it, a lease expired, a delay ran out in the store). Engines
 *       therefore never wait untimed on local wake-ups alone: an idle engine re-polls at least
 *       every ~100 ms, even after an empty {@link #nanosUntilReady()}. The in-memory frontier needs
 *       no such wake-up (an empty answer there is exact), so it costs it nothing.
 *   <li><b>Exhaustion decided elsewhere.</b> {@link #isExhausted()} means: nothing queued, delayed
 *       or in flight <em>anywhere</em> — for a shared store, nothing queued and nothing leased in
 *       the store, not only in this process. Once true it stays true unless someone offers again.
 *   <li><b>What a resume rebuilds.</b> A frontier opened over existing state reports, through
 *       {@link #inheritedHosts()}, the hosts it already holds requests for, so the session fetches
 *       their robots.txt again (and so their crawl delays) before any of their requests goes out. A
 *       request handed back with {@link #retryLater} carries its attempt ({@link
 *       CrawlRequest#attempt()}); a persistent frontier should keep it, so that a resumed URL makes
 *       the attempt it was due (the journaled one does). Backoff and host holds ({@link
 *       #delayHost}) are not state: a resumed host is held again by its next 429 or timeout.
 * </ul>
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

  /**
   * The 64-bit fingerprint frontiers dedup by: XXH64 of the URL's UTF-16LE bytes, seed 0. A
   * persistent or shared frontier stores these rather than the strings of URLs already done. Equal
   * strings have equal fingerprints in every process and version of the format.
   */
  static long fingerprint(String url) {
    return Fingerprint.of(Objects.requireNonNull(url, "url"));
  }

  /**
   * One request per host that this frontier already held before the session opened it (a resumed or
   * shared frontier), so the session can rebuild what it keeps per host: with robots on, it pauses
   * each such host and fetches its robots.txt again before any of its requests goes out. Called
   * once, by the session, before any {@link #poll}. The default, for a fresh frontier, is none.
   */
  default List<CrawlRequest> inheritedHosts() {
    return List.of();
  }

  /**
   * Where the workers sharing this frontier keep each host's robots.txt outcome, so one of them
   * fetches it and all use its rules (see {@link RobotsShare}). The session asks once, when it
   * opens. The default, for a frontier no other process shares, is {@link RobotsShare#none()}: the
   * session fetches every robots.txt itself.
   */
  default RobotsShare robotsShare() {
    return RobotsShare.none();
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
   * Offers several URLs, as {@link #offer} each in order (a URL repeated in the list is a {@link
   * Offer#DUPLICATE} the second time), and returns their outcomes in the same order. The default
   * offers them one by one; the in-memory frontier takes its lock once for the whole list, which is
   * what a page's links are offered through (one lock round instead of one per link).
   */
  default List<Offer> offerAll(List<CrawlRequest> requests) {
    List<Offer> offers = new ArrayList<>(requests.size());
    for (CrawlRequest request : requests) {
      offers.add(offer(request));
    }
    return offers;
  }

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
