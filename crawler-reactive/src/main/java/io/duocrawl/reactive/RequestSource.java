package io.duocrawl.reactive;

import io.duocrawl.common.Crawler;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * The head of the pipeline: a {@link Flux} of requests pulled from a {@link Work} source only when
 * downstream asks for them. Downstream is {@code flatMap(fetch, N)}, so its demand is exactly the
 * number of free fetch slots, and no request is handed out (and counted in flight by the session)
 * before a slot is free.
 *
 * <p>The drain loop runs when demand arrives, when the source signals a wake (a completion may have
 * made work ready, or the crawl ended), and when a timer fires: set for {@link
 * Work#nanosUntilReady()}, and never later than {@link Crawler#MAX_IDLE_WAIT} while a slot is free
 * (readiness may change outside the process); a newer timer replaces a stale one. The Flux
 * completes as soon as {@link Work#isDone()} says so. Single subscriber, single use.
 *
 * <p>The drain loop is the usual serialized work-in-progress loop: whichever thread gets there
 * first drains for everyone, so {@link Work#next()} is never called concurrently and a wake that
 * arrives mid-drain is never lost (it makes the loop go round once more).
 */
final class RequestSource<T> extends Flux<T> {

  /** What the source pulls from: the crawl session, or a fake in tests. */
  interface Work<T> {
    /** The next request ready now, if any. */
    Optional<T> next();

    /** Nanoseconds until {@link #next()} may have something; empty: only a wake can help. */
    OptionalLong nanosUntilReady();

    /** Whether the work is over. */
    boolean isDone();

    /** Registers the callback to run whenever work may have become ready or ended. */
    void onWake(Runnable wake);
  }

  private final Work<T> work;
  private final Scheduler timers;
  private final long maxIdleNanos;
  private final AtomicInteger subscribed = new AtomicInteger();

  /** A source that looks at the work at least every {@link Crawler#MAX_IDLE_WAIT}. */
  RequestSource(Work<T> work, Scheduler timers) {
    this(work, timers, Crawler.MAX_IDLE_WAIT);
  }

  /** A source that looks at the work at least every {@code maxIdleWait}; for tests. */
  RequestSource(Work<T> work, Scheduler timers, Duration maxIdleWait) {
    this.work = Objects.requireNonNull(work, "work");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.maxIdleNanos = maxIdleWait.toNanos();
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    if (subscribed.getAndIncrement() != 0) {
      Operators.error(
          actual, new IllegalStateException("RequestSource allows only one subscriber"));
      return;
    }
    Drain<T> drain = new Drain<>(actual, work, timers, maxIdleNanos);
    work.onWake(drain::drain);
    actual.onSubscribe(drain);
    // Completes at once if the work is already over, demand or not.
    drain.drain();
  }

  static final class Drain<T> implements Subscription {
    private static final long NOT_ARMED = Long.MIN_VALUE;

    private final CoreSubscriber<? super T> actual;
    private final Work<T> work;
    private final Scheduler timers;
    private final long maxIdleNanos;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final Disposable.Swap timer = Disposables.swap();
    // The deadline of the pending timer on the timers' clock, or NOT_ARMED.
    private final AtomicLong armedAt = new AtomicLong(NOT_ARMED);
    private volatile boolean cancelled;
    private boolean terminated;
    // Only touched inside the serialized drain loop.
    private long emitted;

    Drain(CoreSubscriber<? super T> actual, Work<T> work, Scheduler timers, long maxIdleNanos) {
      this.actual = actual;
      this.work = work;
      this.timers = timers;
      this.maxIdleNanos = maxIdleNanos;
    }

    @Override
    public void request(long n) {
      if (Operators.validate(n)) {
        requested.getAndUpdate(r -> Operators.addCap(r, n));
        drain();
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      timer.dispose();
    }

    void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      do {
        if (cancelled || terminated) {
          return;
        }
        long r = requested.get();
        long e = emitted;
        while (e != r) {
          if (work.isDone()) {
            complete();
            return;
          }
          Optional<T> next = work.next();
          if (next.isEmpty()) {
            break;
          }
          actual.onNext(next.get());
          e++;
          if (cancelled) {
            return;
          }
        }
        emitted = e;
        if (work.isDone()) {
          complete();
          return;
        }
        if (e != requested.get()) {
          // A free slot and nothing ready: wait for the time the source names, or for a wake.
          armTimer(work.nanosUntilReady());
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    }

    private void armTimer(OptionalLong nanos) {
      // Never longer than MAX_IDLE_WAIT, even when only a local completion seems able to help:
      // readiness may change outside the process. A pending timer that fires first is kept.
      long delay = Math.min(nanos.orElse(maxIdleNanos), maxIdleNanos);
      long deadline = timers.now(TimeUnit.NANOSECONDS) + delay;
      long current = armedAt.get();
      if (current != NOT_ARMED && current <= deadline) {
        // The pending timer fires first anyway, and its drain re-arms for what is left.
        return;
      }
      // The pending timer (if any) is stale, set for later than needed: update() disposes it. A 0
      // means "ready now" although next() found nothing (a race with a completion): go round
      // again, but off this stack.
      armedAt.set(deadline);
      timer.update(
          timers.schedule(
              () -> {
                armedAt.compareAndSet(deadline, NOT_ARMED);
                drain();
              },
              delay,
              TimeUnit.NANOSECONDS));
    }

    private void complete() {
      terminated = true;
      timer.dispose();
      actual.onComplete();
    }
  }
}
