package io.duocrawl.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Facts of the machine a benchmark runs on: the load average, the core count, the kernel's and the
 * process's limits that cap a crawl's concurrency, and where {@code taskset} is. Read from /proc
 * where Linux has it; every figure is optional, so other systems report "unknown", not a guess.
 */
final class Machine {
  private Machine() {}

  /** Logical CPUs available to this JVM. */
  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** The one-minute load average, empty where unknown. */
  static OptionalDouble loadAverage() {
    try {
      String line = firstLine(Path.of("/proc/loadavg"));
      return OptionalDouble.of(Double.parseDouble(line.strip().split("\\s+")[0]));
    } catch (IOException | RuntimeException e) {
      double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return load < 0 ? OptionalDouble.empty() : OptionalDouble.of(load);
    }
  }

  /**
   * The first line of a /proc file, read line-wise: /proc files report size 0, and a read sized by
   * that returns as little as one byte.
   */
  private static String firstLine(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    if (lines.isEmpty()) {
      throw new IOException("empty: " + file);
    }
    return lines.get(0);
  }

  /** Whether a load average means the machine was busy: more runnable work than cores. */
  static boolean busy(OptionalDouble load, int cores) {
    return load.isPresent() && load.getAsDouble() > cores;
  }

  /**
   * Cores' worth of CPU other processes use: above this, a bench run is measured under load. Half a
   * core is far above an idle machine's background (a few hundredths) and far below one parallel
   * build or benchmark.
   */
  static final double BUSY_OTHER_CORES = 0.5;

  /**
   * Whether a run started on a busy machine: by the CPU others used just before it where that was
   * sampled, else by the load average. The one-minute load average alone cannot say: it still holds
   * the bench's own previous run (crawler and server on every core) for a minute after it ended.
   */
  static boolean busy(OptionalDouble load, OptionalDouble otherCores, int cores) {
    return otherCores.isPresent() ? otherCores.getAsDouble() > BUSY_OTHER_CORES : busy(load, cores);
  }

  /**
   * How many cores' worth of CPU the whole machine used over {@code window}, from /proc/stat (all
   * but idle and iowait time); empty where unknown. Sampled between bench runs, when neither the
   * crawler (its JVM has exited) nor the fixture server (no requests) runs, it is what other
   * processes use.
   */
  static OptionalDouble busyCores(Duration window) {
    try {
      long[] first = cpuTicks();
      Thread.sleep(window.toMillis());
      long[] second = cpuTicks();
      long total = second[0] - first[0];
      long busy = second[1] - first[1];
      return total <= 0
          ? OptionalDouble.empty()
          : OptionalDouble.of((double) busy / total * cores());
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalDouble.empty();
    }
  }

  /** {total, busy} ticks of all CPUs from the first line of /proc/stat. */
  private static long[] cpuTicks() throws IOException {
    String[] f = firstLine(Path.of("/proc/stat")).strip().split("\\s+");
    if (f.length < 6 || !f[0].equals("cpu")) {
      throw new IOException("unexpected /proc/stat: " + f[0]);
    }
    long total = 0;
    for (int i = 1;
        i < Math.min(f.length, 9);
        i++) { // user nice system idle iowait irq softirq steal
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total, total - idle};
  }

  /** A sysctl value such as {@code vm/max_map_count}, empty where unknown. */
  static OptionalLong sysctl(String name) {
    try {
      return OptionalLong.of(Long.parseLong(firstLine(Path.of("/proc/sys", name)).strip()));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * A soft limit of this process from /proc/self/limits, such as {@code "Max open files"}; empty
   * where unknown or unlimited.
   */
  static OptionalLong limit(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith(name)) {
          String soft = line.substring(name.length()).strip().split("\\s+")[0];
          return soft.equals("unlimited")
              ? OptionalLong.empty()
              : OptionalLong.of(Long.parseLong(soft));
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return OptionalLong.empty();
  }

  /** The limits a high concurrency runs into, one line for the report's setup. */
  static String limitsLine() {
    return "open files "
        + text(limit("Max open files"))
        + ", processes (ulimit -u) "
        + text(limit("Max processes"))
        + ", vm.max_map_count "
        + text(sysctl("vm/max_map_count"))
        + ", kernel.threads-max "
        + text(sysctl("kernel/threads-max"))
        + ", somaxconn "
        + text(sysctl("net/core/somaxconn"));
  }

  static String text(OptionalLong value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%,d", value.getAsLong()) : "unknown";
  }

  /** The first executable {@code name} on a PATH-style list of directories. */
  static Optional<Path> onPath(String name, String path) {
    if (path == null || path.isEmpty()) {
      return Optional.empty();
    }
    for (String dir : List.of(path.split(java.io.File.pathSeparator))) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
