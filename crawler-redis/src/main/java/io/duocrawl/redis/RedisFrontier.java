package io.duocrawl.redis;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Frontier} on Redis Cluster, shared by every worker (any engine, any machine) that opens
 * the same crawl id. Design and failure semantics: docs/distributed.md.
 *
 * <p>Hosts are sharded into buckets ({@code N = hash(hostKey) mod buckets}); a bucket's keys share
 * one hash tag, so its queue, ready index, host state (politeness clock, in-flight count, delay,
 * hold, pause) and leases live in one slot and each Lua script (EVALSHA, EVAL again on NOSCRIPT)
 * touches one slot, every key declared. {@link #poll} claims a small batch from a due bucket in one
 * script — the due hosts, the next URL of each, a lease with an expiry and a fencing token, the
 * host's next-ready time pushed by its politeness delay, the per-host cap held across all workers —
 * and hands it out locally; the batch is leased in the store, so a killed worker loses nothing: its
 * leases expire and the reaper (run by every claim on its bucket) queues them again. A completion
 * whose lease was reclaimed meanwhile is refused by its token (counted as a stale ack).
 *
 * <p>Time: leases, politeness, holds, pauses and retry times are kept in the store in milliseconds
 * of the Redis server's clock ({@code TIME}, read inside the scripts), never a worker's. At this
 * boundary a {@link NanoClock} time from the caller ({@link #retryLater}, {@link #delayHost}) is
 * turned into a delay from now ({@code ceil((t - clock.nanoTime()) / 1e6)} ms), and the script adds
 * it to the server's now. Precision is therefore 1 ms.
 *
 * <p>Dedup: a set of 64-bit {@linkplain Frontier#fingerprint fingerprints} per bucket, split into
 * shards small enough (≤ ~200 each, under Redis' default {@code set-max-intset-entries} 512) to
 * stay intsets: about 8 bytes per URL seen. {@code maxPages} is a counter in the cluster: an offer
 * reserves a page (INCR) after its dedup check, a duplicate found at enqueue gives it back.
 * Completion: {@link #isExhausted} sums every bucket's queued, delayed and leased counts, and
 * checks the global accepted counter did not move meanwhile (an offer's enqueue happens before its
 * page's completion, so a sweep that missed one sees the counter move).
 *
 * <p>Eventually consistent, as the contract allows: {@link #counts()} and {@link #isExhausted} are
 * cached for {@value #SWEEP_CACHE_MS} ms; {@link #nanosUntilReady()} is a hint of at most {@value
 * #IDLE_RECHECK_MS} ms while nothing is claimed locally. {@link #drain()} gives this worker's
 * unstarted batch back to the store and returns nothing: the store's queue is shared, not this
 * worker's to empty.
 */
public final class RedisFrontier implements Frontier {
  private static final Logger log = LoggerFactory.getLogger(RedisFrontier.class);

  private static final Pattern CRAWL_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int SEEN_PER_SHARD = 200;
  static final long SWEEP_CACHE_MS = 100;
  static final long IDLE_RECHECK_MS = 20;
  static final long IDLE_MAX_MS = 100;
  static final long STATS_EVERY_MS = 10_000;
  static final long FLUSH_MS = 5;

  private static final int SEEN_CACHE = 1 << 17;

  /**
   * How a worker uses the shared frontier.
   *
   * @param buckets host buckets of a new crawl (a crawl keeps the count it was created with)
   * @param lease how long a claimed URL stays leased to this worker before it may go to another
   * @param giveUp how long a command is retried while the cluster does not answer
   * @param pauseTtl how long a {@link #pauseHost} holds at most when no resume comes (its worker
   *     died while fetching robots.txt)
   * @param claimBatch URLs claimed at most per round trip; 0: from the crawl's concurrency
   * @param renewFor how long after its claim a lease is renewed while its URL is in flight here (a
   *     long fetch keeps its lease; a worker hung longer loses it); zero: leases are not renewed
   */
  public record Settings(
      int buckets,
      Duration lease,
      Duration giveUp,
      Duration pauseTtl,
      int claimBatch,
      Duration renewFor) {
    /** The default lease: 30 s. */
    public static final Duration LEASE = Duration.ofSeconds(30);

    /** The default time commands are retried before giving up: 60 s. */
    public static final Duration GIVE_UP = Duration.ofSeconds(60);

    /** Checks the fields. */
    public Settings {
      if (buckets < 1 || buckets > 1 << 20) {
        throw new IllegalArgumentException("buckets must be in 1..1048576, was " + buckets);
      }
      requirePositive("lease", lease);
      requirePositive("giveUp", giveUp);
      requirePositive("pauseTtl", pauseTtl);
      if (claimBatch < 0) {
        throw new IllegalArgumentException("claimBatch must be >= 0, was " + claimBatch);
      }
      Objects.requireNonNull(renewFor, "renewFor");
      if (renewFor.isNegative()) {
        throw new IllegalArgumentException("renewFor must be >= 0, was " + renewFor);
      }
    }

    private static void requirePositive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero() || d.toMillis() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 ms, was " + d);
      }
    }

    /**
     * 2048 buckets, 30 s leases renewed for 10 min, 60 s to give up, 60 s pause at most, batch from
     * concurrency.
     */
    public static Settings defaults() {
      return new Settings(2048, LEASE, GIVE_UP, Duration.ofSeconds(60), 0, Duration.ofMinutes(10));
    }

    /** The same with another renewal time (zero: leases are not renewed). */
    public Settings withRenewFor(Duration renewFor) {
      return new Settings(buckets, lease, giveUp, pauseTtl, claimBatch, renewFor);
    }

    /** The same with another lease. */
    public Settings withLease(Duration lease) {
      return new Settings(buckets, lease, giveUp, pauseTtl, claimBatch, renewFor);
    }

    /** The same with another bucket count (for a new crawl). */
    public Settings withBuckets(int buckets) {
      return new Settings(buckets, lease, giveUp, pauseTtl, claimBatch, renewFor);
    }

    /** The same with another claim batch. */
    public Settings withClaimBatch(int claimBatch) {
      return new Settings(buckets, lease, giveUp, pauseTtl, claimBatch, renewFor);
    }
  }

  /** A URL claimed by this worker: its bucket, lease token, and when it was claimed (ms here). */
  private record Lease(int bucket, String token, CrawlRequest request, long claimedAtMs) {}

  /** A bucket's entry for the index, waiting for the next flush. */
  private record IndexEntry(long version, String target) {}

  private final FrontierStore store;
  private final BucketKeys keys;
  private final Settings settings;
  private final NanoClock clock;
  private final int buckets;
  private final int seenShards;
  private final long maxPages;
  private final String cap;
  private final long defaultDelayMs;
  private final String leaseMs;
  private final String batch;
  private final int lowWater;
  private final AtomicBoolean prefetching = new AtomicBoolean();
  private final long serverMsAtOpen;
  private final long nanoAtOpen;
  private final ConcurrentLinkedDeque<Lease> claimed = new ConcurrentLinkedDeque<>();
  private final Map<String, Lease> inFlight = new ConcurrentHashMap<>();
  private final ReentrantLock refillLock = new ReentrantLock();
  private final ReentrantLock sweepLock = new ReentrantLock();
  private final AtomicLong staleAcks = new AtomicLong();
  private final AtomicLongArray seenCache = new AtomicLongArray(SEEN_CACHE);
  private final ConcurrentLinkedQueue<Lease> completions = new ConcurrentLinkedQueue<>();
  private final AtomicInteger unflushed = new AtomicInteger();
  private final Map<Integer, IndexEntry> unpublished = new ConcurrentHashMap<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final ReentrantLock flushLock = new ReentrantLock();
  private volatile RuntimeException failure;
  private volatile boolean budgetSpent;
  private final Set<Long> offering = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;
  private volatile long nextRefillMs;
  private volatile Sweep lastSweep;
  private volatile Sweep lastStats;
  private volatile ScheduledFuture<?> renewal;
  private volatile long accepted;
  private volatile long acceptedAtMs = Long.MIN_VALUE;
  private volatile long indexedAtMs = Long.MIN_VALUE;
  private volatile long indexedCount;

  private record Sweep(long atMs, boolean exhausted, FrontierStats stats) {}

  private RedisFrontier(
      FrontierStore store,
      String crawlId,
      CrawlConfig config,
      Settings settings,
      NanoClock clock,
      Map<String, String> meta,
      long serverMs) {
    this.store = store;
    this.keys = new BucketKeys(crawlId);
    this.settings = settings;
    this.clock = clock;
    this.buckets = Integer.parseInt(meta.get("buckets"));
    this.seenShards = Integer.parseInt(meta.get("seenShards"));
    this.maxPages = Long.parseLong(meta.get("maxPages"));
    this.cap = Integer.toString(config.perHostConcurrency());
    this.defaultDelayMs = config.politenessDelay().toMillis();
    this.leaseMs = Long.toString(settings.lease().toMillis());
    int b =
        settings.claimBatch() > 0
            ? settings.claimBatch()
            : Math.max(1, Math.min(16, config.concurrency() / 4));
    this.batch = Integer.toString(b);
    this.lowWater = b / 2;
    this.serverMsAtOpen = serverMs;
    this.nanoAtOpen = System.nanoTime();
  }

  static RedisFrontier open(
      FrontierStore store, String crawlId, CrawlConfig config, Settings settings, NanoClock clock) {
    checkCrawlId(crawlId);
    BucketKeys keys = new BucketKeys(crawlId);
    long seen = Math.max(1, config.maxPages() / settings.buckets() / SEEN_PER_SHARD + 1);
    store.call(
        "create",
        () -> {
          store.sync().hsetnx(keys.meta(), "buckets", Integer.toString(settings.buckets()));
          store.sync().hsetnx(keys.meta(), "seenShards", Long.toString(seen));
          store.sync().hsetnx(keys.meta(), "maxPages", Integer.toString(config.maxPages()));
          return null;
        });
    Map<String, String> meta = store.hgetall(keys.meta());
    if (Long.parseLong(meta.get("maxPages")) != config.maxPages()) {
      log.warn(
          "crawl {} was created with maxPages={}; this worker's maxPages={} is ignored",
          crawlId,
          meta.get("maxPages"),
          config.maxPages());
    }
    List<String> time = store.call("time", () -> store.sync().time());
    long serverMs = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    RedisFrontier frontier =
        new RedisFrontier(store, crawlId, config, settings, clock, meta, serverMs);
    if (!settings.renewFor().isZero()) {
      long every = Math.max(50, settings.lease().toMillis() / 3);
      frontier.renewal =
          store
              .background()
              .scheduleWithFixedDelay(frontier::renew, every, every, TimeUnit.MILLISECONDS);
    }
    log.info(
        "shared frontier: crawl={} store={} buckets={} lease={} batch={}",
        crawlId,
        store.uri(),
        frontier.buckets,
        settings.lease(),
        frontier.batch);
    return frontier;
  }

  static void checkCrawlId(String crawlId) {
    Objects.requireNonNull(crawlId, "crawlId");
    if (!CRAWL_ID.matcher(crawlId).matches()) {
      throw new IllegalArgumentException(
          "crawl id must be 1-64 of A-Z a-z 0-9 . _ -, was '" + crawlId + "'");
    }
  }

  /** This worker's estimate of the server's clock, for the bucket index (a hint). */
  private long serverNowMs() {
    return serverMsAtOpen + (System.nanoTime() - nanoAtOpen) / 1_000_000;
  }

  private int bucketOf(String hostKey) {
    return (int) Long.remainderUnsigned(Frontier.fingerprint(hostKey), buckets);
  }

  // ---------------------------------------------------------------------------------------------
  // Offers

  @Override
  public Offer offer(CrawlRequest request) {
    return offerAll(List.of(request)).get(0);
  }

  /** A URL of an offer that this worker's cache does not know: where it goes in the cluster. */
  private record Candidate(int index, CrawlRequest request, long fp, int bucket, int shard) {
    String member() {
      return Long.toString(fp);
    }
  }

  /**
   * Offers a page's links in at most four round trips however many there are: the cluster's seen
   * sets asked about the links this worker has not seen (pipelined SISMEMBERs), the page budget
   * reserved for the unseen ones (one INCRBY), their enqueue (one script per bucket, pipelined; the
   * script's SADD decides dedup for good), and a DECRBY giving back what a racing worker enqueued
   * first. Returns when every link is in the store: a completion after it cannot overtake it. A URL
   * that another call of this worker is offering at the same moment is answered a duplicate (that
   * call decides it), so within one worker no two offers reserve a page for one URL and the budget
   * ends exact; workers racing each other on one URL at the budget's very end may leave it a few
   * pages short (the page reserved by the loser is given back after the winner's budget check
   * refused someone).
   */
  @Override
  public List<Offer> offerAll(List<CrawlRequest> requests) {
    checkFailure();
    Offer[] offers = new Offer[requests.size()];
    List<Candidate> candidates = new ArrayList<>(requests.size());
    for (int i = 0; i < offers.length; i++) {
      CrawlRequest request = requests.get(i);
      long fp = Frontier.fingerprint(request.url());
      if (seenHere(fp) || !offering.add(fp)) {
        // Seen here, or being offered by another call here (or earlier in this list) right now:
        // that one decides it, so one worker never races itself for a page of the budget.
        offers[i] = Offer.DUPLICATE;
        continue;
      }
      int bucket = bucketOf(request.hostKey());
      int shard = (int) Long.remainderUnsigned(Long.rotateLeft(fp, 17), seenShards);
      candidates.add(new Candidate(i, request, fp, bucket, shard));
    }
    try {
      List<Candidate> unseen = unseen(candidates, offers);
      int reserved = reserve(unseen.size());
      for (Candidate c : unseen.subList(reserved, unseen.size())) {
        offers[c.index()] = Offer.MAX_PAGES;
      }
      if (reserved > 0) {
        enqueue(unseen.subList(0, reserved), offers);
      }
    } finally {
      for (Candidate c : candidates) {
        offering.remove(c.fp());
      }
    }
    return Arrays.asList(offers);
  }

  /**
   * The candidates no seen set of the cluster holds (one pipelined SISMEMBER each); the others are
   * duplicates, remembered here.
   */
  private List<Candidate> unseen(List<Candidate> candidates, Offer[] offers) {
    if (candidates.isEmpty()) {
      return candidates;
    }
    List<RedisFuture<Boolean>> asked = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      asked.add(store.batch().sismember(keys.seen(c.bucket(), c.shard()), c.member()));
    }
    store.flushBatch();
    List<Candidate> unseen = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      String key = keys.seen(c.bucket(), c.shard());
      boolean seen =
          store.await(
              asked.get(i),
              () -> store.call("offer", () -> store.sync().sismember(key, c.member())));
      if (seen) {
        markSeen(c.fp());
        offers[c.index()] = Offer.DUPLICATE;
      } else {
        unseen.add(c);
      }
    }
    return unseen;
  }

  /** Reserves up to {@code wanted} pages of {@code maxPages} in the cluster; returns how many. */
  private int reserve(int wanted) {
    if (wanted == 0 || budgetSpent) {
      return 0;
    }
    long after = store.call("offer", () -> store.sync().incrby(keys.budget(), wanted));
    long over = after - maxPages;
    if (over <= 0) {
      return wanted;
    }
    budgetSpent = true;
    int back = (int) Math.min(wanted, over);
    store.call("offer", () -> store.sync().decrby(keys.budget(), back));
    return wanted - back;
  }

  /** Enqueues {@code admitted} (their pages reserved): one enqueue.lua per bucket, pipelined. */
  private void enqueue(List<Candidate> admitted, Offer[] offers) {
    Map<Integer, List<Candidate>> byBucket = new LinkedHashMap<>();
    for (Candidate c : admitted) {
      byBucket.computeIfAbsent(c.bucket(), b -> new ArrayList<>()).add(c);
    }
    List<FrontierStore.ScriptCall> calls = new ArrayList<>(byBucket.size());
    for (Map.Entry<Integer, List<Candidate>> e : byBucket.entrySet()) {
      List<String> shardKeys = new ArrayList<>(List.of(keys.bucket(e.getKey())));
      List<String> args = new ArrayList<>(1 + 4 * e.getValue().size());
      args.add(cap);
      for (Candidate c : e.getValue()) {
        String shardKey = keys.seen(c.bucket(), c.shard());
        int k = shardKeys.indexOf(shardKey);
        if (k < 0) {
          k = shardKeys.size();
          shardKeys.add(shardKey);
        }
        args.add(Integer.toString(k + 1));
        args.add(c.member());
        args.add(c.request().hostKey());
        args.add(payload(c.request()));
      }
      calls.add(
          new FrontierStore.ScriptCall(
              Scripts.ENQUEUE, shardKeys.toArray(String[]::new), args.toArray(String[]::new)));
    }
    List<List<Object>> answers = store.scripts(calls);
    int duplicates = 0;
    int i = 0;
    for (Map.Entry<Integer, List<Candidate>> e : byBucket.entrySet()) {
      List<Object> r = answers.get(i++);
      publish(e.getKey(), r, 0);
      List<Candidate> group = e.getValue();
      for (int j = 0; j < group.size(); j++) {
        Candidate c = group.get(j);
        markSeen(c.fp());
        if (asLong(r.get(4 + j)) == 1) {
          offers[c.index()] = Offer.ACCEPTED;
        } else {
          offers[c.index()] = Offer.DUPLICATE; // another worker enqueued it since the SISMEMBER
          duplicates++;
        }
      }
    }
    if (duplicates > 0) {
      int back = duplicates;
      store.call("offer", () -> store.sync().decrby(keys.budget(), back));
    }
    if (duplicates < admitted.size()) {
      // After the enqueue, before the caller completes the page that linked it: see isExhausted.
      lastSweep = null; // a cached "exhausted" no longer holds
      nextRefillMs = 0;
    }
  }

  /**
   * Whether this worker already saw {@code fp} offered (accepted or a duplicate): then the cluster
   * holds it in its seen set too, and the offer needs no round trip. A direct-mapped cache of the
   * fingerprints this worker offered: a slot holds the last one that mapped to it.
   */
  private boolean seenHere(long fp) {
    return fp != 0 && seenCache.get(cacheSlot(fp)) == fp;
  }

  private void markSeen(long fp) {
    seenCache.set(cacheSlot(fp), fp);
  }

  private static int cacheSlot(long fp) {
    return (int) (fp >>> 40) & (SEEN_CACHE - 1);
  }

  /**
   * {@code depth NUL attempt NUL url [NUL chain...]}: the member after {@code host NUL seq NUL}.
   */
  private static String payload(CrawlRequest request) {
    StringBuilder b = new StringBuilder();
    b.append(request.depth()).append('\0').append(request.attempt()).append('\0');
    b.append(request.url());
    for (String hop : request.redirectChain()) {
      b.append('\0').append(hop);
    }
    return b.toString();
  }

  private static CrawlRequest decode(String member) {
    String[] p = member.split("\0", -1);
    return new CrawlRequest(
        p[4],
        p[0],
        Integer.parseInt(p[2]),
        Integer.parseInt(p[3]),
        p.length > 5 ? Arrays.asList(p).subList(5, p.length) : List.of());
  }

  /**
   * Keeps the bucket index in step with a script's {@code {target, pending, version, publish}} at
   * {@code r[from]} (see indexed in prelude.lua): when the script says so, the bucket's entry at
   * its version is published with the next flush, at most {@value #FLUSH_MS} ms later, together
   * with every other bucket's (one index.lua for them all; of one bucket the latest version wins).
   */
  private void publish(int bucket, List<?> r, int from) {
    if (record(bucket, r, from)) {
      scheduleFlush();
    }
  }

  /** {@link #publish} without scheduling the flush; whether there is an entry to publish. */
  private boolean record(int bucket, List<?> r, int from) {
    if (asLong(r.get(from + 3)) != 1) {
      return false;
    }
    IndexEntry entry = new IndexEntry(asLong(r.get(from + 2)), String.valueOf(r.get(from)));
    unpublished.merge(bucket, entry, (a, b) -> a.version() >= b.version() ? a : b);
    return true;
  }

  /** Runs index.lua with {@code args}: triples bucket, version, target. */
  private void publish(List<String> args) {
    store.script(Scripts.INDEX, keys.index(), args.toArray(String[]::new));
  }

  private static long asLong(Object o) {
    return o instanceof Long l ? l : Long.parseLong(o.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Dispatch

  @Override
  public Optional<CrawlRequest> poll() {
    checkFailure();
    Lease lease = claimed.pollFirst();
    if (lease == null) {
      refill();
      lease = claimed.pollFirst();
      if (lease == null) {
        return Optional.empty();
      }
    }
    inFlight.put(lease.request().url(), lease);
    prefetch();
    return Optional.of(lease.request());
  }

  /**
   * Claims the next batch on the background thread once this worker holds half a batch or less, so
   * that polls rarely wait for a claim's round trips (a poll that finds nothing claims itself).
   */
  private void prefetch() {
    if (serverNowMs() >= nextRefillMs
        && claimed.size() <= lowWater
        && prefetching.compareAndSet(false, true)) {
      try {
        store
            .background()
            .execute(
                () -> {
                  try {
                    refill();
                  } catch (RuntimeException e) {
                    failed(e);
                  } finally {
                    prefetching.set(false);
                  }
                });
      } catch (RejectedExecutionException e) {
        prefetching.set(false); // the store is closed
      }
    }
  }

  /**
   * Claims a batch from one or two due buckets while this worker holds at most half a batch; one
   * thread at a time, others return at once.
   */
  private void refill() {
    long now = serverNowMs();
    if (now < nextRefillMs || !refillLock.tryLock()) {
      return;
    }
    try {
      if (draining || claimed.size() > lowWater) {
        return;
      }
      // The earliest buckets with their times: the due ones to claim from, else when to look again.
      List<ScoredValue<String>> first =
          store.call(
              "poll",
              () ->
                  store
                      .sync()
                      .zrangebyscoreWithScores(
                          keys.active(),
                          Range.create(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
                          Limit.create(0, 8)));
      List<Integer> due = new ArrayList<>();
      long next = now + IDLE_MAX_MS;
      for (ScoredValue<String> e : first) {
        if (e.getScore() <= now) {
          due.add(Integer.parseInt(e.getValue()));
        } else {
          next = Math.min(next, (long) e.getScore());
        }
      }
      // This worker's own offers and completions, not yet published: due here already.
      for (Map.Entry<Integer, IndexEntry> e : unpublished.entrySet()) {
        long target = Long.parseLong(e.getValue().target());
        if (target >= 0 && target <= now && !due.contains(e.getKey())) {
          due.add(e.getKey());
        }
      }
      if (due.isEmpty()) {
        nextRefillMs = next;
        return;
      }
      Collections.shuffle(due, ThreadLocalRandom.current()); // spread workers over buckets
      for (int b : due) {
        if (claim(b) > 0) {
          return;
        }
      }
      nextRefillMs = now + IDLE_RECHECK_MS;
    } finally {
      refillLock.unlock();
    }
  }

  /**
   * Claims a batch from {@code bucket}; returns how many URLs were claimed. (Claiming from four due
   * buckets at once, pipelined, each for a quarter of the batch, cost a third more scripts per URL
   * — 2.0 instead of 1.5 with three workers — and did not ramp up a young three-worker crawl any
   * faster, since that crawl is CPU-bound on the 2-core bench machine.)
   */
  private int claim(int bucket) {
    List<Object> r =
        store.script(
            Scripts.CLAIM, keys.bucket(bucket), batch, leaseMs, cap, Long.toString(defaultDelayMs));
    publish(bucket, r, 0);
    int n = 0;
    for (int i = 4; i + 1 < r.size(); i += 2) {
      claimed.addLast(
          new Lease(bucket, (String) r.get(i), decode((String) r.get(i + 1)), serverNowMs()));
      n++;
    }
    return n;
  }

  /**
   * Queues the completion for the next flush, at most {@value #FLUSH_MS} ms away (one complete.lua
   * per bucket for all completions queued meanwhile, pipelined, sent from the background thread):
   * the caller does not wait for the store. Until then the URL stays leased in the store, so a
   * worker killed meanwhile has it fetched again (at-least-once), and this worker is not exhausted.
   */
  @Override
  public void complete(CrawlRequest request) {
    Lease lease = leaseOf(request);
    if (lease == null) {
      return;
    }
    unflushed.incrementAndGet();
    completions.add(lease);
    scheduleFlush();
  }

  @Override
  public void retryLater(CrawlRequest request, long notBeforeNanos) {
    Lease lease = leaseOf(request);
    if (lease == null) {
      return;
    }
    List<Object> r =
        store.script(
            Scripts.RETRY,
            keys.bucket(lease.bucket()),
            lease.token(),
            request.hostKey(),
            payload(request),
            Long.toString(millisFromNow(notBeforeNanos)),
            cap,
            lease.request().url());
    retried(lease, r);
  }

  private Lease leaseOf(CrawlRequest request) {
    Lease lease = inFlight.remove(request.url());
    if (lease == null) {
      log.warn("{} was not polled from this frontier; ignored", request.url());
    }
    return lease;
  }

  /**
   * After a retry this worker waits {@value #IDLE_RECHECK_MS} ms before it claims again: a URL put
   * back at once (its host's robots.txt is being fetched here) would otherwise come straight back
   * to the poll loop that put it back, which spins claiming and putting back and never gets to
   * dispatch the robots.txt fetch; meanwhile another worker that knows the rules may take it.
   */
  private void retried(Lease lease, List<Object> r) {
    if (asLong(r.get(0)) == 0) {
      stale(lease);
    }
    publish(lease.bucket(), r, 1);
    nextRefillMs = Math.max(nextRefillMs, serverNowMs() + IDLE_RECHECK_MS);
  }

  private void stale(Lease lease) {
    staleAcks.incrementAndGet();
    log.info(
        "late ack refused: the lease of {} expired and was given to another worker",
        lease.request().url());
  }

  private void scheduleFlush() {
    if (flushScheduled.compareAndSet(false, true)) {
      try {
        store.background().schedule(this::backgroundFlush, FLUSH_MS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        flushScheduled.set(false); // the store is closed: nothing more reaches the cluster
      }
    }
  }

  private void backgroundFlush() {
    flushScheduled.set(false);
    try {
      flush();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /** Keeps what made background work give up, for the next call to throw. */
  private void failed(RuntimeException e) {
    if (failure == null) {
      failure = e;
    }
    log.error("shared frontier: {}", FrontierStore.rootMessage(e));
  }

  /**
   * Sends the queued completions (one complete.lua per bucket, pipelined) and then the bucket
   * index's unpublished entries (one index.lua). On the background thread every {@value #FLUSH_MS}
   * ms while there is something to send, and at once from {@link #drain()}; one at a time.
   */
  private void flush() {
    flushLock.lock();
    try {
      Map<Integer, List<Lease>> byBucket = new LinkedHashMap<>();
      int n = 0;
      for (Lease l; (l = completions.poll()) != null; n++) {
        byBucket.computeIfAbsent(l.bucket(), b -> new ArrayList<>()).add(l);
      }
      if (n > 0) {
        List<FrontierStore.ScriptCall> calls = new ArrayList<>(byBucket.size());
        for (Map.Entry<Integer, List<Lease>> e : byBucket.entrySet()) {
          List<String> args = new ArrayList<>(1 + 3 * e.getValue().size());
          args.add(cap);
          for (Lease l : e.getValue()) {
            args.add(l.token());
            args.add(l.request().hostKey());
            args.add(l.request().url());
          }
          calls.add(
              new FrontierStore.ScriptCall(
                  Scripts.COMPLETE, keys.bucket(e.getKey()), args.toArray(String[]::new)));
        }
        List<List<Object>> answers = store.scripts(calls);
        int i = 0;
        for (Map.Entry<Integer, List<Lease>> e : byBucket.entrySet()) {
          List<Object> r = answers.get(i++);
          record(e.getKey(), r, 0);
          for (int j = 0; j < e.getValue().size(); j++) {
            if (asLong(r.get(4 + j)) == 0) {
              stale(e.getValue().get(j));
            }
          }
        }
        unflushed.addAndGet(-n);
        nextRefillMs = 0; // the hosts' slots are free: look for work at once
      }
      // Entries leave the map only once in the index, so a refill meanwhile still sees them.
      Map<Integer, IndexEntry> sent = Map.copyOf(unpublished);
      if (!sent.isEmpty()) {
        List<String> args = new ArrayList<>(3 * sent.size());
        sent.forEach(
            (b, e) -> {
              args.add(Integer.toString(b));
              args.add(Long.toString(e.version()));
              args.add(e.target());
            });
        publish(args);
        sent.forEach(unpublished::remove);
      }
    } finally {
      flushLock.unlock();
    }
  }

  /** Throws what made a background flush give up: the store did not answer for giveUp. */
  private void checkFailure() {
    RuntimeException f = failure;
    if (f != null) {
      throw new FrontierUnavailableException(FrontierStore.rootMessage(f), f);
    }
  }

  /** A NanoClock time as milliseconds from now, rounded up, never negative. */
  private long millisFromNow(long nanos) {
    long delta = nanos - clock.nanoTime();
    return delta <= 0 ? 0 : (delta + 999_999) / 1_000_000;
  }

  @Override
  public OptionalLong nanosUntilReady() {
    if (!claimed.isEmpty()) {
      return OptionalLong.of(0);
    }
    long wait = Math.max(0, nextRefillMs - serverNowMs());
    return OptionalLong.of(Math.min(wait, IDLE_MAX_MS) * 1_000_000);
  }

  // ---------------------------------------------------------------------------------------------
  // Hosts

  /**
   * Does nothing in the store. A pause guards a worker's own robots.txt fetch, and every worker
   * fetches a host's rules before it dispatches any URL of the host (its session puts back what it
   * polls meanwhile), so a pause shared by all workers would only stall the others — for as long as
   * {@link Settings#pauseTtl()} when the pausing worker's seeds were duplicates and it never
   * fetched. host.lua keeps the {@code pause} operation, with that expiry, for a frontier-wide
   * hold.
   */
  @Override
  public void pauseHost(String hostKey) {}

  @Override
  public void resumeHost(String hostKey, Duration delay) {
    host("resume", hostKey, Math.max(defaultDelayMs, delay.toMillis()));
  }

  @Override
  public void delayHost(String hostKey, long notBeforeNanos) {
    host("hold", hostKey, millisFromNow(notBeforeNanos));
  }

  private void host(String op, String hostKey, long ms) {
    int bucket = bucketOf(hostKey);
    List<Object> r =
        store.script(Scripts.HOST, keys.bucket(bucket), op, hostKey, Long.toString(ms), cap);
    publish(bucket, r, 1);
    if (!"pause".equals(op)) {
      nextRefillMs = 0;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Completion and counts

  /**
   * Cheap while anything is indexed anywhere (one ZCARD per {@value #SWEEP_CACHE_MS} ms); when the
   * index is empty, a sweep of every bucket decides, and repairs the index if an entry was lost (a
   * worker killed between a bucket script and its publish).
   */
  @Override
  public boolean isExhausted() {
    checkFailure();
    if (!claimed.isEmpty()
        || !inFlight.isEmpty()
        || unflushed.get() > 0
        || !unpublished.isEmpty()) {
      return false;
    }
    Sweep last = lastSweep;
    long now = serverNowMs();
    if (last != null && now - last.atMs() < SWEEP_CACHE_MS) {
      return last.exhausted();
    }
    if (now - indexedAtMs >= SWEEP_CACHE_MS) {
      indexedCount = store.call("exhausted", () -> store.sync().zcard(keys.active()));
      indexedAtMs = now;
    }
    if (indexedCount > 0) {
      return false;
    }
    Sweep sweep = sweep();
    if (!sweep.exhausted()) {
      indexedAtMs = Long.MIN_VALUE; // repaired: look at the index again
    }
    return sweep.exhausted();
  }

  /**
   * {@code accepted} from the cluster's counter (at most {@value #SWEEP_CACHE_MS} ms old); the
   * other counts from a sweep of every bucket, at most {@value #STATS_EVERY_MS} ms old, and fresh
   * after {@link #drain()} (the end of a run).
   */
  @Override
  public Counts counts() {
    long now = serverNowMs();
    Sweep s = lastStats;
    if (s == null || now - s.atMs() >= STATS_EVERY_MS) {
      s = sweep();
    }
    long acc;
    if (now - acceptedAtMs < SWEEP_CACHE_MS) {
      acc = accepted;
    } else {
      String a = store.call("counts", () -> store.sync().get(keys.budget()));
      acc = a == null ? 0 : Long.parseLong(a);
      accepted = acc;
      acceptedAtMs = now;
    }
    FrontierStats f = s.stats();
    long local = claimed.size();
    return new Counts(
        Math.max(acc, f.accepted()), f.queued() + local, f.delayed(), f.leased() - local, f.done());
  }

  /**
   * Reads every bucket (pipelined), repairs the bucket index, and decides exhaustion: nothing
   * pending anywhere, and no URL accepted while the buckets were read.
   */
  private Sweep sweep() {
    sweepLock.lock();
    try {
      long now = serverNowMs();
      Sweep last = lastSweep;
      if (last != null && now - last.atMs() < SWEEP_CACHE_MS) {
        return last;
      }
      String before = store.call("sweep", () -> store.sync().get(keys.budget()));
      List<Integer> pending = new ArrayList<>();
      long[] sums = store.call("sweep", () -> peekAll(store, keys, buckets, pending));
      repair(pending);
      String after = store.call("sweep", () -> store.sync().get(keys.budget()));
      FrontierStats stats =
          new FrontierStats(
              buckets,
              after == null ? 0 : Long.parseLong(after),
              sums[0],
              sums[1],
              sums[2],
              sums[3],
              sums[4],
              sums[5]);
      boolean exhausted = stats.pending() == 0 && Objects.equals(before, after);
      Sweep sweep = new Sweep(now, exhausted, stats);
      lastSweep = sweep;
      lastStats = sweep;
      return sweep;
    } finally {
      sweepLock.unlock();
    }
  }

  /**
   * Reads every bucket's counters in one pipeline (plain HMGETs, no script); returns the sums
   * {queued, delayed, leased, done, stale, reclaimed} and adds to {@code pending} the buckets with
   * anything queued, delayed or leased.
   */
  private static long[] peekAll(
      FrontierStore store, BucketKeys keys, int buckets, List<Integer> pending) {
    List<RedisFuture<List<KeyValue<String, String>>>> futures = new ArrayList<>(buckets);
    for (int b = 0; b < buckets; b++) {
      futures.add(
          store.async().hmget(keys.bucket(b)[3], "q", "d", "l", "done", "stale", "reclaimed"));
    }
    long[] sums = new long[6];
    for (int b = 0; b < buckets; b++) {
      List<KeyValue<String, String>> r;
      try {
        r = futures.get(b).get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        // An I/O failure (a node reset mid-failover): retriable like any connection loss.
        throw new io.lettuce.core.RedisConnectionException(
            FrontierStore.rootMessage(e.getCause()), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new io.lettuce.core.RedisCommandInterruptedException(e);
      }
      long here = 0;
      for (int i = 0; i < 6; i++) {
        long v = r.get(i).hasValue() ? Long.parseLong(r.get(i).getValue()) : 0;
        sums[i] += v;
        if (i < 3) {
          here += v;
        }
      }
      if (here > 0) {
        pending.add(b);
      }
    }
    return sums;
  }

  /**
   * Publishes the index entry of each bucket in {@code pending} from its current state (peek.lua
   * records it as published): an entry lost to a worker killed between a bucket script and its
   * publish comes back.
   */
  private void repair(List<Integer> pending) {
    List<String> args = new ArrayList<>();
    for (int b : pending) {
      List<Object> r = store.script(Scripts.PEEK, keys.bucket(b), "repair");
      if (asLong(r.get(0)) >= 0) {
        args.add(Integer.toString(b));
        args.add(String.valueOf(r.get(2)));
        args.add(String.valueOf(r.get(0)));
      }
    }
    if (!args.isEmpty()) {
      log.debug("bucket index repaired: {} buckets", args.size() / 3);
      publish(args);
    }
  }

  /**
   * Gives this worker's claimed, unstarted URLs back to the store and returns nothing: what is
   * queued in the store belongs to every worker. In-flight URLs stay leased until completed, or
   * until their leases expire (a worker that stops mid-crawl).
   */
  /**
   * Pushes the expiry of this worker's in-flight leases to now + lease, one script per bucket, for
   * those claimed less than {@link Settings#renewFor()} ago; claimed but unstarted ones are renewed
   * too. A lease reclaimed meanwhile is not renewed (its token is gone). Stops when the store is
   * closed.
   */
  private void renew() {
    if (store.isClosed()) {
      renewal.cancel(false);
      return;
    }
    long now = serverNowMs();
    long oldest = now - settings.renewFor().toMillis();
    Map<Integer, List<String>> byBucket = new HashMap<>();
    List<Lease> all = new ArrayList<>(inFlight.values());
    all.addAll(claimed);
    for (Lease l : all) {
      if (l.claimedAtMs() >= oldest) {
        List<String> args =
            byBucket.computeIfAbsent(l.bucket(), b -> new ArrayList<>(List.of(leaseMs)));
        args.add(l.token());
        args.add(l.request().url());
      }
    }
    try {
      for (Map.Entry<Integer, List<String>> e : byBucket.entrySet()) {
        store.script(Scripts.RENEW, keys.bucket(e.getKey()), e.getValue().toArray(String[]::new));
      }
    } catch (RuntimeException e) {
      if (store.isClosed()) {
        renewal.cancel(false);
      } else {
        log.warn("lease renewal failed: {}", FrontierStore.rootMessage(e));
      }
    }
  }

  @Override
  public List<CrawlRequest> drain() {
    draining = true;
    refillLock.lock(); // a refill under way (a prefetch) ends first; none starts after
    refillLock.unlock();
    flush();
    Lease lease;
    while ((lease = claimed.pollFirst()) != null) {
      Lease l = lease;
      List<Object> r =
          store.script(
              Scripts.RELEASE,
              keys.bucket(l.bucket()),
              l.token(),
              l.request().hostKey(),
              cap,
              l.request().url());
      record(l.bucket(), r, 1);
    }
    flush();
    lastSweep = null;
    lastStats = null; // the run's report needs fresh counts
    ScheduledFuture<?> r = renewal;
    if (r != null) {
      r.cancel(false);
    }
    return List.of();
  }

  /** Completions and retries of this worker refused because their lease had been reclaimed. */
  public long staleAcks() {
    return staleAcks.get();
  }

  static FrontierStats stats(FrontierStore store, String crawlId) {
    checkCrawlId(crawlId);
    BucketKeys keys = new BucketKeys(crawlId);
    Map<String, String> meta = store.hgetall(keys.meta());
    if (meta.isEmpty()) {
      return new FrontierStats(0, 0, 0, 0, 0, 0, 0, 0);
    }
    int buckets = Integer.parseInt(meta.get("buckets"));
    long[] s = store.call("stats", () -> peekAll(store, keys, buckets, new ArrayList<>()));
    String accepted = store.call("stats", () -> store.sync().get(keys.budget()));
    return new FrontierStats(
        buckets,
        accepted == null ? 0 : Long.parseLong(accepted),
        s[0],
        s[1],
        s[2],
        s[3],
        s[4],
        s[5]);
  }

  static long drop(FrontierStore store, String crawlId) {
    checkCrawlId(crawlId);
    BucketKeys keys = new BucketKeys(crawlId);
    Map<String, String> meta = store.hgetall(keys.meta());
    if (meta.isEmpty()) {
      return 0;
    }
    int buckets = Integer.parseInt(meta.get("buckets"));
    int shards = Integer.parseInt(meta.get("seenShards"));
    List<RedisFuture<Long>> futures = new ArrayList<>();
    for (int b = 0; b < buckets; b++) {
      // One slot per call: a bucket's keys share its hash tag.
      String[] k = Arrays.copyOf(keys.bucket(b), 8 + shards);
      for (int s = 0; s < shards; s++) {
        k[7 + s] = keys.seen(b, s);
      }
      k[7 + shards] = keys.robots(b); // the fetch locks expire by themselves
      futures.add(store.async().unlink(k));
    }
    futures.add(store.async().unlink(keys.active(), keys.versions(), keys.budget(), keys.meta()));
    long n = 0;
    for (RedisFuture<Long> f : futures) {
      try {
        n += f.get();
      } catch (ExecutionException e) {
        throw new FrontierUnavailableException(
            "drop failed: " + FrontierStore.rootMessage(e.getCause()), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new io.lettuce.core.RedisCommandInterruptedException(e);
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return "RedisFrontier[" + store.uri() + ", buckets=" + buckets + "]";
  }

  /**
   * This crawl's robots.txt outcomes, kept in the cluster beside each host's bucket ({@link
   * RedisRobotsShare}): one worker fetches a host's robots.txt, every worker uses its rules. Each
   * call is a new lock holder (its own token); the session asks once.
   */
  @Override
  public io.duocrawl.common.robots.RobotsShare robotsShare() {
    return new RedisRobotsShare(store, keys, this::bucketOf);
  }
}
