package io.duocrawl.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a crawl's JVM ended without a report, in words a reader can act on: which limit of the
 * machine or the JVM it ran into, read from the child's stderr and exit status.
 */
final class FailureMode {
  private FailureMode() {}

  /** The SIGKILL exit status: the kernel's OOM killer, or a {@code kill -9}. */
  static final int KILLED = 137;

  /**
   * The reason a child JVM at concurrency {@code c} ended without a report.
   *
   * @param stderr the child's error output, all lines
   * @param exit its exit status
   * @param concurrency the crawl's concurrency
   */
  static String childDied(List<String> stderr, int exit, int concurrency) {
    String at = " at C = " + CompareTables.integer(concurrency);
    Optional<String> known = classify(stderr, at);
    if (known.isPresent()) {
      return known.get() + " (child JVM exited " + exit + ")";
    }
    if (exit == KILLED) {
      return "killed by SIGKILL"
          + at
          + " (the kernel's OOM killer when memory runs out: see dmesg) (child JVM exited 137)";
    }
    return "child JVM exited " + exit + at + ": " + telling(stderr);
  }

  /** A crawl still running after the run timeout: stopped, and said so. */
  static String timedOut(String timeout, int concurrency) {
    return "did not finish within --run-timeout "
        + timeout
        + " at C = "
        + CompareTables.integer(concurrency)
        + " (stopped: hung, or too slow at this concurrency)";
  }

  private static Optional<String> classify(List<String> stderr, String at) {
    for (String raw : stderr) {
      String line = raw.toLowerCase(Locale.ROOT);
      if (line.contains("unable to create native thread")
          || line.contains("unable to create new native thread")
          || line.contains("pthread_create failed")) {
        return Optional.of(
            "cannot create native thread"
                + at
                + " — vm.max_map_count "
                + Machine.text(Machine.sysctl("vm/max_map_count"))
                + " / ulimit -u "
                + Machine.text(Machine.limit("Max processes"))
                + " / kernel.threads-max "
                + Machine.text(Machine.sysctl("kernel/threads-max"))
                + " / memory");
      }
      if (line.contains("too many open files")) {
        return Optional.of(
            "out of file descriptors"
                + at
                + " — open-files limit (ulimit -n) "
                + Machine.text(Machine.limit("Max open files")));
      }
      if (line.contains("cannot assign requested address")) {
        return Optional.of(
            "out of ephemeral ports"
                + at
                + " — net.ipv4.ip_local_port_range; spread the site over more origins (--origins)");
      }
      if (line.contains("outofmemoryerror: java heap space")
          || line.contains("gc overhead limit exceeded")) {
        return Optional.of(
            "out of heap"
                + at
                + String.format(
                    Locale.ROOT,
                    " — max heap %,d MiB; raise it with --jvm-opt=-Xmx…",
                    Runtime.getRuntime().maxMemory() >> 20));
      }
      if (line.contains("outofmemoryerror: direct buffer memory")) {
        return Optional.of("out of direct buffer memory" + at + " — -XX:MaxDirectMemorySize");
      }
      if (line.contains("outofmemoryerror")) {
        return Optional.of("out of memory" + at + ": " + raw.strip());
      }
    }
    return Optional.empty();
  }

  /**
   * Why a crawl that finished still counts as given out: most of its fetches failed. Empty when at
   * least half of them succeeded.
   */
  static Optional<String> mostlyFailed(io.duocrawl.common.report.CrawlReport report) {
    long finished = report.fetched() + report.failed();
    if (finished == 0 || report.failed() * 2 <= finished) {
      return Optional.empty();
    }
    String top =
        report.reasons().entrySet().stream()
            .filter(e -> e.getKey() != io.duocrawl.common.Reason.OK && e.getValue() > 0)
            .max(java.util.Map.Entry.comparingByValue())
            .map(e -> ", mostly " + e.getKey())
            .orElse("");
    return Optional.of(
        String.format(
                Locale.ROOT,
                "most fetches failed at C = %,d: %,d of %,d%s",
                report.concurrency(),
                report.failed(),
                finished,
                top)
            + fileLimitHint(report.concurrency()));
  }

  /**
   * " — open-files limit 20,000 is below C" when C sockets cannot all be open in one process; empty
   * otherwise.
   */
  static String fileLimitHint(int concurrency) {
    java.util.OptionalLong files = Machine.limit("Max open files");
    return files.isPresent() && files.getAsLong() <= concurrency
        ? " — the open-files limit " + Machine.text(files) + " per process is below C (ulimit -n)"
        : "";
  }

  /** The most telling line: the last error or exception message, else the last line. */
  static String telling(List<String> stderr) {
    List<String> lines = stderr.stream().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      return "no error output";
    }
    for (int i = lines.size() - 1; i >= Math.max(0, lines.size() - 20); i--) {
      String l = lines.get(i);
      if (l.startsWith("duocrawl:") || l.contains("Error") || l.contains("Exception")) {
        return l.strip();
      }
    }
    return lines.get(lines.size() - 1).strip();
  }
}
