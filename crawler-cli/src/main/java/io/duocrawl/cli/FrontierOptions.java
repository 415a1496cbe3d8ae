package io.duocrawl.cli;

import io.duocrawl.redis.FrontierStore;
import io.duocrawl.redis.RedisFrontier;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --frontier redis://HOST:PORT[,HOST:PORT...] --crawl-id NAME [--lease 30s]}: a crawl whose
 * frontier lives in a Redis Cluster and is shared by every worker that runs the same command. See
 * docs/distributed.md.
 */
final class FrontierOptions {
  @Option(
      names = "--frontier",
      paramLabel = "redis://HOST:PORT[,HOST:PORT...]",
      description =
          "Share the frontier with other workers through this Redis Cluster (any of its nodes)."
              + " Every worker runs the same command with the same --crawl-id; seeding is"
              + " idempotent, and each worker exits when nothing is queued or leased anywhere.")
  String uri;

  @Option(
      names = "--crawl-id",
      paramLabel = "NAME",
      description = "The shared crawl's name in the cluster (A-Z a-z 0-9 . _ -).")
  String crawlId;

  @Option(
      names = "--lease",
      paramLabel = "DURATION",
      converter = Units.DurationConverter.class,
      description =
          "How long a worker holds a URL it took before another worker may take it (a worker"
              + " killed mid-crawl). Longer than --timeout. Default: 30s.")
  Duration lease;

  boolean shared() {
    return uri != null;
  }

  /** Checks the combination; throws a {@link UsageException} naming the option. */
  void check(boolean withState, boolean withWarmup) {
    if (uri == null) {
      if (crawlId != null || lease != null) {
        throw new UsageException("--crawl-id and --lease need --frontier");
      }
      return;
    }
    if (crawlId == null) {
      throw new UsageException("--frontier needs --crawl-id NAME");
    }
    if (withState) {
      throw new UsageException("--frontier cannot be combined with --state");
    }
    if (withWarmup) {
      throw new UsageException("--warmup cannot be combined with --frontier");
    }
    try {
      FrontierStore.check(uri, crawlId);
      settings();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  RedisFrontier.Settings settings() {
    RedisFrontier.Settings defaults = RedisFrontier.Settings.defaults();
    return lease == null ? defaults : defaults.withLease(lease);
  }
}
