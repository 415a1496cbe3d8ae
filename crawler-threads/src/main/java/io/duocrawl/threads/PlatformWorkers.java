package io.duocrawl.threads;

import io.duocrawl.common.CrawlException;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchRequest;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code threads} engine: exactly N platform threads, each looping "take a ready request, fetch
 * it with a blocking call, complete it", and waiting in {@link IdleWorkers} when nothing is ready.
 * The last thread to stop ends the crawl.
 */
final class PlatformWorkers {
  private static final Logger log = LoggerFactory.getLogger(PlatformWorkers.class);

  private final CrawlRun run;
  private final CrawlSession session;
  private final IdleWorkers idle;

  /** Threads still working, plus one held by {@link #start} until every thread is started. */
  private final AtomicInteger running = new AtomicInteger(1);

  private PlatformWorkers(CrawlRun run, IdleWorkers idle) {
    this.run = run;
    this.session = run.session();
    this.idle = idle;
  }

  /** The threads of the engine: platform threads named {@code duocrawl-threads-N}. */
  static ThreadFactory defaultFactory() {
    return Thread.ofPlatform().name("duocrawl-threads-", 0).factory();
  }

  /**
   * Starts {@code config.concurrency()} workers from {@code factory}. When the JVM cannot start one
   * (typically {@code OutOfMemoryError: unable to create native thread}: {@code ulimit -u}, memory,
   * {@code vm.max_map_count}), the crawl fails with a {@link CrawlException} saying so and at how
   * many threads; the workers already started stop, and {@code completion()} completes
   * exceptionally instead of the crawl hanging or running at a concurrency nobody asked for.
   */
  static void start(CrawlRun run, IdleWorkers idle, ThreadFactory factory) {
    PlatformWorkers workers = new PlatformWorkers(run, idle);
    int count = run.session().config().concurrency();
    try {
      for (int i = 0; i < count; i++) {
        workers.running.incrementAndGet();
        try {
          Thread thread = factory.newThread(workers::work);
          if (thread == null) {
            throw new IllegalStateException("the thread factory returned no thread");
          }
          thread.start();
        } catch (RuntimeException | Error e) {
          workers.running.decrementAndGet();
          run.fail(
              new CrawlException(
                  "cannot create native thread at "
                      + i
                      + " threads of "
                      + count
                      + " (check ulimit -u, memory, vm.max_map_count, or lower --concurrency): "
                      + e,
                  e));
          break;
        }
      }
    } finally {
      workers.stopped();
    }
    log.debug("started {} workers for engine {}", count, run.session().engine());
  }

  private void work() {
    try {
      loop();
    } catch (Error e) {
      run.fail(e);
      throw e;
    } finally {
      // A worker that leaves (the crawl is over, or an Error) wakes the others so none waits on
      // a crawl that has ended. The session also wakes on that path (CrawlSession.onWake), this
      // keeps the exit prompt even when a worker dies.
      idle.wakeAll();
      stopped();
    }
  }

  private void loop() {
    while (!session.isDone()) {
      long stamp = idle.stamp();
      Optional<FetchRequest> next = session.next();
      if (next.isEmpty()) {
        try {
          idle.await(stamp);
        } catch (InterruptedException e) {
          // Nobody in this module interrupts workers: whoever did wants the crawl stopped.
          log.info("worker {} interrupted; cancelling the crawl", Thread.currentThread().getName());
          run.cancel();
          Thread.currentThread().interrupt();
          return;
        }
        continue;
      }
      idle.relay();
      run.process(next.get());
    }
  }

  private void stopped() {
    if (running.decrementAndGet() == 0) {
      run.end();
    }
  }
}
