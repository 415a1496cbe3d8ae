package io.duocrawl.cli;

import io.duocrawl.common.CrawlProgress;
import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The live progress line on stderr, redrawn in place with {@code \r} about four times a second. Off
 * when stderr is not a terminal, so logs and CI output never fill with carriage returns.
 */
final class ProgressLine implements AutoCloseable {
  private static final long PERIOD_MILLIS = 250;

  private final PrintWriter err;
  private final Supplier<CrawlProgress> progress;
  private final ScheduledExecutorService timer;
  private int lastWidth;
  private boolean closed;

  private ProgressLine(PrintWriter err, Supplier<CrawlProgress> progress) {
    this.err = err;
    this.progress = progress;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "duocrawl-progress");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::draw, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts redrawing if {@code enabled}; returns what stops it and clears the line (a no-op when
   * not enabled).
   */
  static Runnable start(boolean enabled, PrintWriter err, Supplier<CrawlProgress> progress) {
    return enabled ? new ProgressLine(err, progress)::close : () -> {};
  }

  /**
   * Whether this JVM's stderr is an interactive terminal, judged by {@link System#console()}. From
   * JDK 22 a console may exist without a terminal, so {@code Console.isTerminal()} is asked where
   * it exists (called reflectively: the code targets Java 21).
   */
  static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a non-null console means a terminal
    }
  }

  /** {@code 1,234 pages 456.7 pages/s in flight 64 errors 3 elapsed 12.3s}. */
  static String render(CrawlProgress p) {
    return String.format(
        Locale.ROOT,
        "%,d pages  %,.1f pages/s  in flight %,d  errors %,d  elapsed %.1fs",
        p.fetched(),
        p.pagesPerSecond(),
        p.inFlight(),
        p.failed(),
        p.elapsed().toMillis() / 1000.0);
  }

  private synchronized void draw() {
    if (closed) {
      return;
    }
    String line = render(progress.get());
    // Pad over the previous, longer line; never emit a newline (the table follows on stdout).
    err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
    err.flush();
    lastWidth = line.length();
  }

  /** Stops redrawing and clears the line. */
  @Override
  public synchronized void close() {
    closed = true;
    timer.shutdownNow();
    err.print("\r" + " ".repeat(lastWidth) + "\r");
    err.flush();
  }
}
