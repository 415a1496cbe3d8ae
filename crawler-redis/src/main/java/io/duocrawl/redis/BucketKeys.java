package io.duocrawl.redis;

/**
 * The key names of one crawl in the cluster. A bucket's keys share the hash tag {@code
 * {<crawlId>:b:<n>}}, so one slot holds a host's queue, politeness clock, in-flight count and
 * leases, and every bucket script touches one slot; the crawl's global keys share {@code
 * {<crawlId>}}.
 */
final class BucketKeys {
  private final String crawlId;

  BucketKeys(String crawlId) {
    this.crawlId = crawlId;
  }

  /** The seven keys every bucket script declares, in the order of prelude.lua. */
  String[] bucket(int n) {
    String tag = tag(n);
    return new String[] {
      tag + ":q", tag + ":r", tag + ":h", tag + ":c", tag + ":d", tag + ":l", tag + ":lh"
    };
  }

  /** The bucket's keys and then its seen-set shard {@code shard}: the keys of enqueue.lua. */
  String[] bucketAndSeen(int n, int shard) {
    String[] keys = java.util.Arrays.copyOf(bucket(n), 8);
    keys[7] = seen(n, shard);
    return keys;
  }

  String seen(int n, int shard) {
    return tag(n) + ":s:" + shard;
  }

  private String tag(int n) {
    return "{" + crawlId + ":b:" + n + "}";
  }

  /** The crawl's settings, fixed by the first worker: buckets, seen shards, max pages. */
  String meta() {
    return "{" + crawlId + "}:meta";
  }

  /**
   * URLs accepted: a page of {@code maxPages} is reserved (INCR) before its enqueue and given back
   * when the enqueue finds a duplicate or the budget is spent; read around exhaustion sweeps.
   */
  String budget() {
    return "{" + crawlId + "}:budget";
  }

  /** Index of buckets that may have work: bucket number -> earliest event (server ms). */
  String active() {
    return "{" + crawlId + "}:act";
  }

  /** The version of each bucket's entry in {@link #active()}: bucket number -> version. */
  String versions() {
    return "{" + crawlId + "}:actv";
  }

  /** The keys of index.lua: the index and its versions. */
  String[] index() {
    return new String[] {active(), versions()};
  }

  /**
   * The bucket's robots.txt outcomes (hash hostKey -> outcome, {@link RedisRobotsShare}); a host's
   * fetch lock is this name followed by {@code :lock:<hostKey>}, in the same slot.
   */
  String robots(int n) {
    return tag(n) + ":rob";
  }
}
