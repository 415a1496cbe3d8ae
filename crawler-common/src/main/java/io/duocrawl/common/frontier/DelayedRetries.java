package io.duocrawl.common.frontier;

import java.util.List;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * Retries waiting for their not-before time: a heap by time, equal times in the order they were
 * scheduled. Each entry keeps the request's fingerprint so it need not be hashed again. Not
 * thread-safe: the frontier's lock guards it.
 */
final class DelayedRetries {
  /** A retry due at {@code due}; {@code seq} keeps equal times first-in, first-out. */
  record Retry(long due, long seq, CrawlRequest request, long fingerprint) {}

  // Subtraction, not <, because nanoTime values may wrap.
  private final PriorityQueue<Retry> heap =
      new PriorityQueue<>(
          (a, b) -> a.due == b.due ? Long.compare(a.seq, b.seq) : Long.signum(a.due - b.due));
  private long seq;

  void add(CrawlRequest request, long fingerprint, long notBeforeNanos) {
    heap.add(new Retry(notBeforeNanos, seq++, request, fingerprint));
  }

  boolean isEmpty() {
    return heap.isEmpty();
  }

  int size() {
    return heap.size();
  }

  /** The time the earliest retry is due; the set must not be empty. */
  long firstDue() {
    return heap.element().due();
  }

  /** Removes and returns the earliest retry if it is due at {@code now}, else null. */
  @Nullable Retry pollDue(long now) {
    Retry first = heap.peek();
    if (first == null || now - first.due() < 0) {
      return null;
    }
    return heap.poll();
  }

  /** Moves every retry's request to {@code out}, earliest first, and empties the set. */
  void drainTo(List<CrawlRequest> out) {
    Retry retry;
    while ((retry = heap.poll()) != null) {
      out.add(retry.request());
    }
  }
}
