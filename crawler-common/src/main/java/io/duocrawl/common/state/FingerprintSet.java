package io.duocrawl.common.state;

/**
 * The fingerprints of URLs done in earlier runs, fixed once loaded: an open-addressing table of
 * longs, linear probing, at most half full, so a lookup is one or two cache misses (a binary search
 * over a million would be twenty). Immutable after construction; safe to share between threads.
 */
final class FingerprintSet {
  private final long[] table;
  private final int mask;
  private final boolean hasZero;
  private final int size;

  FingerprintSet(long[] values) {
    int capacity = Integer.highestOneBit(Math.max(4, values.length * 2 - 1)) << 1;
    table = new long[capacity];
    mask = capacity - 1;
    boolean zero = false;
    for (long v : values) {
      if (v == 0) {
        zero = true; // 0 marks an empty slot, so it is kept aside
        continue;
      }
      int i = slot(v);
      while (table[i] != 0 && table[i] != v) {
        i = (i + 1) & mask;
      }
      table[i] = v;
    }
    hasZero = zero;
    size = values.length;
  }

  boolean contains(long v) {
    if (v == 0) {
      return hasZero;
    }
    int i = slot(v);
    long t;
    while ((t = table[i]) != 0) {
      if (t == v) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  int size() {
    return size;
  }

  private int slot(long v) {
    // Fingerprints are already well mixed (XXH64), so the low bits are as good as any.
    return (int) (v ^ (v >>> 32)) & mask;
  }
}
