package io.duocrawl.threads;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import okhttp3.internal.concurrent.TaskRunner;

/**
 * The task backend of one client lane's connection pool: OkHttp's own, except that scheduling a
 * task does not wake the coordinator thread; the coordinator looks again at least every {@link
 * #MAX_WAIT_NANOS}.
 *
 * <p>Why: OkHttp schedules the pool's cleanup task every time a connection goes idle, that is once
 * per request, and its backend then wakes the coordinator, which scans the whole pool (each
 * connection under its monitor) and goes back to sleep: a thread wake-up and a pool scan per page,
 * with the workers queueing on the runner's monitor meanwhile (JFR, docs/engines-profile.md). The
 * only task on this runner is that cleanup (evicting connections idle longer than the keep-alive,
 * or beyond the idle count), which loses nothing by running up to a second late.
 *
 * <p>Uses OkHttp's internal {@code TaskRunner} API (stable within OkHttp 5.x; the build pins the
 * version): a change there fails compilation here, not at run time.
 */
final class LaneTaskBackend implements TaskRunner.Backend {
  /** The longest the coordinator sleeps before it looks at its queue again. */
  static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final TaskRunner.RealBackend real;

  LaneTaskBackend(ThreadFactory threads) {
    this.real = new TaskRunner.RealBackend(threads);
  }

  @Override
  public long nanoTime() {
    return real.nanoTime();
  }

  /** Does nothing: the coordinator finds the task within {@link #MAX_WAIT_NANOS}. */
  @Override
  public void coordinatorNotify(TaskRunner taskRunner) {}

  /** Called holding the runner's monitor, as OkHttp's own backend is: waits on that monitor. */
  @Override
  public void coordinatorWait(TaskRunner taskRunner, long nanos) {
    long wait = Math.min(nanos, MAX_WAIT_NANOS);
    if (wait <= 0) {
      return;
    }
    try {
      ((Object) taskRunner).wait(wait / 1_000_000, (int) (wait % 1_000_000));
    } catch (InterruptedException e) {
      // The runner treats an interrupt (our shutdown) as the end of its thread: let it see one.
      throw LaneTaskBackend.<RuntimeException>sneaky(e);
    }
  }

  @Override
  public <T> BlockingQueue<T> decorate(BlockingQueue<T> queue) {
    return real.decorate(queue);
  }

  @Override
  public void execute(TaskRunner taskRunner, Runnable runnable) {
    real.execute(taskRunner, runnable);
  }

  /** Stops the runner's threads. */
  void shutdown() {
    real.shutdown();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
