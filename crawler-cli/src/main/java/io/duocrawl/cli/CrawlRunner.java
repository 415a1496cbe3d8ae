package io.duocrawl.cli;

import io.duocrawl.cli.Comparison.Run;
import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.report.ReportFormat;
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
   * @param prefix words before the java command, such as {@code taskset -c 1-3}; empty for none
   * @param jvmOptions extra JVM flags for the child
   * @param workDir where seed and report files go
   * @param serverCpu the fixture server's CPU time so far, empty when unknown
   * @param timeout the longest a run may take before it is stopped and counted as failed
   * @param interrupts Ctrl-C: stops the running child
   */
  static CrawlRunner childJvm(
      List<String> prefix,
      List<String> jvmOptions,
      Path workDir,
      Supplier<Optional<Duration>> serverCpu,
      Duration timeout,
      Interrupts interrupts) {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(ChildJvm.command(jvmOptions));
    return new ChildRunner(command, workDir, serverCpu, timeout, interrupts);
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
    private final List<String> java;
    private final Path workDir;
    private final Supplier<Optional<Duration>> serverCpu;
    private final Duration timeout;
    private final Interrupts interrupts;
    private int sequence;

    /**
     * A runner that starts {@code java} (the command up to and including the main class) per crawl.
     */
    ChildRunner(
        List<String> java,
        Path workDir,
        Supplier<Optional<Duration>> serverCpu,
        Duration timeout,
        Interrupts interrupts) {
      this.java = List.copyOf(java);
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
        List<String> command = new ArrayList<>(java);
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
              engine,
              config.concurrency(),
              repetition,
              FailureMode.timedOut(Units.format(timeout), config.concurrency()));
        }
        interrupts.onInterrupt(() -> {});
        reader.join(TimeUnit.SECONDS.toMillis(10));
        int exit = child.exitValue();
        if (Files.isRegularFile(report) && Files.size(report) > 0) {
          Run run =
              Run.of(
                  engine,
                  config.concurrency(),
                  repetition,
                  ReportFormat.readJson(Files.readString(report)).get(0));
          if (cpu.jvmStart.isPresent() && cpu.jvmEnd.isPresent()) {
            run = run.withCrawlerJvmCpu(cpu.jvmEnd.get().minus(cpu.jvmStart.get()));
          }
          return cpu.start.isPresent() && cpu.end.isPresent()
              ? run.withServerCpu(cpu.end.get().minus(cpu.start.get()))
              : run;
        }
        return Run.failed(
            engine,
            config.concurrency(),
            repetition,
            FailureMode.childDied(lines(stderr), exit, config.concurrency()));
      } catch (IOException | IllegalArgumentException e) {
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

    /**
     * The server's CPU time, and the child's own JIT and GC CPU time, when the child's measured
     * crawl started and ended.
     */
    private static final class Markers {
      volatile Optional<Duration> start = Optional.empty();
      volatile Optional<Duration> end = Optional.empty();
      volatile Optional<JvmCpu> jvmStart = Optional.empty();
      volatile Optional<JvmCpu> jvmEnd = Optional.empty();
    }

    /**
     * Reads the child's stdout to its end, sampling the server's CPU time and the child's JIT and
     * GC CPU time at the start and end markers so the figures cover the measured crawl only (not
     * JVM start-up or warm-up).
     */
    private void readMarkers(Process child, Markers cpu) {
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.equals(CrawlCommand.START_MARKER)) {
            cpu.start = serverCpu.get();
            cpu.jvmStart = JvmCpu.of(child.pid());
          } else if (line.equals(CrawlCommand.END_MARKER)) {
            cpu.end = serverCpu.get();
            cpu.jvmEnd = JvmCpu.of(child.pid());
          }
        }
      } catch (IOException e) {
        // the child closed its output: nothing more to read
      }
    }

    private static List<String> lines(Path stderr) {
      try {
        return Files.readAllLines(stderr, StandardCharsets.UTF_8);
      } catch (IOException | java.io.UncheckedIOException e) {
        return List.of();
      }
    }
  }
}
