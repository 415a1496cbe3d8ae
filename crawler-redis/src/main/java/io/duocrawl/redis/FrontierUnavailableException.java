package io.duocrawl.redis;

/**
 * The Redis Cluster behind a {@link RedisFrontier} could not be reached: at connect, or for longer
 * than {@link RedisFrontier.Settings#giveUp()} in the middle of a crawl. URLs this worker held stay
 * leased in the store and come back to the other workers when their leases expire.
 */
public final class FrontierUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With the message a user sees on one line, and the client's exception as the cause. */
  public FrontierUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
