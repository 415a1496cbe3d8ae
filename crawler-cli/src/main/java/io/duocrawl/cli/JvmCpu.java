package io.duocrawl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU time a JVM's own machinery used: its JIT compiler threads and its garbage-collector
 * threads (with the VM thread, which runs the collectors' pauses), read from the OS for a process
 * by its id. Sampled at the start and end of a measured crawl, it splits the crawler's CPU per page
 * into what a longer-running crawler would still pay (the engine's own work and GC) and what is
 * left of warm-up (JIT).
 *
 * <p>Linux only ({@code /proc/PID/task/TID/stat}, whose {@code comm} is the thread's name cut to 15
 * characters, as HotSpot names its threads); elsewhere {@link #of} is empty.
 *
 * @param jit CPU time of the C1/C2 (and JVMCI) compiler threads
 * @param gc CPU time of the GC worker, concurrent and refinement threads and the VM thread
 */
record JvmCpu(Duration jit, Duration gc) {
  /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux the JDK runs on. */
  private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

  JvmCpu {
    Objects.requireNonNull(jit, "jit");
    Objects.requireNonNull(gc, "gc");
  }

  /** The JIT and GC CPU time of process {@code pid} so far; empty where /proc cannot say. */
  static Optional<JvmCpu> of(long pid) {
    long jit = 0;
    long gc = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException | UncheckedIOException e) {
          continue; // the thread ended between the listing and the read
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
          continue;
        }
        String name = stat.substring(open + 1, close);
        // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
        String[] f = stat.substring(close + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (isJit(name)) {
          jit += ticks;
        } else if (isGc(name)) {
          gc += ticks;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(
        new JvmCpu(Duration.ofNanos(jit * NANOS_PER_TICK), Duration.ofNanos(gc * NANOS_PER_TICK)));
  }

  /** What was used since {@code earlier}. */
  JvmCpu minus(JvmCpu earlier) {
    return new JvmCpu(jit.minus(earlier.jit), gc.minus(earlier.gc));
  }

  /** HotSpot's compiler threads: "C1 CompilerThre", "C2 CompilerThre", "JVMCI CompilerT…". */
  static boolean isJit(String thread) {
    return thread.startsWith("C1 Compiler")
        || thread.startsWith("C2 Compiler")
        || thread.startsWith("JVMCI");
  }

  /**
   * HotSpot's collector threads: "GC Thread#0" (G1 and Parallel workers), "G1 Conc#0", "G1
   * Refine#0", "G1 Main Marker", "G1 Service", ZGC's "ZWorkerYoung#0", "ZDirector"…, Shenandoah's,
   * and the "VM Thread" that runs the pauses (and the serial collector).
   */
  static boolean isGc(String thread) {
    return thread.startsWith("GC Thread")
        || thread.startsWith("G1 ")
        || thread.equals("VM Thread")
        || thread.startsWith("Shenandoah")
        || (thread.length() > 1
            && thread.charAt(0) == 'Z'
            && Character.isUpperCase(thread.charAt(1)));
  }
}
