package io.duocrawl.redis;

import io.duocrawl.common.robots.RobotsShare;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robots.txt outcomes of one shared crawl, kept in the cluster beside the hosts' buckets, so
 * one worker fetches a host's robots.txt and every worker uses its rules. Thread-safe; each method
 * is one round trip (a short Lua script on the host's bucket slot), retried like every frontier
 * command ({@link FrontierStore#call}).
 *
 * <p>Keys, in the slot of the host's bucket {@code {<crawlId>:b:<n>}}:
 *
 * <ul>
 *   <li>{@code {…}:rob}, a hash hostKey → outcome: {@code <server ms>\n<kind>[\n…]} with kind
 *       {@code B} (then the URL that answered, its Content-Type and the body parsed), {@code A}
 *       (allow all) or {@code U} (then the detail of why robots.txt could not be had). The body's
 *       bytes are carried as ISO-8859-1 characters, so any bytes come back unchanged (ASCII, what
 *       robots.txt files mostly are, costs one byte a byte);
 *   <li>{@code {…}:rob:lock:<hostKey>}, the fetch lock: a string holding this worker's token, set
 *       with {@code PX} (it expires by itself when its holder dies) and deleted with the store.
 * </ul>
 *
 * <p>Time is the server's ({@code TIME} inside the scripts): the age of an outcome does not depend
 * on workers' clocks.
 */
final class RedisRobotsShare implements RobotsShare {
  private static final Logger log = LoggerFactory.getLogger(RedisRobotsShare.class);

  /** KEYS[1] the outcomes hash; ARGV[1] the host. Returns {server ms, outcome or nil}. */
  private static final String LOOKUP =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      return {now, redis.call('HGET', KEYS[1], ARGV[1])}
      """;

  /**
   * KEYS[1] the lock, KEYS[2] the outcomes hash; ARGV[1] the token, ARGV[2] ms to live, ARGV[3] the
   * host, ARGV[4] the stamp of the outcome this worker last looked at ('' for none). Takes the lock
   * or extends our own — unless an outcome was stored since that look (a worker that looked, found
   * nothing and took the lock only after another had fetched and stored would fetch again).
   */
  private static final String TAKE =
      """
      local cur = redis.call('HGET', KEYS[2], ARGV[3])
      local stamp = ''
      if cur then
        local nl = string.find(cur, '\\n', 1, true)
        if nl then stamp = string.sub(cur, 1, nl - 1) end
      end
      if stamp ~= ARGV[4] then return 0 end
      local holder = redis.call('GET', KEYS[1])
      if holder == false or holder == ARGV[1] then
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
      end
      return 0
      """;

  /**
   * KEYS[1] the outcomes hash, KEYS[2] the lock; ARGV[1] the host, ARGV[2] the outcome, ARGV[3] the
   * token. Stores the outcome stamped with the server's time; deletes the lock if it is ours.
   */
  private static final String STORE =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('HSET', KEYS[1], ARGV[1], now .. '\\n' .. ARGV[2])
      if redis.call('GET', KEYS[2]) == ARGV[3] then
        redis.call('DEL', KEYS[2])
      end
      return 1
      """;

  private final FrontierStore store;
  private final BucketKeys keys;
  private final ToIntFunction<String> bucketOf;
  private final String token = UUID.randomUUID().toString();

  /** Per host, the stamp of the outcome the last lookup here found ('' for none), for TAKE. */
  private final Map<String, String> looked = new ConcurrentHashMap<>();

  /**
   * @param bucketOf the frontier's host → bucket mapping, so a host's outcome lives in its bucket's
   *     slot
   */
  RedisRobotsShare(FrontierStore store, BucketKeys keys, ToIntFunction<String> bucketOf) {
    this.store = store;
    this.keys = keys;
    this.bucketOf = bucketOf;
  }

  private String hash(String hostKey) {
    return keys.robots(bucketOf.applyAsInt(hostKey));
  }

  private String lock(String hostKey) {
    return hash(hostKey) + ":lock:" + hostKey;
  }

  @Override
  public Optional<Stored> lookup(String hostKey) {
    List<Object> r =
        store.call(
            "robots lookup",
            () ->
                store
                    .sync()
                    .eval(LOOKUP, ScriptOutputType.MULTI, new String[] {hash(hostKey)}, hostKey));
    long now = (Long) r.get(0);
    if (r.size() < 2 || r.get(1) == null) {
      looked.put(hostKey, "");
      return Optional.empty();
    }
    String value = (String) r.get(1);
    int at = value.indexOf('\n');
    looked.put(hostKey, at < 0 ? value : value.substring(0, at));
    try {
      long storedAt = Long.parseLong(value.substring(0, at));
      return Optional.of(
          new Stored(decode(value.substring(at + 1)), Duration.ofMillis(now - storedAt)));
    } catch (RuntimeException e) {
      // Not ours (another version wrote it): as if nothing were stored; this worker fetches.
      log.warn("robots.txt outcome of {} unreadable, ignored: {}", hostKey, e.toString());
      return Optional.empty();
    }
  }

  @Override
  public boolean tryTake(String hostKey, Duration ttl) {
    Long taken =
        store.call(
            "robots lock",
            () ->
                store
                    .sync()
                    .eval(
                        TAKE,
                        ScriptOutputType.INTEGER,
                        new String[] {lock(hostKey), hash(hostKey)},
                        token,
                        Long.toString(Math.max(1, ttl.toMillis())),
                        hostKey,
                        looked.getOrDefault(hostKey, "")));
    return taken == 1;
  }

  @Override
  public void store(String hostKey, Outcome outcome) {
    String encoded = encode(outcome);
    store.call(
        "robots store",
        () ->
            store
                .sync()
                .eval(
                    STORE,
                    ScriptOutputType.INTEGER,
                    new String[] {hash(hostKey), lock(hostKey)},
                    hostKey,
                    encoded,
                    token));
  }

  static String encode(Outcome outcome) {
    return switch (outcome) {
      case Body b ->
          "B\n"
              + b.url()
              + "\n"
              + b.contentType()
              + "\n"
              + new String(b.body(), StandardCharsets.ISO_8859_1);
      case AllowAll a -> "A";
      case Unreachable u -> "U\n" + u.detail();
    };
  }

  static Outcome decode(String value) {
    if (value.equals("A")) {
      return new AllowAll();
    }
    if (value.startsWith("U\n")) {
      return new Unreachable(value.substring(2));
    }
    if (value.startsWith("B\n")) {
      int url = value.indexOf('\n', 2);
      int type = value.indexOf('\n', url + 1);
      return new Body(
          value.substring(2, url),
          value.substring(url + 1, type),
          value.substring(type + 1).getBytes(StandardCharsets.ISO_8859_1));
    }
    throw new IllegalArgumentException(
        "unknown robots outcome '" + value.lines().findFirst() + "'");
  }

  @Override
  public String toString() {
    return "RedisRobotsShare[" + store.uri() + "]";
  }
}
