package io.duocrawl.common.session;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.report.CrawlStats;
import io.duocrawl.common.robots.RobotsRules;
import io.duocrawl.common.robots.RobotsShare;
import io.duocrawl.common.url.UrlNormalizer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
 * host whose URLs the page budget refuses costs no fetch. What its answer means (rules, a retry, a
 * redirect hop, an unreachable host) is {@link RobotsResponses}'s to say.
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
  private final SharedRobots shared;
  private final RobotsResponses responses;
  private final ConcurrentHashMap<String, Entry> hosts = new ConcurrentHashMap<>();
  private final DueQueue<Due> due = new DueQueue<>();

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
    this.shared = new SharedRobots(frontier.robotsShare(), config);
    this.responses = new RobotsResponses(config, normalizer);
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
    due.add(next, next.at());
  }

  /**
   * The robots.txt request due now, if any. Makes the consults of the share that are due first (a
   * round trip each with a shared frontier): they end in rules from the share, in a wait, or in
   * this request.
   */
  Optional<FetchRequest> next() {
    while (true) {
      if (due.isEmpty()) {
        return Optional.empty(); // the common case, on every page dispatch: no lock, no clock
      }
      Due next = due.pollDue(clock.nanoTime());
      if (next == null) {
        return Optional.empty();
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
    return due.isEmpty() ? OptionalLong.empty() : due.nanosUntilDue(clock.nanoTime());
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
    if (entry == null || !(entry.state instanceof Fetching fetching)) {
      return;
    }
    // Read (and parsed) before the lock is taken: the lock stays a few field updates long. One
    // robots.txt request of a host is in flight at a time, so its state cannot move meanwhile.
    RobotsResponses.Step step =
        responses.read(fetching.url(), fetching.attempt(), fetching.hops(), response);
    RobotsShare.@Nullable Outcome outcome = null; // the final outcome, once there is one
    entry.lock.lock();
    try {
      if (entry.state != fetching) {
        return;
      }
      switch (step) {
        case RobotsResponses.Rules rules -> {
          known(entry, fetching.url(), rules.rules());
          outcome = rules.outcome();
        }
        case RobotsResponses.Retry retry -> {
          entry.state = new Fetching(fetching.url(), retry.attempt(), fetching.hops());
          stats.robotsFetched();
          schedule(entry, fetching.url(), clock.nanoTime() + retry.delay().toNanos());
        }
        case RobotsResponses.Hop hop -> {
          entry.state = new Fetching(hop.url(), 0, fetching.hops() + 1);
          stats.robotsFetched();
          schedule(entry, hop.url(), clock.nanoTime());
        }
        case RobotsResponses.GiveUp giveUp -> {
          log.info("{} unreachable, its URLs are not fetched: {}", fetching.url(), giveUp.detail());
          entry.state = new Unreachable(giveUp.detail());
          finished(entry, Duration.ZERO);
          outcome = new RobotsShare.Unreachable(giveUp.detail());
        }
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
