package io.duocrawl.common.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@link CrawlStats} reads the process's resource use. An interface so tests can count calls
 * and feed fixed numbers; {@link #jvm()} is the real one.
 */
interface ResourceProbe {

  /** Live platform threads in the JVM (virtual threads are not counted). */
  int liveThreads();

  /** Heap bytes in use. */
  long heapUsedBytes();

  /** Resident set size of the process in bytes; 0 where unknown. */
  long rssBytes();

  /** CPU time of the whole process in nanoseconds; negative where unavailable. */
  long processCpuNanos();

  /** The probe backed by the platform MXBeans and {@code /proc/self/status}. */
  static ResourceProbe jvm() {
    return JvmProbe.INSTANCE;
  }

  /**
   * Parses the {@code VmRSS} line of a {@code /proc/<pid>/status} text ({@code "VmRSS: 1234 kB"})
   * into bytes; 0 when the line is missing or unreadable.
   */
  static long parseVmRssBytes(String line) {
    if (!line.startsWith("VmRSS:")) {
      return 0;
    }
    String rest = line.substring("VmRSS:".length()).trim();
    int space = rest.indexOf(' ');
    String number = space < 0 ? rest : rest.substring(0, space);
    try {
      return Long.parseLong(number) * 1024;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The real probe. Stateless apart from cached MXBean references, so one instance serves all. */
  final class JvmProbe implements ResourceProbe {
    // STATUS first: static initializers run in order, and the constructor reads it.
    private static final Path STATUS = Path.of("/proc/self/status");
    static final JvmProbe INSTANCE = new JvmProbe();

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final java.lang.management.OperatingSystemMXBean os =
        ManagementFactory.getOperatingSystemMXBean();
    private final boolean procStatus = Files.isReadable(STATUS);

    private JvmProbe() {}

    @Override
    public int liveThreads() {
      return threads.getThreadCount();
    }

    @Override
    public long heapUsedBytes() {
      return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public long rssBytes() {
      if (!procStatus) {
        return 0;
      }
      // Best effort: RSS is a reported figure, never worth failing a crawl over, so an unreadable
      // file means "unknown" (0), as on systems without /proc.
      try (BufferedReader in = Files.newBufferedReader(STATUS, StandardCharsets.US_ASCII)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith("VmRSS:")) {
            return parseVmRssBytes(line);
          }
        }
        return 0;
      } catch (IOException e) {
        return 0;
      }
    }

    @Override
    public long processCpuNanos() {
      // The com.sun.management extension is present on HotSpot and OpenJ9; elsewhere: unavailable.
      return os instanceof com.sun.management.OperatingSystemMXBean sun
          ? sun.getProcessCpuTime()
          : -1;
    }
  }
}
