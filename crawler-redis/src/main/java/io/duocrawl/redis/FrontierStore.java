package io.duocrawl.redis;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.SessionOpener;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to the Redis Cluster that holds shared frontiers: one per worker process, shared by
 * the frontiers it opens. Thread-safe.
 *
 * <pre>{@code
 * try (FrontierStore store = FrontierStore.connect("redis://10.0.0.1:7000,10.0.0.2:7000")) {
 *   RunningCrawl run = crawler.start(config, listener,
 *       store.sessions("my-crawl", RedisFrontier.Settings.defaults()));
 *   run.await();
 * }
 * }</pre>
 *
 * <p>Faults: every command that fails for want of the cluster (connection lost, timeout, {@code
 * CLUSTERDOWN} or {@code TRYAGAIN} during a failover) is retried with backoff from 50 ms doubling
 * to 2 s, for at most {@link RedisFrontier.Settings#giveUp()}; then it throws {@link
 * FrontierUnavailableException}. Commands are at-least-once under retries: a script that ran but
 * whose answer was lost runs again and then finds its work done (a duplicate offer, a stale ack).
 */
public final class FrontierStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FrontierStore.class);

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private final String uri;
  private final RedisClusterClient client;
  private final StatefulRedisClusterConnection<String, String> connection;

  /**
   * A second connection without auto-flush, for batches ({@link #batch}): the commands of a batch
   * leave in one write per node at {@link #flushBatch}, not one write (and one read on the server)
   * each.
   */
  private final StatefulRedisClusterConnection<String, String> batches;

  private final Duration giveUp;
  private volatile boolean closed;

  /**
   * The background work of this store's frontiers — lease renewals, flushes of completions and
   * index entries, claim prefetches: one daemon thread, ended a second after its last task, and at
   * {@link #close()}. One per store, so a cluster that stops answering holds up only its own
   * frontiers.
   */
  private final ScheduledThreadPoolExecutor background = newBackground();

  private static ScheduledThreadPoolExecutor newBackground() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "duocrawl-frontier-background");
              t.setDaemon(true);
              return t;
            });
    e.setKeepAliveTime(1, TimeUnit.SECONDS);
    e.allowCoreThreadTimeOut(true);
    e.setRemoveOnCancelPolicy(true);
    return e;
  }

  private FrontierStore(
      String uri,
      RedisClusterClient client,
      StatefulRedisClusterConnection<String, String> connection,
      StatefulRedisClusterConnection<String, String> batches,
      Duration giveUp) {
    this.uri = uri;
    this.client = client;
    this.connection = connection;
    this.batches = batches;
    this.giveUp = giveUp;
  }

  /** {@link #connect(String, Duration)} giving up after {@link RedisFrontier.Settings#GIVE_UP}. */
  public static FrontierStore connect(String uri) {
    return connect(uri, RedisFrontier.Settings.GIVE_UP);
  }

  /**
   * Connects to the cluster at {@code redis://HOST:PORT[,HOST:PORT...]} (any of its nodes; the rest
   * are discovered) and checks it answers.
   *
   * @param giveUp how long a command is retried mid-crawl before {@link
   *     FrontierUnavailableException}
   * @throws IllegalArgumentException for a malformed address
   * @throws FrontierUnavailableException when no node answers
   */
  public static FrontierStore connect(String uri, Duration giveUp) {
    List<RedisURI> nodes = parse(uri);
    Objects.requireNonNull(giveUp, "giveUp");
    RedisClusterClient client = RedisClusterClient.create(nodes);
    client.setOptions(
        ClusterClientOptions.builder()
            .autoReconnect(true)
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enableAllAdaptiveRefreshTriggers()
                    .enablePeriodicRefresh(Duration.ofSeconds(10))
                    .build())
            .build());
    try {
      StatefulRedisClusterConnection<String, String> connection = client.connect();
      connection.sync().ping();
      loadScripts(connection);
      StatefulRedisClusterConnection<String, String> batches = client.connect();
      batches.setAutoFlushCommands(false);
      return new FrontierStore(uri, client, connection, batches, giveUp);
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      throw new FrontierUnavailableException(
          "cannot reach the Redis Cluster at " + uri + ": " + rootMessage(e), e);
    }
  }

  /**
   * Checks an address and a crawl id without connecting.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static void check(String uri, String crawlId) {
    parse(uri);
    RedisFrontier.checkCrawlId(crawlId);
  }

  /**
   * SCRIPT LOAD on every node, so pipelined EVALSHA (the sweeps) rarely meets NOSCRIPT; a node that
   * joins or restarts later gets each script by the EVAL fallback.
   */
  private static void loadScripts(StatefulRedisClusterConnection<String, String> connection) {
    for (io.lettuce.core.cluster.models.partitions.RedisClusterNode node :
        connection.getPartitions()) {
      var commands = connection.getConnection(node.getNodeId()).sync();
      for (Scripts script : Scripts.values()) {
        commands.scriptLoad(script.text());
      }
    }
  }

  /** {@code redis://h:p,h:p} to the nodes' URIs. */
  static List<RedisURI> parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (!uri.startsWith("redis://")) {
      throw new IllegalArgumentException(
          "frontier must look like redis://HOST:PORT[,HOST:PORT...], was '" + uri + "'");
    }
    List<RedisURI> nodes = new ArrayList<>();
    for (String node : uri.substring("redis://".length()).split(",")) {
      int colon = node.lastIndexOf(':');
      if (colon <= 0 || colon == node.length() - 1) {
        throw new IllegalArgumentException(
            "frontier node must be HOST:PORT, was '" + node + "' in '" + uri + "'");
      }
      int port;
      try {
        port = Integer.parseInt(node.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "frontier node port must be a number, was '" + node + "' in '" + uri + "'");
      }
      nodes.add(
          RedisURI.builder()
              .withHost(node.substring(0, colon))
              .withPort(port)
              .withTimeout(COMMAND_TIMEOUT)
              .build());
    }
    return nodes;
  }

  /**
   * Opens the shared frontier of crawl {@code crawlId} for {@code config} (its {@code maxPages},
   * {@code perHostConcurrency} and {@code politenessDelay}), creating it in the cluster if it is
   * new. Cheap; many may be open at once.
   */
  public RedisFrontier frontier(
      String crawlId, CrawlConfig config, RedisFrontier.Settings settings, NanoClock clock) {
    return RedisFrontier.open(this, crawlId, config, settings, clock);
  }

  /**
   * Sessions over the shared frontier of crawl {@code crawlId}, for {@code Crawler.start}: every
   * worker of the crawl passes the same id and offers the same seeds (seeding is idempotent).
   */
  public SessionOpener sessions(String crawlId, RedisFrontier.Settings settings) {
    return (engine, config, listener) -> {
      NanoClock clock = NanoClock.system();
      return CrawlSession.open(
          engine, config, listener, frontier(crawlId, config, settings, clock), clock);
    };
  }

  /** What the cluster holds for crawl {@code crawlId}, summed over its buckets. */
  public FrontierStats stats(String crawlId) {
    return RedisFrontier.stats(this, crawlId);
  }

  /** Deletes every key of crawl {@code crawlId}; returns how many there were. */
  public long drop(String crawlId) {
    return RedisFrontier.drop(this, crawlId);
  }

  /** The address given at connect, for messages. */
  public String uri() {
    return uri;
  }

  RedisAdvancedClusterCommands<String, String> sync() {
    return connection.sync();
  }

  RedisAdvancedClusterAsyncCommands<String, String> async() {
    return connection.async();
  }

  /**
   * Commands of a batch: nothing is sent until {@link #flushBatch()}, which every caller calls
   * after queueing its commands (a caller's flush may carry another thread's commands along:
   * harmless, each future gets its own answer). For commands whose answers are awaited together.
   */
  RedisAdvancedClusterAsyncCommands<String, String> batch() {
    return batches.async();
  }

  /** Sends the commands queued on {@link #batch()}: one write per node. */
  void flushBatch() {
    batches.flushCommands();
  }

  /** Runs a bucket script, EVALSHA first, EVAL (which caches it) on NOSCRIPT; with retries. */
  List<Object> script(Scripts script, String[] keys, String... args) {
    return call(
        script.name().toLowerCase(java.util.Locale.ROOT),
        () -> {
          try {
            return connection.sync().evalsha(script.sha(), ScriptOutputType.MULTI, keys, args);
          } catch (RedisNoScriptException e) {
            return connection.sync().eval(script.text(), ScriptOutputType.MULTI, keys, args);
          }
        });
  }

  /** One bucket script to run: what {@link #scripts} takes. */
  record ScriptCall(Scripts script, String[] keys, String[] args) {}

  /**
   * Runs {@code calls} pipelined (all sent before any answer is awaited: one round trip for the
   * lot, whatever slots they touch) and returns their answers in order. A call that fails
   * (NOSCRIPT, a lost connection, a failover) is run again on its own through {@link #script}, with
   * its retries: at-least-once, like every command here.
   */
  List<List<Object>> scripts(List<ScriptCall> calls) {
    if (calls.isEmpty()) {
      return List.of();
    }
    List<RedisFuture<List<Object>>> futures = new ArrayList<>(calls.size());
    for (ScriptCall c : calls) {
      futures.add(batch().evalsha(c.script().sha(), ScriptOutputType.MULTI, c.keys(), c.args()));
    }
    flushBatch();
    List<List<Object>> results = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      ScriptCall c = calls.get(i);
      results.add(await(futures.get(i), () -> script(c.script(), c.keys(), c.args())));
    }
    return results;
  }

  /**
   * The answer of a pipelined command, or, when it failed, {@code again}'s: the command run once
   * more on its own, with the retries of {@link #call}.
   */
  <T> T await(RedisFuture<T> future, Supplier<T> again) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      return again.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisCommandInterruptedException(e);
    }
  }

  /** Hash fields of {@code key}. */
  Map<String, String> hgetall(String key) {
    return call("hgetall", () -> connection.sync().hgetall(key));
  }

  /**
   * Runs {@code op}, retrying what fails for want of the cluster with backoff for at most {@link
   * #giveUp}; a script error or bad command is thrown at once.
   */
  <T> T call(String what, Supplier<T> op) {
    long deadline = System.nanoTime() + giveUp.toNanos();
    long backoffNanos = Duration.ofMillis(50).toNanos();
    boolean warned = false;
    while (true) {
      try {
        return op.get();
      } catch (RedisException e) {
        if (!retriable(e)) {
          throw e;
        }
        if (closed) {
          throw new FrontierUnavailableException(
              "the connection to the Redis Cluster at " + uri + " was closed (" + what + ")", e);
        }
        if (System.nanoTime() - deadline > 0) {
          throw new FrontierUnavailableException(
              "the Redis Cluster at "
                  + uri
                  + " did not answer for "
                  + giveUp.toSeconds()
                  + " s ("
                  + what
                  + "): "
                  + rootMessage(e)
                  + "; this worker's leased URLs come back to the others when their leases"
                  + " expire",
              e);
        }
        if (!warned) {
          log.warn("Redis Cluster not answering ({}): {}; retrying", what, rootMessage(e));
          warned = true;
        }
        LockSupport.parkNanos(backoffNanos);
        backoffNanos = Math.min(backoffNanos * 2, Duration.ofSeconds(2).toNanos());
      }
    }
  }

  private static boolean retriable(RedisException e) {
    if (e instanceof RedisNoScriptException) {
      return false;
    }
    if (e instanceof RedisCommandExecutionException) {
      String m = String.valueOf(e.getMessage());
      return m.startsWith("CLUSTERDOWN")
          || m.startsWith("TRYAGAIN")
          || m.startsWith("LOADING")
          || m.startsWith("MASTERDOWN")
          || m.startsWith("READONLY");
    }
    return true;
  }

  /** The deepest cause's message, on one line (Lettuce's own messages span several). */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    for (Throwable s : t.getSuppressed()) {
      t = s; // "cannot retrieve partitions" keeps the per-node failure as a suppressed exception
    }
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage()).replaceAll("\\s+", " ").strip();
  }

  /** Whether {@link #close()} was called. */
  boolean isClosed() {
    return closed;
  }

  /** The thread of this store's background work (see {@link #background}). */
  ScheduledExecutorService background() {
    return background;
  }

  @Override
  public void close() {
    closed = true;
    background.shutdownNow();
    batches.close();
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  public String toString() {
    return "FrontierStore[" + uri + "]";
  }
}
