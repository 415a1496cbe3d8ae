package io.duocrawl.common.frontier;

import java.util.Arrays;

/**
 * Hosts waiting for their politeness delay, a binary min-heap by {@link Host#readyAt()}. Each host
 * knows its index, so a paused or re-timed host leaves in O(log hosts) instead of the O(n) scan of
 * {@code PriorityQueue.remove(Object)}. Not thread-safe: the frontier's lock guards it.
 */
final class HostHeap {
  private Host[] heap = new Host[16];
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  /** The host whose delay ends first; the heap must not be empty. */
  Host peek() {
    return heap[0];
  }

  void add(Host host) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size << 1);
    }
    siftUp(size++, host);
  }

  /** Removes and returns the host whose delay ends first; the heap must not be empty. */
  Host poll() {
    Host top = heap[0];
    removeAt(0);
    return top;
  }

  /** Removes {@code host}, which must be in this heap. */
  void remove(Host host) {
    removeAt(host.heapIndex);
  }

  /** Empties the heap, marking every host as out of it. */
  void clear() {
    for (int i = 0; i < size; i++) {
      heap[i].heapIndex = -1;
      heap[i] = null;
    }
    size = 0;
  }

  private void removeAt(int i) {
    Host gone = heap[i];
    gone.heapIndex = -1;
    Host last = heap[--size];
    heap[size] = null;
    if (i < size) {
      siftDown(i, last);
      if (heap[i] == last) {
        siftUp(i, last);
      }
    }
  }

  private void siftUp(int i, Host host) {
    long key = host.readyAt();
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Host p = heap[parent];
      // Subtraction, not <, because nanoTime values may wrap.
      if (key - p.readyAt() >= 0) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = host;
    host.heapIndex = i;
  }

  private void siftDown(int i, Host host) {
    long key = host.readyAt();
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      Host c = heap[child];
      int right = child + 1;
      if (right < size && heap[right].readyAt() - c.readyAt() < 0) {
        child = right;
        c = heap[child];
      }
      if (key - c.readyAt() <= 0) {
        break;
      }
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = host;
    host.heapIndex = i;
  }
}
