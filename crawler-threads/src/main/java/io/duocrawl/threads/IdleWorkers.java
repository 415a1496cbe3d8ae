package io.duocrawl.threads;

import io.duocrawl.common.Crawler;
import io.duocrawl.common.session.CrawlSession;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where threads with nothing to do wait for the session to have work, without spinning: one waiter
 * at a time sleeps with a timeout, never longer than {@link Crawler#MAX_IDLE_WAIT}, the others
 * until signalled.
 *
 * <p>Why not simply {@code signalAll()} on every completion and let every idle worker wait for
 * {@code nanosUntilReady()}? At N = 1,024 workers and a crawl whose politeness or per-host cap
 * keeps most of them idle, every completion would wake about a thousand threads to find one
 * request, and every politeness deadline would wake them all at once: a thundering herd that costs
 * CPU per page growing with N (measured in {@code docs/benchmarks-threads.md}). Instead, after the
 * example of {@code ScheduledThreadPoolExecutor}'s leader/follower queue:
 *
 * <ul>
 *   <li>a completion wakes nobody in the platform engine ({@link Policy#RELAY}): the worker that
 *       completed goes straight back to {@code session.next()} and takes what its page made ready
 *       itself. Only the virtual engine's dispatcher, which completes nothing itself, is signalled
 *       by completions ({@link Policy#SIGNAL}), and only when that is useful (work is ready now, or
 *       becomes ready later and nobody keeps time for it);
 *   <li>a worker that got a request passes a signal on to one waiter while more work is ready
 *       ({@link #relay()}), so a page that brought ten links wakes workers one after another, each
 *       woken by the one before it, and never more than there is work for;
 *   <li>at most one waiter, the timekeeper, sleeps with a timeout (until the next not-before time,
 *       at most {@link Crawler#MAX_IDLE_WAIT}, since readiness may change outside the process); the
 *       others sleep until signalled. When the timekeeper leaves, it signals one waiter to take the
 *       role on.
 * </ul>
 *
 * <p>Measured at N = 1,024 with 16 requests in flight (docs/benchmarks-threads.md): waking every
 * waiter on every completion cost four times the CPU per page of the relay.
 *
 * <p>A wake-up is never lost: a worker stamps the wake-up count before it asks the session for
 * work, and does not go to sleep if a wake-up happened since; a waker reads {@code waiting} after
 * changing the session's state and a sleeper writes it before reading that state, so one of the two
 * always sees the other.
 *
 * <p>When the crawl is over (or cancelled) every waiter is woken, so that all of them exit.
 */
final class IdleWorkers {
  /** How waiters are woken; {@link #ALL} is the naive policy, kept to measure the difference. */
  enum Policy {
    /**
     * For threads that go on asking for work after each completion: completions signal nobody,
     * relays pass one signal on while work is ready, one waiter keeps time.
     */
    RELAY,
    /** As {@link #RELAY}, and a completion also signals one waiter when that is useful. */
    SIGNAL,
    /** Every waiter on every completion, every waiter timed. */
    ALL
  }

  private static final long MAX_IDLE_NANOS = Crawler.MAX_IDLE_WAIT.toNanos();

  private final CrawlSession session;
  private final Policy policy;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workMayBeReady = lock.newCondition();
  private final AtomicLong wakeUps = new AtomicLong();

  /** Threads inside {@link #await}; written under the lock, read without it by wakers. */
  private volatile int waiting;

  /** The one waiter sleeping with a timeout, and when it will wake; guarded by the lock. */
  private Thread timekeeper;

  private long timekeeperDeadline;

  IdleWorkers(CrawlSession session, Policy policy) {
    this.session = session;
    this.policy = policy;
  }

  /** The wake-up count, to pass to {@link #await} after {@code session.next()} came back empty. */
  long stamp() {
    return wakeUps.get();
  }

  /** The session's wake callback: after every completion, and on cancel. */
  void wake() {
    wakeUps.incrementAndGet();
    if (waiting == 0) {
      return;
    }
    boolean done = session.isDone();
    if (!done && policy == Policy.RELAY) {
      return; // the thread that completed goes on asking for work itself
    }
    lock.lock();
    try {
      if (done || policy == Policy.ALL) {
        workMayBeReady.signalAll();
      } else {
        signalIfUseful();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Called by a worker that just got a request: wakes the next waiter if more work is ready. */
  void relay() {
    if (policy == Policy.ALL || waiting == 0) {
      return;
    }
    lock.lock();
    try {
      signalIfUseful();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiter, to exit. */
  void wakeAll() {
    wakeUps.incrementAndGet();
    lock.lock();
    try {
      workMayBeReady.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sleeps until work may be ready, the crawl is over, or a wake-up makes it worth looking again;
   * returns at once if a wake-up happened since {@code stamp}. The caller then asks the session
   * again.
   */
  void await(long stamp) throws InterruptedException {
    lock.lockInterruptibly();
    waiting++;
    boolean timed = false;
    try {
      if (wakeUps.get() != stamp) {
        return;
      }
      while (!session.isDone()) {
        OptionalLong until = session.nanosUntilReady();
        if (until.isPresent() && until.getAsLong() <= 0) {
          return;
        }
        // Never longer than MAX_IDLE_WAIT: work may become ready outside the process.
        long wait = Math.min(until.orElse(MAX_IDLE_NANOS), MAX_IDLE_NANOS);
        if (policy == Policy.ALL || needsTimekeeper(wait)) {
          timed = policy != Policy.ALL;
          if (timed) {
            timekeeper = Thread.currentThread();
            timekeeperDeadline = System.nanoTime() + wait;
          }
          workMayBeReady.awaitNanos(wait);
          return;
        }
        workMayBeReady.await();
      }
    } finally {
      waiting--;
      if (timed && timekeeper == Thread.currentThread()) {
        timekeeper = null;
        // Whoever waits now sleeps untimed: hand the timed wait on, so that someone still looks
        // at least every MAX_IDLE_WAIT. One wake-up per departing timekeeper, only while others
        // are idle.
        if (waiting > 0) {
          workMayBeReady.signal();
        }
      }
      lock.unlock();
    }
  }

  /** Whether nobody keeps time for a deadline {@code nanos} from now. Holds the lock. */
  private boolean needsTimekeeper(long nanos) {
    return timekeeper == null || System.nanoTime() + nanos < timekeeperDeadline;
  }

  /** Signals one waiter if work is ready now or needs a timekeeper. Holds the lock. */
  private void signalIfUseful() {
    if (waiting == 0) {
      return;
    }
    OptionalLong until = session.nanosUntilReady();
    if (until.isEmpty()) {
      return;
    }
    if (until.getAsLong() <= 0 || needsTimekeeper(until.getAsLong())) {
      workMayBeReady.signal();
    }
  }
}
