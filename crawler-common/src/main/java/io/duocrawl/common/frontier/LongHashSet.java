package io.duocrawl.common.frontier;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A set of {@code long}s in one {@code long[]}: open addressing, linear probing, growing by half
 * when three quarters full. Built for fingerprints (already well mixed), so memory per entry is 8
 * bytes divided by the load: between 10.7 and 16 bytes (load 0.75 to 0.5), against ~55 for a {@code
 * HashSet<Long>} (a node, a boxed {@code Long} and a table slot each). Growing by half rather than
 * doubling is what keeps the worst case under 17 bytes; the capacity is then no power of two, so
 * the home slot is the high 32 bits of the key scaled to the capacity (a multiply and a shift, no
 * division).
 *
 * <p>Slot value 0 means empty, so the key 0 lives in a flag of its own. Removal shifts the
 * following run back instead of leaving tombstones, so lookups never slow down with churn (the
 * in-flight set adds and removes constantly). Not thread-safe: the frontier's lock guards it.
 */
final class LongHashSet {
  private static final int MAX_CAPACITY = 1 << 30;

  /** Slot access for {@link #surelyContains} and the writes it may race with. */
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private long[] table;
  private int capacity;
  private int size;
  private int growAt;
  private boolean hasZero;

  /** A set sized for about {@code expected} keys before it first grows. */
  LongHashSet(int expected) {
    long capacity = Math.max(16, (long) Math.ceil(expected / 0.75));
    allocate((int) Math.min(MAX_CAPACITY, capacity));
  }

  /** Adds {@code key}; false if it was there already. */
  boolean add(long key) {
    if (key == 0) {
      if (hasZero) {
        return false;
      }
      hasZero = true;
      size++;
      return true;
    }
    long[] t = table;
    int m = capacity;
    int i = slot(key, m);
    long k;
    while ((k = t[i]) != 0) {
      if (k == key) {
        return false;
      }
      i = next(i, m);
    }
    SLOT.setOpaque(t, i, key);
    if (++size > growAt) {
      grow();
    }
    return true;
  }

  /** Whether {@code key} is in the set. */
  boolean contains(long key) {
    if (key == 0) {
      return hasZero;
    }
    long[] t = table;
    int m = capacity;
    int i = slot(key, m);
    long k;
    while ((k = t[i]) != 0) {
      if (k == key) {
        return true;
      }
      i = next(i, m);
    }
    return false;
  }

  /**
   * Whether {@code key} is surely in the set, safe to call <em>without</em> the lock that guards
   * the writers, for sets that are only added to: true only if the key was added (a slot holds only
   * a key some writer stored there, and keys are never removed); false may be wrong while another
   * thread adds or grows (the reader may see an older or a half-filled table), so false means "ask
   * again under the lock". Reads each slot opaquely, so a 64-bit slot is never seen half written.
   */
  boolean surelyContains(long key) {
    if (key == 0) {
      return false;
    }
    long[] t = table;
    int m = t.length;
    int i = slot(key, m);
    // Bounded: a table seen while another thread fills it may have no empty slot left.
    for (int probes = 0; probes < m; probes++) {
      long k = (long) SLOT.getOpaque(t, i);
      if (k == key) {
        return true;
      }
      if (k == 0) {
        return false;
      }
      i = next(i, m);
    }
    return false;
  }

  /** Removes {@code key}; false if it was not there. */
  boolean remove(long key) {
    if (key == 0) {
      if (!hasZero) {
        return false;
      }
      hasZero = false;
      size--;
      return true;
    }
    long[] t = table;
    int m = capacity;
    int i = slot(key, m);
    long k;
    while ((k = t[i]) != key) {
      if (k == 0) {
        return false;
      }
      i = next(i, m);
    }
    // Backward-shift deletion (Knuth 6.4, algorithm R): move later keys of the probe run into
    // the hole when their home slot does not lie cyclically between the hole and them.
    int hole = i;
    int j = i;
    while (true) {
      j = next(j, m);
      k = t[j];
      if (k == 0) {
        break;
      }
      int home = slot(k, m);
      boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (!stays) {
        t[hole] = k;
        hole = j;
      }
    }
    t[hole] = 0;
    size--;
    return true;
  }

  /** Number of keys. */
  int size() {
    return size;
  }

  /** Slots in the table (for memory accounting): the table takes {@code 8 * capacity} bytes. */
  int capacity() {
    return table.length;
  }

  /** The home slot: the key's high 32 bits scaled to [0, capacity). */
  private static int slot(long key, int capacity) {
    return (int) (((key >>> 32) * capacity) >>> 32);
  }

  private static int next(int i, int capacity) {
    return i + 1 == capacity ? 0 : i + 1;
  }

  private void allocate(int slots) {
    table = new long[slots];
    capacity = slots;
    growAt = slots == MAX_CAPACITY ? slots - 1 : (int) (slots * 3L / 4);
  }

  private void grow() {
    long[] old = table;
    if (old.length == MAX_CAPACITY) {
      throw new IllegalStateException("fingerprint set is full at " + size + " keys");
    }
    allocate((int) Math.min(MAX_CAPACITY, old.length + (long) old.length / 2));
    long[] t = table;
    int m = capacity;
    for (long k : old) {
      if (k != 0) {
        int i = slot(k, m);
        while (t[i] != 0) {
          i = next(i, m);
        }
        SLOT.setOpaque(t, i, k);
      }
    }
  }
}
