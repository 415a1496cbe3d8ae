package io.duocrawl.common.frontier;

/**
 * The frontier's set of seen-URL fingerprints: 256 {@link LongHashSet} segments chosen by the low
 * byte of the fingerprint, each growing on its own. Growing one segment copies 1/256 of the set, so
 * no single add stalls the frontier's lock for long: at 10 M fingerprints a grow moves about 40,000
 * keys (well under a millisecond) where one table would copy 80 MB. Memory per key stays that of
 * {@link LongHashSet}: 10.7 to 16 bytes. Not thread-safe: the frontier's lock guards it.
 */
final class FingerprintSet {
  private static final int SEGMENT_BITS = 8;
  private static final int SEGMENTS = 1 << SEGMENT_BITS;

  /**
   * The most keys the set is pre-sized for: 1 M keys, about 11 MB of tables up front. A crawl
   * allowed more pages grows past it a segment at a time.
   */
  static final int MAX_PRESIZE = 1 << 20;

  private final LongHashSet[] segments = new LongHashSet[SEGMENTS];
  private long size;

  /** A set sized for {@code expected} keys (up to {@link #MAX_PRESIZE}) before it first grows. */
  FingerprintSet(long expected) {
    double mean = (double) Math.min(Math.max(expected, 0), MAX_PRESIZE) / SEGMENTS;
    // Keys spread over the segments binomially: four standard deviations of headroom keep all
    // but a rare segment from growing before the set holds the keys it was sized for.
    int perSegment = (int) Math.ceil(mean + 4 * Math.sqrt(mean));
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new LongHashSet(perSegment);
    }
  }

  /** Adds {@code key}; false if it was there already. */
  boolean add(long key) {
    if (segments[(int) key & (SEGMENTS - 1)].add(key)) {
      size++;
      return true;
    }
    return false;
  }

  /** Whether {@code key} is in the set. */
  boolean contains(long key) {
    return segments[(int) key & (SEGMENTS - 1)].contains(key);
  }

  /**
   * Whether {@code key} is surely in the set, without the frontier's lock: see {@link
   * LongHashSet#surelyContains}; false means "not known, ask under the lock". Keys are never
   * removed from this set, which is what makes a true answer safe.
   */
  boolean surelyContains(long key) {
    return segments[(int) key & (SEGMENTS - 1)].surelyContains(key);
  }

  /** Number of keys. */
  long size() {
    return size;
  }

  /** Slots over all segments: the tables take {@code 8 * capacity} bytes. */
  long capacity() {
    long slots = 0;
    for (LongHashSet segment : segments) {
      slots += segment.capacity();
    }
    return slots;
  }
}
