package io.duocrawl.common.report;

import java.util.concurrent.atomic.AtomicInteger;

/** A probe that returns whatever the test set, and counts how often it was sampled. */
final class FakeProbe implements ResourceProbe {
  volatile int threads = 10;
  volatile long heap = 1_000;
  volatile long rss = 2_000;
  volatile long cpuNanos = 0;
  final AtomicInteger samples = new AtomicInteger();

  @Override
  public int liveThreads() {
    samples.incrementAndGet();
    return threads;
  }

  @Override
  public long heapUsedBytes() {
    return heap;
  }

  @Override
  public long rssBytes() {
    return rss;
  }

  @Override
  public long processCpuNanos() {
    return cpuNanos;
  }
}
