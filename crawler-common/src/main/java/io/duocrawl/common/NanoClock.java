package io.duocrawl.common;

/**
 * A monotonic nanosecond time source, injected wherever politeness, retries and timing are computed
 * so tests can move time by hand instead of sleeping.
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * NanoClock fake = now::get;           // a test clock
 * NanoClock real = NanoClock.system(); // System::nanoTime
 * }</pre>
 */
@FunctionalInterface
public interface NanoClock {
  /** The current time in nanoseconds from an arbitrary origin; only differences are meaningful. */
  long nanoTime();

  /** The system's monotonic clock, {@link System#nanoTime()}. */
  static NanoClock system() {
    return System::nanoTime;
  }
}
