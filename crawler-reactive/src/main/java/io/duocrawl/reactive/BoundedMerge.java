package io.duocrawl.reactive;

import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * {@code source.flatMap(mapper, maxConcurrency)} for inners that are {@link Mono}s, in constant
 * time per inner: the pipeline's fan-out.
 *
 * <p>Why not {@code flatMap}: its drain loop walks the array of every active inner each time one
 * completes, so at C = 10,000 exchanges in flight each page cost a walk over 10,000 slots (JFR:
 * {@code FluxFlatMap$FlatMapMain.drainLoop} 18 % of the crawler's CPU at C = 10,000 against under 5
 * % at 1,024; docs/engines-profile.md). Here a finished inner puts its value on one queue, and the
 * serialized drain takes values from it while downstream has demand.
 *
 * <p>The same contract as {@code flatMap}: at most {@code maxConcurrency} inners are active, and an
 * inner stays active (its slot is not given back to the source) until its value has been emitted
 * downstream, so a slow subscriber holds the source back instead of growing a buffer. Values come
 * out in completion order. An error from the source or an inner cancels the rest and is emitted
 * once the drain gets to it; cancelling cancels the source and every active inner. Single
 * subscriber per subscription, as any operator.
 */
final class BoundedMerge<T, R> extends Flux<R> {
  private final Flux<? extends T> source;
  private final Function<? super T, ? extends Mono<? extends R>> mapper;
  private final int maxConcurrency;

  BoundedMerge(
      Flux<? extends T> source,
      Function<? super T, ? extends Mono<? extends R>> mapper,
      int maxConcurrency) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be > 0, was " + maxConcurrency);
    }
    this.source = Objects.requireNonNull(source, "source");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.maxConcurrency = maxConcurrency;
  }

  @Override
  public void subscribe(CoreSubscriber<? super R> actual) {
    source.subscribe(new Main<T, R>(actual, mapper, maxConcurrency));
  }

  private static final class Main<T, R> implements CoreSubscriber<T>, Subscription {
    private final CoreSubscriber<? super R> actual;
    private final Function<? super T, ? extends Mono<? extends R>> mapper;
    private final int maxConcurrency;
    private final Queue<R> ready = Queues.<R>unboundedMultiproducer().get();
    private final Set<Inner<R>> inners = ConcurrentHashMap.newKeySet();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    // Inners subscribed whose slot has not been given back: value not yet emitted, or not done.
    private final AtomicInteger active = new AtomicInteger();
    // Inners that completed without a value since the drain last looked.
    private final AtomicInteger emptied = new AtomicInteger();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private volatile boolean done;
    private volatile boolean cancelled;
    private Subscription upstream;
    // Only touched inside the serialized drain loop.
    private long emitted;
    private boolean terminated;

    Main(
        CoreSubscriber<? super R> actual,
        Function<? super T, ? extends Mono<? extends R>> mapper,
        int maxConcurrency) {
      this.actual = actual;
      this.mapper = mapper;
      this.maxConcurrency = maxConcurrency;
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription s) {
      if (Operators.validate(upstream, s)) {
        upstream = s;
        actual.onSubscribe(this);
        s.request(maxConcurrency);
      }
    }

    @Override
    public void onNext(T item) {
      if (done || cancelled) {
        Operators.onDiscard(item, actual.currentContext());
        return;
      }
      Mono<? extends R> mono;
      try {
        mono = Objects.requireNonNull(mapper.apply(item), "the mapper returned null");
      } catch (Throwable e) {
        onError(Operators.onOperatorError(upstream, e, item, actual.currentContext()));
        return;
      }
      active.incrementAndGet();
      Inner<R> inner = new Inner<>(this);
      inners.add(inner);
      mono.subscribe(inner);
    }

    @Override
    public void onError(Throwable t) {
      if (done) {
        Operators.onErrorDropped(t, actual.currentContext());
        return;
      }
      fail(t);
      done = true;
      drain();
    }

    @Override
    public void onComplete() {
      if (done) {
        return;
      }
      done = true;
      drain();
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
      if (cancelled) {
        return;
      }
      cancelled = true;
      upstream.cancel();
      cancelInners();
      if (wip.getAndIncrement() == 0) {
        ready.clear();
      }
    }

    void innerValue(R value) {
      ready.offer(value);
      drain();
    }

    void innerDone(Inner<R> inner, boolean hadValue) {
      inners.remove(inner);
      if (!hadValue) {
        emptied.incrementAndGet();
      }
      drain();
    }

    void innerError(Inner<R> inner, Throwable t) {
      inners.remove(inner);
      fail(t);
      drain();
    }

    private void fail(Throwable t) {
      if (!error.compareAndSet(null, t)) {
        Operators.onErrorDropped(t, actual.currentContext());
      }
    }

    private void cancelInners() {
      for (Inner<R> inner : inners) {
        inner.cancel();
      }
    }

    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      do {
        if (terminated) {
          return;
        }
        if (cancelled) {
          ready.clear();
          return;
        }
        Throwable failure = error.get();
        if (failure != null) {
          terminated = true;
          ready.clear();
          upstream.cancel();
          cancelInners();
          actual.onError(failure);
          return;
        }
        long r = requested.get();
        long e = emitted;
        long released = 0;
        while (e != r) {
          R value = ready.poll();
          if (value == null) {
            break;
          }
          actual.onNext(value);
          e++;
          released++;
          if (cancelled) {
            return;
          }
        }
        emitted = e;
        if (emptied.get() != 0) {
          released += emptied.getAndSet(0);
        }
        int stillActive = released == 0 ? active.get() : active.addAndGet((int) -released);
        if (done) {
          if (stillActive == 0 && ready.isEmpty()) {
            terminated = true;
            actual.onComplete();
            return;
          }
        } else if (released != 0) {
          upstream.request(released);
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    }
  }

  /** Subscribes to one Mono and reports its value, completion or error to the main. */
  private static final class Inner<R> implements CoreSubscriber<R> {
    private final Main<?, R> parent;
    private volatile Subscription subscription;
    private volatile boolean cancelled;
    // Signals arrive one at a time (Reactive Streams rule 1.3).
    private boolean hadValue;
    private boolean finished;

    Inner(Main<?, R> parent) {
      this.parent = parent;
    }

    @Override
    public Context currentContext() {
      return parent.currentContext();
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      if (cancelled || parent.cancelled) {
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(R value) {
      if (finished || hadValue) {
        Operators.onDiscard(value, currentContext());
        return;
      }
      hadValue = true;
      parent.innerValue(value);
    }

    @Override
    public void onError(Throwable t) {
      if (finished) {
        Operators.onErrorDropped(t, currentContext());
        return;
      }
      finished = true;
      parent.innerError(this, t);
    }

    @Override
    public void onComplete() {
      if (finished) {
        return;
      }
      finished = true;
      parent.innerDone(this, hadValue);
    }

    void cancel() {
      cancelled = true;
      Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }
}
