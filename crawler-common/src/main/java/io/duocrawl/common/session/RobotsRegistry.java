package io.duocrawl.common.session;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.report.CrawlStats;
import io.duocrawl.common.robots.RobotsRules;
import io.duocrawl.common.robots.RobotsShare;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the session knows about robots.txt, per host (politeness key), following RFC 9309:
 * when to fetch it, what to do with what came back, and how long the rules hold. Thread-safe; no
 * method blocks (locks, not monitors, so a virtual thread never pins its carrier here; the dispatch
 * path {@link #next} takes no lock at all while no robots.txt is due).
 *
 * <p>A host's life here: {@link #prepare} (before its first URL is offered) pauses it in the
 * frontier; {@link #accepted} (once a URL of it was accepted) queues its robots.txt fetch, so a
 * host whose URLs the page budget refuses costs no fetch. The fetch's answer:
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
 *
 * <p>Rules are kept for at most {@link CrawlConfig#robotsMaxAge()} (24 h by default, §2.4): the
 * first URL of the host dispatched after that re-fetches them, and the host waits again. {@link
 * #refetch} does the same on demand: a resumed crawl, which does not persist rules, calls it for a
 * host to rebuild them.
 *
 * <p>Workers of a shared crawl share the outcomes through the frontier's {@link RobotsShare}:
 * before a fetch the registry looks the host up there (a queued <em>consult</em>, made from {@link
 * #next}, so no offer or completion waits on it). An outcome not older than {@code robotsMaxAge} is
 * used without a fetch (its age counts against the max age here too); else the worker that takes
 * the host's fetch lock fetches and stores the final outcome, and the others keep the host paused
 * and consult again after a short wait ({@link SharedRobots#waitNanos}) until the outcome is stored
 * or the lock, left by a worker that died, expires and they take it. Only the worker that fetched
 * reads the file's {@code Sitemap:} lines: the sitemaps are read once per crawl, not once per
 * worker (if that worker dies before it read them, their URLs come only from links). A use of
 * shared rules is not a robots.txt fetch in the statistics. With {@link RobotsShare#none()} (every
 * frontier of one process) the consult always says "fetch", in the same {@link #next} call.
 */
final class RobotsRegistry {
  private static final Logger log = LoggerFactory.getLogger(RobotsRegistry.class);

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

  /** What {@link #check} says about a polled URL. */
  enum Verdict {
    /** The rules allow it. */
    ALLOW,
    /** The rules disallow it. */
    DISALLOW,
    /** robots.txt could not be had; see {@link #unreachableDetail}. */
    UNREACHABLE,
    /** The rules are being (re-)fetched: put the URL back, its host is paused. */
    WAIT
  }

  private sealed interface State {}

  /** Paused, nothing fetched yet: no URL of the host was accepted. */
  private record Unrequested() implements State {}

  /** A fetch queued or in flight: attempt (0-based) of the current URL, hops followed so far. */
  private record Fetching(String url, int attempt, int hops) implements State {}

  private record Known(RobotsRules rules, long fetchedAt) implements State {}

  private record Unreachable(String detail) implements State {}

  private static final class Entry {
    final String hostKey;
    final String robotsUrl;
    final ReentrantLock lock = new ReentrantLock();
    volatile State state = new Unrequested();

    Entry(String hostKey, String robotsUrl) {
      this.hostKey = hostKey;
      this.robotsUrl = robotsUrl;
    }
  }

  /**
   * A robots.txt request due at {@code at}, or, with {@code consult}, a look at the share due then
   * ({@code waits}: looks so far that found another worker's lock).
   */
  private record Due(Entry entry, String url, long at, boolean consult, int waits) {}

  private final CrawlConfig config;
  private final Frontier frontier;
  private final NanoClock clock;
  private final CrawlStats stats;
  private final UrlNormalizer normalizer;
  private final SharedRobots shared;
  private final ConcurrentHashMap<String, Entry> hosts = new ConcurrentHashMap<>();
  private final PriorityQueue<Due> due =
      new PriorityQueue<>((a, b) -> Long.compare(a.at() - b.at(), 0));
  private final ReentrantLock dueLock = new ReentrantLock();

  /** {@code due.size()}, readable without the lock: most calls of {@link #next} find it 0. */
  private volatile int dueSize;

  private final AtomicInteger outstanding = new AtomicInteger();

  /** Told the {@code Sitemap:} lines of every robots.txt read; set once, before any fetch. */
  private volatile java.util.function.Consumer<java.util.List<String>> sitemaps = urls -> {};

  RobotsRegistry(
      CrawlConfig config,
      Frontier frontier,
      NanoClock clock,
      CrawlStats stats,
      UrlNormalizer normalizer) {
    this.config = config;
    this.frontier = frontier;
    this.clock = clock;
    this.stats = stats;
    this.normalizer = normalizer;
    this.shared = new SharedRobots(frontier.robotsShare(), config);
  }

  /** Sets who is told the {@code Sitemap:} lines of each robots.txt read. */
  void onSitemaps(java.util.function.Consumer<java.util.List<String>> sitemaps) {
    this.sitemaps = sitemaps;
  }

  /** Whether the host was prepared before. */
  boolean knows(String hostKey) {
    return hosts.containsKey(hostKey);
  }

  /**
   * Before a URL of the host is offered: pauses a host not seen before, so none of its URLs is
   * handed out before its rules exist. Atomic per host.
   */
  void prepare(String hostKey, String url) {
    hosts.computeIfAbsent(
        hostKey,
        key -> {
          frontier.pauseHost(key);
          return new Entry(key, robotsUrl(url));
        });
  }

  /** After a URL of a prepared host was accepted: queues its robots.txt fetch, once. */
  void accepted(String hostKey) {
    Entry entry = hosts.get(hostKey);
    if (entry != null && entry.state instanceof Unrequested) {
      entry.lock.lock();
      try {
        if (entry.state instanceof Unrequested) {
          startFetch(entry);
        }
      } finally {
        entry.lock.unlock();
      }
    }
  }

  /**
   * Forgets the host's rules and fetches them again; its URLs wait meanwhile. For rules that grew
   * old, and for a resumed crawl rebuilding what it did not persist. A host never prepared is
   * prepared first.
   */
  void refetch(String hostKey, String anyUrlOfHost) {
    prepare(hostKey, anyUrlOfHost);
    Entry entry = hosts.get(hostKey);
    entry.lock.lock();
    try {
      if (!(entry.state instanceof Fetching)) {
        frontier.pauseHost(hostKey);
        startFetch(entry);
      }
    } finally {
      entry.lock.unlock();
    }
  }

  private void startFetch(Entry entry) {
    entry.state = new Fetching(entry.robotsUrl, 0, 0);
    outstanding.incrementAndGet();
    schedule(new Due(entry, entry.robotsUrl, clock.nanoTime(), true, 0));
  }

  private void schedule(Entry entry, String url, long at) {
    schedule(new Due(entry, url, at, false, 0));
  }

  private void schedule(Due next) {
    dueLock.lock();
    try {
      due.add(next);
      dueSize = due.size();
    } finally {
      dueLock.unlock();
    }
  }

  /**
   * The robots.txt request due now, if any. Makes the consults of the share that are due first (a
   * round trip each with a shared frontier): they end in rules from the share, in a wait, or in
   * this request.
   */
  Optional<FetchRequest> next() {
    while (true) {
      if (dueSize == 0) {
        return Optional.empty(); // the common case, on every page dispatch: no lock, no clock
      }
      long now = clock.nanoTime();
      Due next;
      dueLock.lock();
      try {
        Due head = due.peek();
        if (head == null || head.at() - now > 0) {
          return Optional.empty();
        }
        next = due.poll();
        dueSize = due.size();
      } finally {
        dueLock.unlock();
      }
      if (next.consult() ? consult(next) : renewed(next)) {
        return Optional.of(
            new FetchRequest(
                next.url(),
                FetchRequest.Kind.ROBOTS,
                null,
                next.entry().hostKey,
                clock.nanoTime(),
                config.request()));
      }
    }
  }

  /** Asks the share about the host; returns whether this worker is to fetch now. */
  private boolean consult(Due consult) {
    Entry entry = consult.entry();
    SharedRobots.Answer answer = shared.consult(entry.hostKey);
    if (answer instanceof SharedRobots.Use use) {
      useShared(entry, use.stored());
      return false;
    }
    if (answer instanceof SharedRobots.Wait) {
      log.debug("robots.txt of {} is being fetched by another worker: waiting", entry.hostKey);
      long at = clock.nanoTime() + SharedRobots.waitNanos(consult.waits());
      schedule(new Due(entry, consult.url(), at, true, consult.waits() + 1));
      return false;
    }
    return true;
  }

  /** Before a further attempt or redirect hop: extends this worker's fetch lock. */
  private boolean renewed(Due fetch) {
    if (shared.active()
        && fetch.entry().state instanceof Fetching f
        && (f.attempt() > 0 || f.hops() > 0)) {
      shared.renew(fetch.entry().hostKey);
    }
    return true;
  }

  /** Rules another worker fetched: used as if fetched here {@code stored.age()} ago. */
  private void useShared(Entry entry, RobotsShare.Stored stored) {
    long fetchedAt = clock.nanoTime() - stored.age().toNanos();
    // Parsed before the lock is taken, as a fetched body is.
    State state =
        switch (stored.outcome()) {
          case RobotsShare.Body b ->
              new Known(
                  RobotsRules.parse(
                      b.url(), 200, b.body(), b.contentType(), config.robotsAgentName()),
                  fetchedAt);
          case RobotsShare.AllowAll a -> new Known(RobotsRules.allowAll(), fetchedAt);
          case RobotsShare.Unreachable u -> new Unreachable(u.detail());
        };
    entry.lock.lock();
    try {
      if (!(entry.state instanceof Fetching)) {
        return; // ended otherwise, which ended it as outstanding too
      }
      log.debug("robots.txt of {} from the share ({} old): {}", entry.hostKey, stored.age(), state);
      entry.state = state;
      frontier.resumeHost(
          entry.hostKey, state instanceof Known known ? crawlDelay(known.rules()) : Duration.ZERO);
    } finally {
      entry.lock.unlock();
    }
    outstanding.decrementAndGet();
  }

  /** Nanoseconds until a robots.txt request is due; empty when none is queued. */
  OptionalLong nanosUntilDue() {
    if (dueSize == 0) {
      return OptionalLong.empty();
    }
    dueLock.lock();
    try {
      Due head = due.peek();
      return head == null
          ? OptionalLong.empty()
          : OptionalLong.of(Math.max(0, head.at() - clock.nanoTime()));
    } finally {
      dueLock.unlock();
    }
  }

  /** Whether no robots.txt is being fetched or waiting for a retry. */
  boolean idle() {
    return outstanding.get() == 0;
  }

  /** What the host's rules say about a polled URL; starts a re-fetch of rules that grew old. */
  Verdict check(CrawlRequest request) {
    Entry entry = hosts.get(request.hostKey());
    if (entry == null) {
      // A host this session never offered: another worker of a shared frontier did. Its rules
      // are fetched here too before any of its URLs goes out.
      refetch(request.hostKey(), request.url());
      return Verdict.WAIT;
    }
    State state = entry.state;
    if (state instanceof Known known) {
      if (clock.nanoTime() - known.fetchedAt() > config.robotsMaxAge().toNanos()) {
        log.debug("robots.txt of {} is older than {}: fetching it again", entry.hostKey, maxAge());
        refetch(entry.hostKey, request.url());
        return Verdict.WAIT;
      }
      return known.rules().isAllowed(request.url()) ? Verdict.ALLOW : Verdict.DISALLOW;
    }
    if (state instanceof Unreachable) {
      return Verdict.UNREACHABLE;
    }
    if (state instanceof Unrequested) {
      // Its URLs were accepted by another worker of a shared frontier (here they were duplicates):
      // fetch the rules here too.
      accepted(request.hostKey());
    }
    return Verdict.WAIT;
  }

  private Duration maxAge() {
    return config.robotsMaxAge();
  }

  /** Why the host's robots.txt could not be had; empty unless {@link #check} said UNREACHABLE. */
  String unreachableDetail(String hostKey) {
    Entry entry = hosts.get(hostKey);
    return entry != null && entry.state instanceof Unreachable u ? u.detail() : "";
  }

  /** Takes back a robots.txt response: rules, a retry, a redirect hop, or an unreachable host. */
  void complete(FetchRequest request, FetchResponse response) {
    Entry entry = hosts.get(request.hostKey());
    if (entry == null) {
      return;
    }
    boolean body =
        response.error().isEmpty()
            && response.status() >= 200
            && response.status() < 300
            && !response.truncated();
    // Parsed before the lock is taken: the lock stays a few field updates long.
    byte[] parseable = body ? parseable(response) : null;
    RobotsRules parsed =
        parseable == null
            ? null
            : RobotsRules.parse(
                request.url(),
                response.status(),
                parseable,
                response.contentType(),
                config.robotsAgentName());
    RobotsShare.@Nullable Outcome outcome; // the final outcome; null while the fetch goes on
    entry.lock.lock();
    try {
      if (!(entry.state instanceof Fetching fetching)) {
        return;
      }
      if (response.error().isPresent()) {
        FetchError error = response.error().get();
        String cause = error + (response.detail().isEmpty() ? "" : " (" + response.detail() + ")");
        outcome = retryOrGiveUp(entry, fetching, error != FetchError.UNKNOWN_HOST, cause);
      } else if (response.status() >= 200 && response.status() < 300 && response.truncated()) {
        outcome =
            retryOrGiveUp(entry, fetching, false, "body larger than " + READ_LIMIT + " bytes");
      } else if (parsed != null) {
        known(entry, request.url(), parsed);
        outcome =
            shared.active()
                ? new RobotsShare.Body(request.url(), response.contentType(), parseable)
                : new RobotsShare.AllowAll(); // not shared: no copy of the body
      } else if (response.status() >= 300 && response.status() < 400) {
        outcome = redirect(entry, fetching, response);
      } else if (response.status() >= 500) {
        outcome = retryOrGiveUp(entry, fetching, true, String.valueOf(response.status()));
      } else {
        known(entry, request.url(), RobotsRules.allowAll());
        outcome = new RobotsShare.AllowAll();
      }
    } finally {
      entry.lock.unlock();
    }
    if (outcome != null) {
      // Stored before the fetch stops being outstanding: the crawl cannot end (and close the
      // share) while the other workers wait for it.
      shared.store(entry.hostKey, outcome);
      outstanding.decrementAndGet();
    }
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

  private RobotsShare.@Nullable Outcome redirect(
      Entry entry, Fetching fetching, FetchResponse response) {
    Optional<UrlCheck> target =
        response.location().map(location -> normalizer.resolve(fetching.url(), location));
    if (target.isEmpty()
        || !(target.get() instanceof UrlCheck.Valid valid)
        || fetching.hops() >= MAX_HOPS) {
      // RFC 9309 §2.3.1.2: past five hops (or nowhere to go) robots.txt counts as unavailable,
      // which means no rules.
      log.debug("robots.txt of {}: redirect not followed, allowing all", entry.hostKey);
      known(entry, fetching.url(), RobotsRules.allowAll());
      return new RobotsShare.AllowAll();
    }
    entry.state = new Fetching(valid.url(), 0, fetching.hops() + 1);
    stats.robotsFetched();
    schedule(entry, valid.url(), clock.nanoTime());
    return null;
  }

  private RobotsShare.@Nullable Outcome retryOrGiveUp(
      Entry entry, Fetching fetching, boolean retryable, String cause) {
    RetryPolicy policy = config.retry();
    int attempts = fetching.attempt() + 1;
    if (retryable && fetching.attempt() < policy.maxRetries()) {
      Duration delay = policy.backoff(attempts);
      log.debug("robots.txt {} answered {}; retry in {}", fetching.url(), cause, delay);
      entry.state = new Fetching(fetching.url(), attempts, fetching.hops());
      stats.robotsFetched();
      schedule(entry, fetching.url(), clock.nanoTime() + delay.toNanos());
      return null;
    }
    String detail =
        "robots.txt: " + cause + " after " + attempts + (attempts == 1 ? " attempt" : " attempts");
    log.info("{} unreachable, its URLs are not fetched: {}", fetching.url(), detail);
    entry.state = new Unreachable(detail);
    finished(entry, Duration.ZERO);
    return new RobotsShare.Unreachable(detail);
  }

  private void known(Entry entry, String url, RobotsRules rules) {
    log.debug("robots.txt {} -> {}", url, rules);
    entry.state = new Known(rules, clock.nanoTime());
    // Before finished(): the sitemaps are outstanding before this robots.txt stops being.
    List<String> listed = rules.sitemaps();
    if (!listed.isEmpty()) {
      sitemaps.accept(listed);
    }
    finished(entry, crawlDelay(rules));
  }

  private Duration crawlDelay(RobotsRules rules) {
    return rules
        .crawlDelay()
        .map(d -> d.compareTo(config.maxCrawlDelay()) > 0 ? config.maxCrawlDelay() : d)
        .orElse(Duration.ZERO);
  }

  /** A fetch here came to its final outcome; the caller ends it as outstanding after sharing it. */
  private void finished(Entry entry, Duration delay) {
    frontier.resumeHost(entry.hostKey, delay);
    stats.robotsFetched();
  }

  private static String robotsUrl(String url) {
    int schemeEnd = url.indexOf("://");
    int pathStart = url.indexOf('/', schemeEnd + 3);
    return (pathStart < 0 ? url : url.substring(0, pathStart)) + "/robots.txt";
  }
}
