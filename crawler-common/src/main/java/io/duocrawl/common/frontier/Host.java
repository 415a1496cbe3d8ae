package io.duocrawl.common.frontier;

import java.util.List;

/**
 * One politeness key's state: its FIFO queue (requests with their fingerprints, in two parallel
 * ring arrays so no entry object is allocated per URL), slots in flight, last dispatch, delay,
 * pause, and where the scheduler holds it. Not thread-safe: the frontier's lock guards it.
 */
final class Host {
  /** Held by no scheduler structure: idle, paused, at its cap, or emptied. */
  static final int NONE = 0;

  /**
   * In the round-robin ring of hosts ready now (possibly stale; checked when it reaches the head).
   */
  static final int READY = 1;

  /** In the heap of hosts waiting for their politeness delay to end. */
  static final int WAITING = 2;

  private static final int FIRST_CAPACITY = 4;

  /** Queues that grew past this are dropped when they empty, so idle hosts hold little memory. */
  private static final int KEEP_CAPACITY = 64;

  private static final CrawlRequest[] NO_REQUESTS = new CrawlRequest[0];
  private static final long[] NO_FINGERPRINTS = new long[0];

  final String key;
  long delayNanos;
  boolean paused;
  int inFlight;
  boolean dispatched;
  long lastDispatch;

  /** Whether {@link #heldUntil} was set by {@code delayHost}. */
  boolean held;

  /** No dispatch before this time, when {@link #held}. */
  long heldUntil;

  /** Where the scheduler holds this host: {@link #NONE}, {@link #READY} or {@link #WAITING}. */
  int slot = NONE;

  /** Position in the waiting heap, -1 when not in it. */
  int heapIndex = -1;

  private CrawlRequest[] requests = NO_REQUESTS;
  private long[] fingerprints = NO_FINGERPRINTS;
  private int head;
  private int size;

  Host(String key, long delayNanos) {
    this.key = key;
    this.delayNanos = delayNanos;
  }

  /**
   * The earliest time of the next dispatch; meaningful once {@link #dispatched} with a nonzero
   * delay (dispatches without a delay do not record their time), or when {@link #held}.
   */
  long readyAt() {
    long politeness = lastDispatch + delayNanos;
    if (!held) {
      return politeness;
    }
    if (!dispatched || delayNanos == 0) {
      return heldUntil;
    }
    return politeness - heldUntil > 0 ? politeness : heldUntil;
  }

  /** Has queued work, is not paused and has a free slot; time aside. */
  boolean schedulable(int perHostCap) {
    return size > 0 && !paused && inFlight < perHostCap;
  }

  int queued() {
    return size;
  }

  void addLast(CrawlRequest request, long fingerprint) {
    ensureRoom();
    int i = (head + size) & (requests.length - 1);
    requests[i] = request;
    fingerprints[i] = fingerprint;
    size++;
  }

  void addFirst(CrawlRequest request, long fingerprint) {
    ensureRoom();
    head = (head - 1) & (requests.length - 1);
    requests[head] = request;
    fingerprints[head] = fingerprint;
    size++;
  }

  /** The fingerprint of the head request; call before {@link #removeFirst}. */
  long firstFingerprint() {
    return fingerprints[head];
  }

  /** Removes and returns the head request; the queue must not be empty. */
  CrawlRequest removeFirst() {
    CrawlRequest r = requests[head];
    requests[head] = null;
    head = (head + 1) & (requests.length - 1);
    if (--size == 0) {
      head = 0;
      if (requests.length > KEEP_CAPACITY) {
        requests = NO_REQUESTS;
        fingerprints = NO_FINGERPRINTS;
      }
    }
    return r;
  }

  /** Moves every queued request to {@code out}, in order, and empties the queue. */
  void drainTo(List<CrawlRequest> out) {
    while (size > 0) {
      out.add(removeFirst());
    }
  }

  private void ensureRoom() {
    int capacity = requests.length;
    if (size < capacity) {
      return;
    }
    int grown = capacity == 0 ? FIRST_CAPACITY : capacity << 1;
    CrawlRequest[] r = new CrawlRequest[grown];
    long[] f = new long[grown];
    for (int n = 0; n < size; n++) {
      int from = (head + n) & (capacity - 1);
      r[n] = requests[from];
      f[n] = fingerprints[from];
    }
    requests = r;
    fingerprints = f;
    head = 0;
  }
}
