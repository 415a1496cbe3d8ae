package io.duocrawl.common.session;

import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Items that come due at a time on the session's clock (nanoseconds), earliest first. Thread-safe;
 * {@link #isEmpty()} takes no lock, so a caller that asks on every dispatch pays nothing while the
 * queue is empty (the common case). A lock, not a monitor: a virtual thread never pins its carrier.
 */
final class DueQueue<T> {
  private record Item<T>(T value, long at) {}

  private final PriorityQueue<Item<T>> queue =
      new PriorityQueue<>((a, b) -> Long.compare(a.at() - b.at(), 0));
  private final ReentrantLock lock = new ReentrantLock();

  /** {@code queue.size()}, readable without the lock. */
  private volatile int size;

  /** Queues {@code value}, due at {@code at}. */
  void add(T value, long at) {
    lock.lock();
    try {
      queue.add(new Item<>(value, at));
      size = queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Whether nothing is queued; no lock. */
  boolean isEmpty() {
    return size == 0;
  }

  /** Removes and returns the earliest item if it is due at {@code now}; else null. */
  @Nullable T pollDue(long now) {
    lock.lock();
    try {
      Item<T> head = queue.peek();
      if (head == null || head.at() - now > 0) {
        return null;
      }
      queue.poll();
      size = queue.size();
      return head.value();
    } finally {
      lock.unlock();
    }
  }

  /** Nanoseconds from {@code now} until the earliest item is due (0 if it is); empty if none. */
  OptionalLong nanosUntilDue(long now) {
    if (size == 0) {
      return OptionalLong.empty();
    }
    lock.lock();
    try {
      Item<T> head = queue.peek();
      return head == null ? OptionalLong.empty() : OptionalLong.of(Math.max(0, head.at() - now));
    } finally {
      lock.unlock();
    }
  }
}
