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
    return ThreadsCrawler.platform(IdleWorkers.Policy.ALL);
  }

  /**
   * The {@code threads} engine whose completions also signal one idle worker, as the virtual
   * engine's do, instead of leaving the completing worker to take the work itself.
   */
  public static Crawler threadsSignalOnCompletion() {
    return ThreadsCrawler.platform(IdleWorkers.Policy.SIGNAL);
  }
}
