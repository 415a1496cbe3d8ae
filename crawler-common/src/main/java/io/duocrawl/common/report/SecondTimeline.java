package io.duocrawl.common.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A counter per whole second since the start, growing without bound. Thread-safe; {@link
 * #increment} is lock-free once the second's chunk exists.
 *
 * <p>Counts live in fixed chunks of 64 seconds; a directory points at the chunks. Growing copies
 * the directory (once every 64 seconds of crawl, under a lock) but never a chunk, so an increment
 * racing with a grow still lands in the one chunk every later reader sees: nothing is lost, which a
 * grow-by-copying-the-counts array could not promise without locking every increment.
 */
final class SecondTimeline {
  private static final int CHUNK_BITS = 6;
  private static final int CHUNK_SIZE = 1 << CHUNK_BITS;

  /** Copy-on-write: never changed after publication, replaced whole under {@code this}. */
  private volatile AtomicLongArray[] chunks = new AtomicLongArray[16];

  /** Adds one to second {@code second} (negative seconds count as second 0). */
  void increment(long second) {
    long s = Math.max(0, second);
    int index = Math.toIntExact(s >>> CHUNK_BITS);
    AtomicLongArray[] directory = chunks;
    AtomicLongArray chunk = index < directory.length ? directory[index] : null;
    if (chunk == null) {
      chunk = chunk(index);
    }
    chunk.incrementAndGet((int) (s & (CHUNK_SIZE - 1)));
  }

  private synchronized AtomicLongArray chunk(int index) {
    AtomicLongArray[] directory = chunks;
    if (index < directory.length && directory[index] != null) {
      return directory[index];
    }
    int length = directory.length;
    while (length <= index) {
      length *= 2;
    }
    AtomicLongArray[] grown = Arrays.copyOf(directory, length);
    AtomicLongArray chunk = new AtomicLongArray(CHUNK_SIZE);
    grown[index] = chunk;
    chunks = grown;
    return chunk;
  }

  /**
   * The counts from second 0, at least {@code minLength} long and long enough to hold every
   * non-zero second.
   */
  List<Long> toList(int minLength) {
    AtomicLongArray[] directory = chunks;
    long[] counts = new long[directory.length * CHUNK_SIZE];
    int length = minLength;
    for (int c = 0; c < directory.length; c++) {
      AtomicLongArray chunk = directory[c];
      if (chunk == null) {
        continue;
      }
      for (int i = 0; i < CHUNK_SIZE; i++) {
        long count = chunk.get(i);
        int second = c * CHUNK_SIZE + i;
        counts[second] = count;
        if (count != 0) {
          length = Math.max(length, second + 1);
        }
      }
    }
    List<Long> list = new ArrayList<>(length);
    for (int second = 0; second < length; second++) {
      list.add(second < counts.length ? counts[second] : 0L);
    }
    return list;
  }
}
