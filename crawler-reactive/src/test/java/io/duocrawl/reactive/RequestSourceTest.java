package io.duocrawl.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The request source's demand, wake and timer behaviour, in virtual time. */
class RequestSourceTest {
  private static final Duration VERIFY = Duration.ofSeconds(5);

  /** A bounded idle wait too long to matter, for the tests of the wake and timer logic. */
  private static final Duration NEVER = Duration.ofDays(365);

  /** Work whose items become ready at set virtual times; "done" when told so and empty. */
  static final class FakeWork implements RequestSource.Work<String> {
    private final VirtualTimeScheduler clock;
    private final PriorityQueue<Item> items =
        new PriorityQueue<>(Comparator.comparingLong(Item::readyAt).thenComparingLong(Item::seq));
    private long seq;
    private volatile boolean finished;
    private boolean silent;
    private volatile Runnable wake = () -> {};
    final AtomicInteger nextCalls = new AtomicInteger();

    FakeWork(VirtualTimeScheduler clock) {
      this.clock = clock;
    }

    record Item(String name, long readyAt, long seq) {}

    /** Adds an item ready {@code delay} from now. */
    synchronized FakeWork add(String item, Duration delay) {
      items.add(new Item(item, clock.now(TimeUnit.NANOSECONDS) + delay.toNanos(), seq++));
      return this;
    }

    /**
     * Adds an item ready now that neither wakes nor shows in {@link #nanosUntilReady}, as work made
     * ready by another process would.
     */
    synchronized void addSilently(String item) {
      add(item, Duration.ZERO);
      silent = true;
    }

    synchronized int left() {
      return items.size();
    }

    void wake() {
      wake.run();
    }

    void finish() {
      finished = true;
      wake.run();
    }

    @Override
    public synchronized Optional<String> next() {
      nextCalls.incrementAndGet();
      Item first = items.peek();
      if (first == null || first.readyAt() > clock.now(TimeUnit.NANOSECONDS)) {
        return Optional.empty();
      }
      return Optional.of(items.poll().name());
    }

    @Override
    public synchronized OptionalLong nanosUntilReady() {
      Item first = items.peek();
      return first == null || silent
          ? OptionalLong.empty()
          : OptionalLong.of(Math.max(0, first.readyAt() - clock.now(TimeUnit.NANOSECONDS)));
    }

    @Override
    public synchronized boolean isDone() {
      return finished && items.isEmpty();
    }

    @Override
    public void onWake(Runnable wake) {
      this.wake = wake;
    }
  }

  @Test
  void handsOutNoMoreRequestsThanDemanded() {
    VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    FakeWork work = new FakeWork(vts);
    for (int i = 0; i < 10; i++) {
      work.add("r" + i, Duration.ZERO);
    }
    StepVerifier.withVirtualTime(() -> new RequestSource<>(work, vts, NEVER), () -> vts, 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(1))
        .thenRequest(3)
        .expectNext("r0", "r1", "r2")
        .expectNoEvent(Duration.ofSeconds(1))
        .thenRequest(2)
        .expectNext("r3", "r4")
        .thenCancel()
        .verify(VERIFY);
    assertThat(work.left()).isEqualTo(5);
  }

  @Test
  void waitsForTheTimeTheWorkNamesWithoutPolling() {
    VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    FakeWork work = new FakeWork(vts).add("later", Duration.ofSeconds(5));
    StepVerifier.withVirtualTime(() -> new RequestSource<>(work, vts, NEVER), () -> vts, 1)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(4_999))
        .then(() -> assertThat(work.nextCalls).hasValue(2))
        .thenAwait(Duration.ofMillis(1))
        .expectNext("later")
        .then(work::finish)
        .expectComplete()
        .verify(VERIFY);
    // Twice at subscription (the first request, then the subscribe-time check), once when the
    // timer fired: nothing in between, however long the wait.
    assertThat(work.nextCalls).hasValue(3);
  }

  @Test
  void looksAgainEveryMaxIdleWaitWhenNothingLocalWakesIt() {
    VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    FakeWork work = new FakeWork(vts);
    StepVerifier.withVirtualTime(
            () -> new RequestSource<>(work, vts, Duration.ofMillis(50)), () -> vts, 1)
        .expectSubscription()
        .thenAwait(Duration.ofMillis(49))
        // Work that became ready elsewhere (a shared frontier): no wake, no not-before time.
        .then(() -> work.addSilently("from elsewhere"))
        .thenAwait(Duration.ofMillis(1))
        .expectNext("from elsewhere")
        .then(work::finish)
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aWakeHandsOutWorkThatBecameReadyWithoutWaitingForTime() {
    VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    FakeWork work = new FakeWork(vts);
    StepVerifier.withVirtualTime(() -> new RequestSource<>(work, vts, NEVER), () -> vts, 2)
        .expectSubscription()
        .expectNoEvent(Duration.ofHours(1))
        .then(
            () -> {
              work.add("new link", Duration.ZERO);
              work.wake();
            })
        .expectNext("new link")
        .then(work::finish)
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void anEarlierReadinessReplacesTheStaleTimer() {
    VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    FakeWork work = new FakeWork(vts);
    StepVerifier.withVirtualTime(() -> new RequestSource<>(work, vts, NEVER), () -> vts, 10)
        .expectSubscription()
        .then(
            () -> {
              // A politeness delay of 10 s (a timer for 10 s)...
              work.add("polite", Duration.ofSeconds(10));
              work.wake();
              // ...then a retry due in 2 s: the 10 s timer is replaced.
              work.add("retry", Duration.ofSeconds(2));
              work.wake();
            })
        .expectNoEvent(Duration.ofSeconds(2))
        .expectNext("retry")
        .expectNoEvent(Duration.ofSeconds(8))
        .expectNext("polite")
        .thenAwait(Duration.ofSeconds(30))
        .thenCancel()
        .verify(VERIFY);
    // Subscription 2, each wake 1, at 2 s 2 (one found, one empty), at 10 s 2: a stale timer
    // firing at 10 s as well would have made it 9.
    assertThat(work.nextCalls).hasValue(8);
  }

  @Test
  void completesAsSoonAsTheWorkIsDoneEvenWithoutDemand() {
    VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    FakeWork work = new FakeWork(vts);
    StepVerifier.withVirtualTime(() -> new RequestSource<>(work, vts, NEVER), () -> vts, 0)
        .expectSubscription()
        .then(work::finish)
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void allowsOneSubscriberOnly() {
    VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    RequestSource<String> source = new RequestSource<>(new FakeWork(vts), vts, NEVER);
    source.subscribe();
    StepVerifier.create(source).expectError(IllegalStateException.class).verify(VERIFY);
  }
}
