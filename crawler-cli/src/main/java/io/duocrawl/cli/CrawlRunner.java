package io.duocrawl.cli;

import io.duocrawl.cli.Comparison.Run;
import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.report.CrawlReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs one crawl of a comparison: in a fresh child JVM ({@link #childJvm}), the default, or in this
 * JVM ({@link #inProcess}), for tests and quick looks.
 */
interface CrawlRunner {

  /**
   * Runs one crawl to its end.
   *
   * @param engine the engine id
   * @param config what to crawl
   * @param repetition the repetition number, for the result
   * @param warmup how long to crawl first and discard (JIT warm-up); zero for none
   */
  Run run(String engine, CrawlConfig config, int repetition, Duration warmup);

  /**
   * Each crawl in a new JVM: peak RSS and thread counts are high-water marks of a process, and
   * garbage, JIT state and thread pools of one run would otherwise be carried into the next.
   *
   * @param jvmOptions extra JVM flags for the child
   * @param workDir where seed and report files go
   * @param serverCpu the fixture server's CPU time so far, empty when unknown
   * @param timeout the longest a run may take before it is stopped and counted as failed
   * @param interrupts Ctrl-C: stops the running child
   */
  static CrawlRunner childJvm(
      List<String> jvmOptions,
      Path workDir,
      Supplier<Optional<Duration>> serverCpu,
      Duration timeout,
      Interrupts interrupts) {
    return new ChildRunner(jvmOptions, workDir, serverCpu, timeout, interrupts);
  }

  /** Each crawl in this JVM, one after another. */
  static CrawlRunner inProcess(Supplier<Optional<Duration>> serverCpu, Interrupts interrupts) {
    return (engine, config, repetition, warmup) -> {
      Crawler crawler =
          Engines.create(engine).orElseThrow(() -> new UsageException(Engines.unknown(engine)));
      if (!warmup.isZero()) {
        RunningCrawl warm = crawler.start(config, PageListener.NONE);
        interrupts.onInterrupt(warm::cancel);
        try {
          warm.completion().get(warmup.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          warm.cancel();
        } catch (InterruptedException e) {
          warm.cancel();
          Thread.currentThread().interrupt();
        }
        warm.await();
      }
      Optional<Duration> before = serverCpu.get();
      RunningCrawl run = crawler.start(config, PageListener.NONE);
      interrupts.onInterrupt(run::cancel);
      CrawlReport report = run.await();
      interrupts.onInterrupt(() -> {});
      Run result = Run.of(engine, config.concurrency(), repetition, report);
      return withServerCpu(result, before, serverCpu.get());
    };
  }

  private static Run withServerCpu(Run run, Optional<Duration> before, Optional<Duration> after) {
    return before.isPresent() && after.isPresent()
        ? run.withServerCpu(after.get().minus(before.get()))
        : run;
  }

  /** The child-JVM runner. */
  final class ChildRunner implements CrawlRunner {
    private static final int STDERR_LINES_KEPT = 20;

    private final List<String> jvmOptions;
    private final Path workDir;
    private final Supplier<Optional<Duration>> serverCpu;
    private final Duration timeout;
    private final Interrupts interrupts;
    private int sequence;

    private ChildRunner(
        List<String> jvmOptions,
        Path workDir,
        Supplier<Optional<Duration>> serverCpu,
        Duration timeout,
        Interrupts interrupts) {
      this.jvmOptions = List.copyOf(jvmOptions);
      this.workDir = workDir;
      this.serverCpu = serverCpu;
      this.timeout = timeout;
      this.interrupts = interrupts;
    }

    @Override
    public Run run(String engine, CrawlConfig config, int repetition, Duration warmup) {
      int n = ++sequence;
      Path seeds = workDir.resolve("seeds.txt");
      Path report = workDir.resolve("run-" + n + "-report.json");
      Path stderr = workDir.resolve("run-" + n + "-stderr.txt");
      try {
        if (!Files.exists(seeds)) {
          Files.write(seeds, config.seeds(), StandardCharsets.UTF_8);
        }
        List<String> command = new ArrayList<>(ChildJvm.command(jvmOptions));
        command.addAll(List.of("crawl", "--engine=" + engine));
        command.addAll(CrawlOptions.args(config));
        command.addAll(
            List.of(
                "--seeds=" + seeds,
                "--report=" + report,
                "--format=json",
                "--warmup=" + warmup,
                "--markers"));
        Process child =
            new ProcessBuilder(command)
                .redirectErrorStream(false)
                .redirectError(stderr.toFile())
                .start();
        interrupts.onInterrupt(child::destroy); // SIGTERM: the child cancels and writes its report
        Markers cpu = new Markers();
        Thread reader =
            Thread.ofPlatform()
                .daemon()
                .name("duocrawl-child-out")
                .start(() -> readMarkers(child, cpu));
        if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          child.destroy();
          if (!child.waitFor(30, TimeUnit.SECONDS)) {
            child.destroyForcibly();
          }
          return Run.failed(
              engine, config.concurrency(), repetition, "timed out after " + Units.format(timeout));
        }
        interrupts.onInterrupt(() -> {});
        reader.join(TimeUnit.SECONDS.toMillis(10));
        int exit = child.exitValue();
        if (Files.isRegularFile(report) && Files.size(report) > 0) {
          Run run = Run.of(engine, config.concurrency(), repetition, ReportJson.read(report));
          return cpu.start.isPresent() && cpu.end.isPresent()
              ? run.withServerCpu(cpu.end.get().minus(cpu.start.get()))
              : run;
        }
        return Run.failed(
            engine,
            config.concurrency(),
            repetition,
            "child JVM exited " + exit + ": " + tail(stderr));
      } catch (IOException e) {
        return Run.failed(engine, config.concurrency(), repetition, "child JVM: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Run.failed(engine, config.concurrency(), repetition, "interrupted");
      } finally {
        try {
          Files.deleteIfExists(report);
          Files.deleteIfExists(stderr);
        } catch (IOException e) {
          // a leftover temporary file is harmless
        }
      }
    }

    /** The server's CPU time when the child's measured crawl started and ended. */
    private static final class Markers {
      volatile Optional<Duration> start = Optional.empty();
      volatile Optional<Duration> end = Optional.empty();
    }

    /**
     * Reads the child's stdout to its end, sampling the server's CPU time at the start and end
     * markers so the figure covers the measured crawl only (not JVM start-up or warm-up).
     */
    private void readMarkers(Process child, Markers cpu) {
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.equals(CrawlCommand.START_MARKER)) {
            cpu.start = serverCpu.get();
          } else if (line.equals(CrawlCommand.END_MARKER)) {
            cpu.end = serverCpu.get();
          }
        }
      } catch (IOException e) {
        // the child closed its output: nothing more to read
      }
    }

    private static String tail(Path stderr) {
      try {
        List<String> lines =
            Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
        if (lines.isEmpty()) {
          return "no error output";
        }
        // The most telling line: an error or exception message, else the last line.
        for (int i = lines.size() - 1; i >= Math.max(0, lines.size() - STDERR_LINES_KEPT); i--) {
          String l = lines.get(i);
          if (l.startsWith("duocrawl:") || l.contains("Error") || l.contains("Exception")) {
            return l.strip();
          }
        }
        return lines.get(lines.size() - 1).strip();
      } catch (IOException e) {
        return "no error output";
      }
    }
  }
}
