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
    return start(0);
  }

  /**
   * Three masters, each with {@code replicasPerMaster} replicas (ports after the masters'), for
   * tests that kill a master and need its replica promoted.
   */
  static LocalRedisCluster start(int replicasPerMaster) throws IOException {
    int count = MASTERS * (1 + replicasPerMaster);
    Path dir = Files.createTempDirectory("duocrawl-redis-");
    int base = freeBasePort(count);
    List<Process> nodes = new ArrayList<>();
    LocalRedisCluster cluster = new LocalRedisCluster(dir, base, nodes);
    try {
      for (int i = 0; i < count; i++) {
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
      for (int i = 0; i < count; i++) {
        int port = base + i;
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> cli(port, "ping").contains("PONG"));
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (int i = 0; i < count; i++) {
        create.add("127.0.0.1:" + (base + i));
      }
      create.add("--cluster-replicas");
      create.add(Integer.toString(replicasPerMaster));
      create.add("--cluster-yes");
      String out = run(create);
      if (!out.contains("[OK] All 16384 slots covered")) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
      }
      for (int i = 0; i < count; i++) {
        int port = base + i;
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> cli(port, "cluster", "info").contains("cluster_state:ok"));
      }
      if (replicasPerMaster > 0) {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(cluster::replicasInSync);
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

  /** Runs {@code redis-cli -p PORT args...} against the first node alive; its output. */
  public String cli(String... args) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).isAlive()) {
        return cli(basePort + i, args);
      }
    }
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

  /**
   * Whether every master reports a replica online ({@code connected_slaves}, link up): the replicas
   * finished their first sync.
   */
  private boolean replicasInSync() {
    int synced = 0;
    for (Process p : nodes) {
      if (!p.isAlive()) {
        continue;
      }
      int port = portOf(p);
      String info = cli(port, "info", "replication");
      if (info.contains("role:master") && info.contains("state=online")) {
        synced++;
      }
    }
    return synced == MASTERS;
  }

  private int portOf(Process p) {
    return basePort + nodes.indexOf(p);
  }

  /**
   * Kills with SIGKILL the master that holds {@code key}'s slot (no shutdown, no last sync to its
   * replica); returns its port.
   */
  int killMasterOf(String key) {
    String slot = cli("cluster", "keyslot", key).strip();
    int s = Integer.parseInt(slot);
    for (String line : cli("cluster", "nodes").split("\n")) {
      String[] f = line.strip().split(" ");
      if (f.length < 9 || !f[2].contains("master")) {
        continue;
      }
      for (int i = 8; i < f.length; i++) {
        String[] range = f[i].split("-");
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        if (s >= from && s <= to) {
          int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
          Process victim = nodes.get(port - basePort);
          victim.destroyForcibly(); // SIGKILL on Linux
          try {
            victim.waitFor(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return port;
        }
      }
    }
    throw new IllegalStateException("no master holds slot " + slot + " of " + key);
  }

  /** Whether a node other than {@code deadPort} reports {@code cluster_state:ok}. */
  boolean okWithout(int deadPort) {
    int port = deadPort == basePort ? basePort + 1 : basePort;
    return cli(port, "cluster", "info").contains("cluster_state:ok");
  }

  /** A base port P where P..P+count-1 and their bus ports P+10000.. are free on loopback. */
  private static int freeBasePort(int count) throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      // Node ports and their cluster-bus ports (+10,000) below Linux's ephemeral range (32768 up):
      // a bus port taken by some client socket's local port makes its node abort at start.
      int base = ThreadLocalRandom.current().nextInt(10_000, 22_000);
      boolean free = true;
      for (int i = 0; i < count && free; i++) {
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
