package io.duocrawl.common.robots;

import java.time.Duration;
import java.util.Optional;

/** {@link RobotsShare#none()}. */
enum NoRobotsShare implements RobotsShare {
  INSTANCE;

  @Override
  public Optional<Stored> lookup(String hostKey) {
    return Optional.empty();
  }

  @Override
  public boolean tryTake(String hostKey, Duration ttl) {
    return true;
  }

  @Override
  public void store(String hostKey, Outcome outcome) {}

  @Override
  public String toString() {
    return "RobotsShare.none()";
  }
}
