package io.duocrawl.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C and SIGTERM handling. SIGINT and SIGTERM (what {@code timeout}, systemd and container
 * runtimes send) both make the JVM run its shutdown hooks and then exit with 128 + the signal's
 * number: 130 for SIGINT, 143 for SIGTERM. The hook installed here first runs the command's stop
 * action (cancel the crawl, stop the child JVMs), then waits until the command has flushed its
 * pages and written its report, so an interrupted or terminated run still leaves whole, consistent
 * output. (SIGKILL runs no hook; nothing can flush then.)
 *
 * <p>{@link #none()} is the in-process variant for tests and embedding: it never fires by itself,
 * {@link #interrupt()} simulates Ctrl-C.
 */
final class Interrupts {
  private static final long FLUSH_GRACE_SECONDS = 30;

  private final AtomicBoolean interrupted = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicReference<Runnable> stop = new AtomicReference<>(() -> {});
  private final CountDownLatch flushed = new CountDownLatch(1);

  private Interrupts() {}

  /** Installs a JVM shutdown hook; for {@code main} only. */
  static Interrupts installHook() {
    Interrupts interrupts = new Interrupts();
    Thread hook = new Thread(interrupts::onShutdown, "duocrawl-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    return interrupts;
  }

  /** Interrupts that only {@link #interrupt()} triggers. */
  static Interrupts none() {
    return new Interrupts();
  }

  /** Sets what Ctrl-C does now; runs it at once if Ctrl-C came already. */
  void onInterrupt(Runnable action) {
    stop.set(action);
    if (interrupted.get()) {
      action.run();
    }
  }

  /** Whether Ctrl-C came. */
  boolean interrupted() {
    return interrupted.get();
  }

  /** Acts as Ctrl-C: marks the run interrupted and runs the stop action. */
  void interrupt() {
    if (interrupted.compareAndSet(false, true)) {
      stop.get().run();
    }
  }

  /** The command is done writing; a waiting shutdown hook may let the JVM exit. */
  void finished() {
    finished.set(true);
    flushed.countDown();
  }

  private void onShutdown() {
    if (finished.get()) {
      return; // a normal exit, not Ctrl-C
    }
    interrupt();
    try {
      flushed.await(FLUSH_GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
