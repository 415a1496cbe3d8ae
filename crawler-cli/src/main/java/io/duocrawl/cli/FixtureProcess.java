package io.duocrawl.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The fixture site in its own JVM ({@code duocrawl fixture serve}), so its CPU time, memory and
 * threads are not the crawler's. Its stdin stays connected to this process: when this JVM exits,
 * however it exits, the pipe closes and the server stops.
 */
final class FixtureProcess implements AutoCloseable {
  private final Process process;
  private final URI url;

  private FixtureProcess(Process process, URI url) {
    this.process = process;
    this.url = url;
  }

  /**
   * Starts the server and waits for the URL it prints.
   *
   * @param serveArgs the {@code fixture serve} options
   * @param log where the server's stderr goes
   */
  static FixtureProcess start(List<String> serveArgs, Path log, Duration startTimeout) {
    List<String> command = new ArrayList<>(ChildJvm.command(List.of()));
    command.addAll(List.of("fixture", "serve", "--stop-on-stdin-eof"));
    command.addAll(serveArgs);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fixture server JVM: " + e.getMessage(), e);
    }
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> firstLine =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (IOException e) {
                return null;
              }
            });
    try {
      String line = firstLine.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null || !line.startsWith("http")) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the fixture server did not start (exit " + exitOf(process) + "); see " + log);
      }
      return new FixtureProcess(process, URI.create(line.strip()));
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the fixture server did not start in time; see " + log, e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the fixture server", e);
    }
  }

  private static String exitOf(Process p) {
    try {
      return p.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(p.exitValue()) : "none";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "none";
    }
  }

  /** The root page, the seed of a crawl. */
  URI url() {
    return url;
  }

  /** The server's CPU time so far (all its threads), where the OS tells. */
  Optional<Duration> cpuTime() {
    return process.toHandle().info().totalCpuDuration();
  }

  /** Stops the server: closes its stdin, then terminates it if it lingers. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
