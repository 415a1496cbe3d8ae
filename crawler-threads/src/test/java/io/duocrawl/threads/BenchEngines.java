package io.duocrawl.threads;

import io.duocrawl.common.Crawler;

/** Test-only access to engine variants the public API does not offer, for the benchmark. */
public final class BenchEngines {
  private BenchEngines() {}

  /**
   * The {@code threads} engine whose idle workers are all woken on every completion and all wait
   * with a timeout: the naive policy {@link IdleWorkers} avoids, kept to measure what that saves.
   */
  public static Crawler threadsWakeAll() {
    return ThreadsCrawler.tuned("threads", IdleWorkers.Policy.ALL, ThreadsCrawler.WORKERS_PER_LANE);
  }

  /**
   * An engine ({@code threads} or {@code virtual}) with {@code workersPerLane} per OkHttp client.
   */
  public static Crawler withLanes(String engine, int workersPerLane) {
    return ThreadsCrawler.tuned(engine, IdleWorkers.Policy.RELAY, workersPerLane);
  }
}
