package io.duocrawl.reactive;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a response body into a byte array with the size cap enforced while reading: at most {@code
 * limit + 1} bytes are looked at; on the byte past the limit the body subscription is cancelled
 * (Reactor Netty then closes the connection, which also frees its pool slot) and the result says
 * "too large". A 50 MB body therefore costs at most {@code limit} bytes of heap.
 *
 * <p>Buffers are borrowed, never retained: each chunk is copied into the array inside {@code
 * onNext}, and its owner (Reactor Netty's receiver) releases it when {@code onNext} returns. No
 * operator that queues chunks may sit between the source and this aggregator, or the copy would
 * read a released buffer.
 */
final class BodyAggregator {
  /** The largest array allocated up front from a {@code Content-Length}; bigger bodies grow. */
  static final int MAX_INITIAL_CAPACITY = 256 * 1024;

  private static final int DEFAULT_INITIAL_CAPACITY = 16 * 1024;

  private BodyAggregator() {}

  /**
   * A body read to its end or stopped past the limit.
   *
   * @param bytes the bytes read; only the first {@code length} count
   * @param length bytes kept
   * @param seen bytes seen, {@code limit + 1} or more when truncated (a chunk is not split)
   * @param truncated the body had more than {@code limit} bytes
   */
  record Body(byte[] bytes, int length, long seen, boolean truncated) {}

  /**
   * Aggregates {@code chunks}, keeping at most {@code limit} bytes.
   *
   * @param limit the most body bytes wanted; must be positive and fit an array
   * @param expectedLength the {@code Content-Length}, or -1 when unknown; only a sizing hint
   */
  static Mono<Body> aggregate(Flux<ByteBuf> chunks, long limit, long expectedLength) {
    if (limit <= 0 || limit > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("limit must be in 1..2^31-9, was " + limit);
    }
    return Mono.defer(
        () -> {
          Accumulator accumulator = new Accumulator((int) limit, expectedLength);
          // takeUntil cancels upstream right after the chunk that crossed the limit.
          return chunks
              .doOnNext(accumulator::append)
              .takeUntil(chunk -> accumulator.truncated())
              .then(Mono.fromSupplier(accumulator::body));
        });
  }

  /** Not thread-safe; a body's chunks arrive one at a time. */
  private static final class Accumulator {
    private final int limit;
    private byte[] bytes;
    private int length;
    private long seen;

    Accumulator(int limit, long expectedLength) {
      this.limit = limit;
      long initial = expectedLength >= 0 ? expectedLength : DEFAULT_INITIAL_CAPACITY;
      this.bytes = new byte[(int) Math.min(Math.min(initial, limit), MAX_INITIAL_CAPACITY)];
    }

    void append(ByteBuf chunk) {
      int readable = chunk.readableBytes();
      seen += readable;
      int keep = (int) Math.min(readable, (long) limit - length);
      if (keep <= 0) {
        return;
      }
      if (length + keep > bytes.length) {
        int grown = (int) Math.min(Math.max((long) bytes.length * 2, length + keep), limit);
        bytes = Arrays.copyOf(bytes, grown);
      }
      chunk.getBytes(chunk.readerIndex(), bytes, length, keep);
      length += keep;
    }

    boolean truncated() {
      return seen > limit;
    }

    Body body() {
      return new Body(bytes, length, seen, truncated());
    }
  }
}
