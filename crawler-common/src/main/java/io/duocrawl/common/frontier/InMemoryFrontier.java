package io.duocrawl.common.frontier;

import io.duocrawl.common.NanoClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory {@link Frontier}: one lock around plain structures, every operation O(1) or O(log
 * hosts) (O(log retries) for retries).
 *
 * <p>Scheduling: a host with queued work, no pause and a free slot is <em>schedulable</em>, and is
 * then either in {@code ready} (a FIFO ring of hosts whose delay is over: {@link #poll} takes the
 * head, dispatches its first request and puts it back at the tail, which is the round-robin) or in
 * {@code waiting} (a heap by the end of its politeness delay, moved to the ring when due). A host
 * that stops being schedulable while in the ring (paused, drained) is left there and dropped when
 * it reaches the head, so pausing never scans the ring.
 *
 * <p>Retries wait in {@link DelayedRetries}, a heap by not-before time; when due they go to the
 * <em>front</em> of their host's queue: the URL was accepted long ago and already waited its turn
 * once, so it should not queue again behind every URL found since (which could be thousands on a
 * big host); the retry policy's attempt limit bounds how often it can jump the line.
 *
 * <p>Dedup keeps only a 64-bit {@link Fingerprint} per accepted URL in a {@link FingerprintSet},
 * pre-sized from {@code maxPages} and growing one 1/256 segment at a time (no long copy under the
 * lock; 10.7 to 16 bytes per URL); requests themselves are held only while queued or delayed.
 * Fingerprints are computed before the lock is taken, so the critical sections are a few field
 * updates and array stores; an offer of a URL already seen (most links of a page) is answered from
 * a lock-free probe of the seen set and never takes the lock.
 *
 * <p>Why one lock: an offer, a poll and a complete each hold it for tens of nanoseconds (see
 * docs/benchmarks-frontier.md), far below the cost of the fetch each poll leads to, so striping by
 * host would buy nothing measurable and cost the simple global round-robin and counts. A {@link
 * ReentrantLock} rather than {@code synchronized} because on Java 21 a virtual thread waiting to
 * enter a monitor pins its carrier thread, while one waiting for this lock parks.
 *
 * <p>Fine print: a retry that has come due counts as delayed until the next {@link #poll} or {@link
 * #nanosUntilReady} moves it to its host queue; {@link #nanosUntilReady} counts a retry's due time
 * even when its host is paused (the worker wakes once for nothing, then gets an empty answer); a
 * {@link #pauseHost} is a flag, not a counter: one {@link #resumeHost} releases any number of
 * pauses; drained requests leave {@link #counts()} entirely (they were pending at stop).
 */
final class InMemoryFrontier implements Frontier {
  private final ReentrantLock lock = new ReentrantLock();
  private final NanoClock clock;
  private final int maxPages;
  private final int perHost;
  private final long configDelayNanos;

  private final Map<String, Host> hosts = new HashMap<>();
  private final ArrayDeque<Host> ready = new ArrayDeque<>();
  private final HostHeap waiting = new HostHeap();
  private final DelayedRetries delayed = new DelayedRetries();
  private final FingerprintSet seen;
  private final LongHashSet inFlightUrls = new LongHashSet(64);

  /** The clock read at most once per locked operation, and only when time matters; see now(). */
  private long now;

  private boolean nowRead;

  private long accepted;
  private long queued;
  private long inFlight;
  private long done;

  private InMemoryFrontier(int maxPages, int perHost, long delayNanos, NanoClock clock) {
    this.maxPages = maxPages;
    // Never more than maxPages fingerprints are kept (a URL over the budget is not remembered).
    this.seen = new FingerprintSet(maxPages);
    this.perHost = perHost;
    this.configDelayNanos = delayNanos;
    this.clock = clock;
  }

  static Frontier create(int maxPages, int perHost, Duration delay, NanoClock clock) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(clock, "clock");
    if (maxPages <= 0) {
      throw new IllegalArgumentException("maxPages must be > 0, was " + maxPages);
    }
    if (perHost <= 0) {
      throw new IllegalArgumentException("perHostConcurrency must be > 0, was " + perHost);
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("politenessDelay must be >= 0, was " + delay);
    }
    return new InMemoryFrontier(maxPages, perHost, saturatedNanos(delay), clock);
  }

  @Override
  public Offer offer(CrawlRequest request) {
    Objects.requireNonNull(request, "request");
    long fp = Fingerprint.of(request.url());
    if (seen.surelyContains(fp)) {
      return Offer.DUPLICATE;
    }
    enter();
    try {
      return add(request, fp);
    } finally {
      lock.unlock();
    }
  }

  /**
   * One lock round for the whole list, and none for the URLs already seen: at C = 1,024 platform
   * threads the per-link rounds of a page's links were most of the frontier lock's contention (JFR:
   * 5,325 parks of over 20 ms in an 8 s run, all in {@code enter}), and most links of a page are
   * duplicates (7 in 8 on the bench site). A duplicate answered before the lock is what the lock
   * would have answered: a seen URL is a duplicate whatever the budget.
   */
  @Override
  public List<Offer> offerAll(List<CrawlRequest> requests) {
    long[] fps = new long[requests.size()];
    Offer[] offers = new Offer[fps.length];
    boolean unknown = false;
    for (int i = 0; i < fps.length; i++) {
      fps[i] = Fingerprint.of(Objects.requireNonNull(requests.get(i), "request").url());
      if (seen.surelyContains(fps[i])) {
        offers[i] = Offer.DUPLICATE;
      } else {
        unknown = true;
      }
    }
    if (unknown) {
      enter();
      try {
        for (int i = 0; i < fps.length; i++) {
          if (offers[i] == null) {
            offers[i] = add(requests.get(i), fps[i]);
          }
        }
      } finally {
        lock.unlock();
      }
    }
    return Arrays.asList(offers);
  }

  /** Dedups and queues one request; the lock is held. */
  private Offer add(CrawlRequest request, long fp) {
    // Duplicate wins over max-pages: a URL seen before is reported as such even once the crawl
    // is full, and a URL turned away for max-pages is not remembered, so it stays MAX_PAGES.
    if (accepted >= maxPages) {
      return seen.contains(fp) ? Offer.DUPLICATE : Offer.MAX_PAGES;
    }
    if (!seen.add(fp)) {
      return Offer.DUPLICATE;
    }
    accepted++;
    queued++;
    Host host = host(request.hostKey());
    host.addLast(request, fp);
    place(host);
    return Offer.ACCEPTED;
  }

  @Override
  public void retryLater(CrawlRequest request, long notBeforeNanos) {
    Objects.requireNonNull(request, "request");
    long fp = Fingerprint.of(request.url());
    enter();
    try {
      Host host = release(request, fp, "retryLater");
      delayed.add(request, fp, notBeforeNanos);
      place(host);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<CrawlRequest> poll() {
    enter();
    try {
      advance();
      Host host = readyHead();
      if (host == null) {
        return Optional.empty();
      }
      ready.pollFirst();
      host.slot = Host.NONE;
      long fp = host.firstFingerprint();
      CrawlRequest request = host.removeFirst();
      inFlightUrls.add(fp);
      host.inFlight++;
      host.dispatched = true;
      if (host.delayNanos != 0) {
        // Only a delayed host needs the time of its dispatch; see resumeHost for the other case.
        host.lastDispatch = now();
      }
      queued--;
      inFlight++;
      place(host);
      return Optional.of(request);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void complete(CrawlRequest request) {
    Objects.requireNonNull(request, "request");
    long fp = Fingerprint.of(request.url());
    enter();
    try {
      Host host = release(request, fp, "complete");
      done++;
      place(host);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public OptionalLong nanosUntilReady() {
    enter();
    try {
      advance();
      if (readyHead() != null) {
        return OptionalLong.of(0);
      }
      // After advance() both heads lie in the future, so both differences are positive.
      long wait = Long.MAX_VALUE;
      if (!waiting.isEmpty()) {
        wait = waiting.peek().readyAt() - now();
      }
      if (!delayed.isEmpty()) {
        wait = Math.min(wait, delayed.firstDue() - now());
      }
      return wait == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(wait);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isExhausted() {
    enter();
    try {
      return queued == 0 && delayed.isEmpty() && inFlight == 0;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void pauseHost(String hostKey) {
    Objects.requireNonNull(hostKey, "hostKey");
    enter();
    try {
      Host host = host(hostKey);
      host.paused = true;
      if (host.slot == Host.WAITING) {
        waiting.remove(host);
        host.slot = Host.NONE;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void resumeHost(String hostKey, Duration delay) {
    Objects.requireNonNull(hostKey, "hostKey");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delay);
    }
    enter();
    try {
      Host host = host(hostKey);
      // The heap is keyed by the end of the delay, so leave it before the delay changes.
      if (host.slot == Host.WAITING) {
        waiting.remove(host);
        host.slot = Host.NONE;
      }
      long newDelay = Math.max(configDelayNanos, saturatedNanos(delay));
      if (host.delayNanos == 0 && newDelay != 0 && host.dispatched) {
        // Dispatches without a delay do not record their time; count the new delay from now,
        // which can only be later than from the true last dispatch, never earlier.
        host.lastDispatch = now();
      }
      host.delayNanos = newDelay;
      host.paused = false;
      place(host);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void delayHost(String hostKey, long notBeforeNanos) {
    Objects.requireNonNull(hostKey, "hostKey");
    enter();
    try {
      Host host = host(hostKey);
      if (host.held && host.heldUntil - notBeforeNanos >= 0) {
        return;
      }
      // The heap is keyed by the ready time, so leave it before the time changes.
      if (host.slot == Host.WAITING) {
        waiting.remove(host);
        host.slot = Host.NONE;
      }
      host.held = true;
      host.heldUntil = notBeforeNanos;
      place(host);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Counts counts() {
    enter();
    try {
      return new Counts(accepted, queued, delayed.size(), inFlight, done);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<CrawlRequest> drain() {
    enter();
    try {
      List<CrawlRequest> out = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, pending()));
      for (Host host : hosts.values()) {
        host.drainTo(out);
        host.slot = Host.NONE;
      }
      ready.clear();
      waiting.clear();
      delayed.drainTo(out);
      queued = 0;
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    Counts c = counts();
    return "InMemoryFrontier" + c;
  }

  private long pending() {
    return queued + delayed.size();
  }

  private Host host(String key) {
    Host host = hosts.get(key);
    if (host == null) {
      host = new Host(key, configDelayNanos);
      hosts.put(key, host);
    }
    return host;
  }

  /** Ends the dispatch of an in-flight request: frees its URL and its host slot. */
  private Host release(CrawlRequest request, long fp, String operation) {
    Host host = hosts.get(request.hostKey());
    if (host == null || host.inFlight == 0 || !inFlightUrls.remove(fp)) {
      throw new IllegalStateException(
          operation
              + " called for a request that is not in flight (never polled, or already"
              + " completed): "
              + request.url());
    }
    host.inFlight--;
    inFlight--;
    return host;
  }

  /** Takes the lock and forgets the previous operation's clock reading. */
  private void enter() {
    lock.lock();
    nowRead = false;
  }

  /**
   * The clock, read once per operation and only when needed: with no politeness delay and no
   * retries pending, a poll never reads it (a {@code nanoTime} call costs about as much as the rest
   * of the poll).
   */
  private long now() {
    if (!nowRead) {
      now = clock.nanoTime();
      nowRead = true;
    }
    return now;
  }

  /** Past its politeness delay (nanoTime-safe comparison). */
  private boolean timeReady(Host host) {
    if (host.held && now() - host.heldUntil < 0) {
      return false;
    }
    return !host.dispatched || host.delayNanos == 0 || now() - host.readyAt() >= 0;
  }

  /** Moves due retries to the front of their host queues and due hosts to the ready ring. */
  private void advance() {
    if (delayed.isEmpty() && waiting.isEmpty()) {
      return;
    }
    long now = now();
    DelayedRetries.Retry retry;
    while ((retry = delayed.pollDue(now)) != null) {
      Host host = host(retry.request().hostKey());
      host.addFirst(retry.request(), retry.fingerprint());
      queued++;
      place(host);
    }
    while (!waiting.isEmpty() && now - waiting.peek().readyAt() >= 0) {
      Host host = waiting.poll();
      host.slot = Host.READY;
      ready.addLast(host);
    }
  }

  /**
   * The first host of the ready ring that can dispatch now, or null. Stale heads (paused, drained
   * or at cap since they joined) leave the ring; a head whose delay was raised by {@link
   * #resumeHost} moves to the waiting heap. Each host leaves at most once per entry, so this is
   * amortized O(1).
   */
  private @Nullable Host readyHead() {
    Host host;
    while ((host = ready.peekFirst()) != null) {
      if (!host.schedulable(perHost)) {
        ready.pollFirst();
        host.slot = Host.NONE;
      } else if (!timeReady(host)) {
        ready.pollFirst();
        host.slot = Host.WAITING;
        waiting.add(host);
      } else {
        return host;
      }
    }
    return null;
  }

  /**
   * Puts a host that may have become schedulable where the scheduler will find it. A host already
   * in the ring or the heap stays where it is (a stale ring entry is re-checked at the head).
   */
  private void place(Host host) {
    if (host.slot != Host.NONE || !host.schedulable(perHost)) {
      return;
    }
    if (timeReady(host)) {
      host.slot = Host.READY;
      ready.addLast(host);
    } else {
      host.slot = Host.WAITING;
      waiting.add(host);
    }
  }

  /**
   * The delay in nanoseconds, capped at about 73 years so that {@code lastDispatch + delay} cannot
   * overflow.
   */
  private static long saturatedNanos(Duration d) {
    long cap = Long.MAX_VALUE >> 2;
    return d.compareTo(Duration.ofNanos(cap)) >= 0 ? cap : d.toNanos();
  }
}
