package io.duocrawl.redis;

import io.duocrawl.common.frontier.Frontier;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis memory per URL, from {@code INFO memory} ({@code used_memory}) summed over the masters,
 * before and after: (1) the dedup structure alone, {@value #SEEN} fingerprints in the crawl's seen
 * shards as a crawl of that many pages lays them out; (2) {@value #QUEUED} URLs queued through
 * enqueue.lua (fingerprint, queue entry, host state). Not part of the build (the name does not end
 * in Test); run it with
 *
 * <pre>
 * ./mvnw -B -q -pl crawler-redis -am test -Dtest=MemoryPerUrlBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@ExtendWith(RedisClusterExtension.class)
class MemoryPerUrlBenchmark {
  static final int SEEN = 1_000_000;
  static final int QUEUED = 100_000;
  static final int BUCKETS = 2048;
  static final int SHARDS_PER_BUCKET = SEEN / BUCKETS / 200 + 1;
  static final int HOSTS = 10_000;

  @Test
  void memoryPerSeenAndPerQueuedUrl(LocalRedisCluster cluster) throws Exception {
    try (FrontierStore store = FrontierStore.connect(cluster.uri())) {
      BucketKeys keys = new BucketKeys("mem");
      long before = usedMemory(cluster);
      List<RedisFuture<Long>> pending = new ArrayList<>();
      for (int i = 0; i < SEEN; i++) {
        long fp = Frontier.fingerprint("https://host-" + (i % HOSTS) + ".test/page/" + i);
        int bucket =
            (int) Long.remainderUnsigned(Frontier.fingerprint("host-" + (i % HOSTS)), BUCKETS);
        int shard = (int) Long.remainderUnsigned(Long.rotateLeft(fp, 17), SHARDS_PER_BUCKET);
        pending.add(store.async().sadd(keys.seen(bucket, shard), Long.toString(fp)));
        if (pending.size() == 10_000) {
          for (RedisFuture<Long> f : pending) {
            f.get();
          }
          pending.clear();
        }
      }
      for (RedisFuture<Long> f : pending) {
        f.get();
      }
      long afterSeen = usedMemory(cluster);
      String encoding = store.sync().objectEncoding(keys.seen(0, 0));

      BucketKeys q = new BucketKeys("memq");
      List<RedisFuture<List<Object>>> enq = new ArrayList<>();
      for (int i = 0; i < QUEUED; i++) {
        String host = "host-" + (i % HOSTS) + ".test:443";
        String url = "https://host-" + (i % HOSTS) + ".test/page/" + i;
        long fp = Frontier.fingerprint(url);
        int bucket = (int) Long.remainderUnsigned(Frontier.fingerprint(host), BUCKETS);
        enq.add(
            store
                .async()
                .evalsha(
                    Scripts.ENQUEUE.sha(),
                    ScriptOutputType.MULTI,
                    q.bucketAndSeen(bucket, 0),
                    "2",
                    "8",
                    Long.toString(fp),
                    host,
                    "1\0" + "0\0" + url));
        if (enq.size() == 5_000 || i == QUEUED - 1) {
          for (RedisFuture<List<Object>> f : enq) {
            f.get();
          }
          enq.clear();
        }
      }
      long afterQueued = usedMemory(cluster);
      System.out.printf(
          Locale.ROOT,
          "memory per seen URL: %.1f bytes (%,d fingerprints, %d buckets x %d shards, encoding %s)%n"
              + "memory per queued URL (queue entry + fingerprint + host state, %d hosts,"
              + " ~40-byte URLs): %.1f bytes (%,d URLs)%n",
          (afterSeen - before) / (double) SEEN,
          SEEN,
          BUCKETS,
          SHARDS_PER_BUCKET,
          encoding,
          HOSTS,
          (afterQueued - afterSeen) / (double) QUEUED,
          QUEUED);
      store.drop("mem");
    }
  }

  private static long usedMemory(LocalRedisCluster cluster) {
    long sum = 0;
    for (String info : cluster.infoOfEachNode("memory")) {
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("used_memory:")) {
          sum += Long.parseLong(line.substring("used_memory:".length()).strip());
        }
      }
    }
    return sum;
  }
}
