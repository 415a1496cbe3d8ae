package io.duocrawl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench --pin}: the fixture server on CPU 0, every crawl JVM on the other CPUs, with {@code
 * taskset} from util-linux, so server and crawler do not take each other's cores.
 *
 * @param taskset the taskset binary
 * @param cpus the machine's CPUs (at least 2)
 */
record Pinning(Path taskset, int cpus) {

  /**
   * The pinning, or a usage error in one line when taskset is missing or there is one CPU only.
   *
   * @param path the PATH to look for taskset on
   */
  static Pinning find(String path, int cpus) {
    Optional<Path> taskset = Machine.onPath("taskset", path);
    if (taskset.isEmpty()) {
      throw new UsageException(
          "--pin needs taskset (from util-linux), which is not on PATH; install util-linux"
              + " (apt-get install util-linux) or run without --pin");
    }
    if (cpus < 2) {
      throw new UsageException("--pin needs at least 2 CPUs, this machine has " + cpus);
    }
    return new Pinning(taskset.get(), cpus);
  }

  /** The CPUs of the crawl JVMs, as taskset reads them: {@code 1-3}, or {@code 1}. */
  String crawlCpus() {
    return cpus == 2 ? "1" : "1-" + (cpus - 1);
  }

  /** The words before a crawl JVM's command. */
  List<String> crawlPrefix() {
    return List.of(taskset.toString(), "-c", crawlCpus());
  }

  /** Moves a running process, all its threads, to CPU 0; a one-line error when that fails. */
  void pinServer(long pid) {
    List<String> command =
        new ArrayList<>(List.of(taskset.toString(), "-a", "-p", "-c", "0", Long.toString(pid)));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "--pin: taskset could not pin the fixture server: " + output.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("--pin: cannot run taskset: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("--pin: interrupted", e);
    }
  }

  /** The setup line. */
  String describe() {
    return "fixture server on CPU 0, crawl JVMs on CPU " + crawlCpus() + " (taskset)";
  }
}
