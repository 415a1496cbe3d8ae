package io.duocrawl.common;

/**
 * The terminal state of a URL the frontier accepted. Every accepted URL ends in exactly one of
 * these, or is still pending when the crawl stops, so that {@code accepted = fetched + redirected +
 * failed + skipped + pending}.
 */
public enum Outcome {
  /** A 2xx HTML page was fetched and parsed. */
  FETCHED,
  /**
   * A 3xx response whose target was offered back to the frontier (where dedup, scope and robots
   * apply to it). The target, if accepted, is a URL of its own.
   */
  REDIRECTED,
  /** The URL could not be fetched; {@link Reason} says why. */
  FAILED,
  /** The URL was deliberately not fetched or not kept; {@link Reason} says why. */
  SKIPPED
}
