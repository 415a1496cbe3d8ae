package io.duocrawl.common.frontier;

import io.duocrawl.common.NanoClock;
import java.time.Duration;

/** The in-memory {@link Frontier}. Work in progress: the implementation lands next. */
abstract class InMemoryFrontier implements Frontier {
  static Frontier create(int maxPages, int perHost, Duration delay, NanoClock clock) {
    throw new UnsupportedOperationException("in-memory frontier not implemented yet");
  }
}
