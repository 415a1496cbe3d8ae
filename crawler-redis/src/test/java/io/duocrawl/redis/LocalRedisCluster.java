package io.duocrawl.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real 3-master Redis Cluster on free loopback ports, from the {@code redis-server} on the PATH:
 * each node a child process of the test JVM, its data in a temporary directory. Started once per
 * module run by {@link RedisClusterExtension}.
 */
public final class LocalRedisCluster implements AutoCloseable {
  static final int MASTERS = 3;

  private final Path dir;
  private final int basePort;
  private final List<Process> nodes;

  private LocalRedisCluster(Path dir, int basePort, List<Process> nodes) {
    this.dir = dir;
    this.basePort = basePort;
    this.nodes = nodes;
  }

  /** Whether {@code redis-server} and {@code redis-cli} are on the PATH. */
  static boolean available() {
    return onPath("redis-server") && onPath("redis-cli");
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  static LocalRedisCluster start() throws IOException {
    Path dir = Files.createTempDirectory("duocrawl-redis-");
    int base = freeBasePort();
    List<Process> nodes = new ArrayList<>();
    LocalRedisCluster cluster = new LocalRedisCluster(dir, base, nodes);
    try {
      for (int i = 0; i < MASTERS; i++) {
        int port = base + i;
        nodes.add(
            new ProcessBuilder(
                    "redis-server",
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--protected-mode",
                    "no",
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes-" + port + ".conf",
                    "--cluster-node-timeout",
                    "2000",
                    "--dir",
                    dir.toString(),
                    "--save",
                    "",
                    "--appendonly",
                    "no")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
                .start());
      }
      for (int i = 0; i < MASTERS; i++) {
        int port = base + i;
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> cli(port, "ping").contains("PONG"));
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (int i = 0; i < MASTERS; i++) {
        create.add("127.0.0.1:" + (base + i));
      }
      create.add("--cluster-yes");
      String out = run(create);
      if (!out.contains("[OK] All 16384 slots covered")) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
      }
      for (int i = 0; i < MASTERS; i++) {
        int port = base + i;
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> cli(port, "cluster", "info").contains("cluster_state:ok"));
      }
      return cluster;
    } catch (RuntimeException | IOException e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code redis://127.0.0.1:P,127.0.0.1:P+1,127.0.0.1:P+2}. */
  public String uri() {
    StringBuilder b = new StringBuilder("redis://");
    for (int i = 0; i < MASTERS; i++) {
      b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(basePort + i);
    }
    return b.toString();
  }

  /** Runs {@code redis-cli -p PORT args...} against the first node; its output. */
  public String cli(String... args) {
    return cli(basePort, args);
  }

  /** Every node's answer to {@code INFO section}, concatenated. */
  public List<String> infoOfEachNode(String section) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < MASTERS; i++) {
      out.add(cli(basePort + i, "info", section));
    }
    return out;
  }

  private static String cli(int port, String... args) {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A base port P where P..P+2 and their bus ports P+10000.. are free on loopback. */
  private static int freeBasePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 44_000);
      boolean free = true;
      for (int i = 0; i < MASTERS && free; i++) {
        free = isFree(base + i) && isFree(base + i + 10_000);
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no free loopback ports for a Redis Cluster");
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    for (Process p : nodes) {
      p.destroy();
    }
    for (Process p : nodes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
