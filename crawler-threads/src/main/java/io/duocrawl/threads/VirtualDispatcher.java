package io.duocrawl.threads;

import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchRequest;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;

/**
 * The {@code virtual} engine: one virtual thread per request, at most N at once (a semaphore of N
 * permits). A single dispatcher thread takes ready requests from the session and starts a thread
 * for each; it is the only waiter in {@link IdleWorkers}, so there is no herd to avoid. The request
 * threads run the same blocking fetch and the same {@code complete} as the platform workers.
 */
final class VirtualDispatcher {
  private final CrawlRun run;
  private final CrawlSession session;
  private final IdleWorkers idle;
  private final int permitCount;
  private final Semaphore permits;
  // The numbers of the free permits; a permit taken from the semaphore guarantees one is here.
  private final ConcurrentLinkedDeque<Integer> freeSlots = new ConcurrentLinkedDeque<>();
  private final ThreadFactory requestThreads =
      Thread.ofVirtual().name("duocrawl-virtual-", 0).factory();

  private VirtualDispatcher(CrawlRun run, IdleWorkers idle) {
    this.run = run;
    this.session = run.session();
    this.idle = idle;
    this.permitCount = session.config().concurrency();
    this.permits = new Semaphore(permitCount);
    for (int slot = permitCount - 1; slot >= 0; slot--) {
      freeSlots.push(slot);
    }
  }

  /** Starts the dispatcher, a virtual thread named {@code duocrawl-virtual-dispatcher}. */
  static void start(CrawlRun run, IdleWorkers idle) {
    VirtualDispatcher dispatcher = new VirtualDispatcher(run, idle);
    Thread.ofVirtual().name("duocrawl-virtual-dispatcher").start(dispatcher::dispatch);
  }

  private void dispatch() {
    try {
      loop();
    } catch (InterruptedException e) {
      // Nobody in this module interrupts the dispatcher: whoever did wants the crawl stopped.
      run.cancel();
    } catch (RuntimeException | Error e) {
      run.fail(e);
      throw e;
    } finally {
      // Every request thread returns its permit last thing; holding all of them means all are done.
      permits.acquireUninterruptibly(permitCount);
      run.end();
    }
  }

  private void loop() throws InterruptedException {
    while (!session.isDone()) {
      permits.acquire();
      int slot = freeSlots.pop();
      long stamp = idle.stamp();
      Optional<FetchRequest> next = session.next();
      if (next.isEmpty()) {
        release(slot);
        idle.await(stamp);
        continue;
      }
      FetchRequest request = next.get();
      try {
        requestThreads.newThread(() -> fetch(request, slot)).start();
      } catch (RuntimeException | Error e) {
        release(slot);
        throw e;
      }
    }
  }

  private void fetch(FetchRequest request, int slot) {
    try {
      run.process(request, slot);
    } catch (Error e) {
      run.fail(e);
      throw e;
    } finally {
      release(slot);
    }
  }

  private void release(int slot) {
    // Most recently used first: its connection is the likeliest to be warm.
    freeSlots.push(slot);
    permits.release();
  }
}
