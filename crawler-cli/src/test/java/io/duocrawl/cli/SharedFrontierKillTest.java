package io.duocrawl.cli;

import static io.duocrawl.cli.KilledCrawls.lines;
import static io.duocrawl.cli.KilledCrawls.records;
import static io.duocrawl.cli.KilledCrawls.urls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.GroundTruth;
import io.duocrawl.redis.LocalRedisCluster;
import io.duocrawl.redis.RedisClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three workers, one per engine, run {@code duocrawl crawl --frontier} on one crawl id in child
 * JVMs against a fixture site; one is killed with SIGKILL mid-crawl. The other two finish and exit
 * by themselves, and the union of all outputs is the site's ground truth URL by URL, with at most
 * the killed worker's leased URLs written twice.
 */
@ExtendWith(RedisClusterExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SharedFrontierKillTest {
  private static final int C = 8;

  /** What the killed worker may have held leased: C in flight plus its claimed batch (C / 4). */
  private static final int LEASED_AT_MOST = C + C / 4;

  private static FixtureSite site;
  private static GroundTruth truth;
  private static int total;

  @TempDir Path dir;

  @BeforeAll
  static void startSite() {
    site = KilledCrawls.site();
    truth = KilledCrawls.truth(site);
    total = KilledCrawls.total(truth);
  }

  @AfterAll
  static void stopSite() {
    if (site != null) {
      site.close();
    }
  }

  @Test
  void threeWorkersOneKilledFinishWithExactlyTheGroundTruth(LocalRedisCluster cluster)
      throws Exception {
    String crawlId = "kill-" + ProcessHandle.current().pid();
    Map<String, Process> workers = new LinkedHashMap<>();
    // The worker to kill starts first and the others join once it is crawling: started together,
    // the two others could finish this small site before its JVM had fetched anything.
    workers.put("virtual", worker("virtual", cluster.uri(), crawlId));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> lines(out("virtual")) >= 3 || !workers.get("virtual").isAlive());
    for (String engine : List.of("threads", "reactive")) {
      workers.put(engine, worker(engine, cluster.uri(), crawlId));
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> lines(out("virtual")) >= 10 || !workers.get("virtual").isAlive());
    Process victim = workers.get("virtual");
    assertThat(victim.isAlive())
        .as(
            "the worker to kill is still crawling; it wrote %d records and said %s",
            lines(out("virtual")), Files.readString(dir.resolve("virtual.err")))
        .isTrue();
    victim.destroyForcibly(); // SIGKILL on Linux
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();

    for (String engine : List.of("threads", "reactive")) {
      Process p = workers.get(engine);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(engine + " exits by itself").isTrue();
      assertThat(p.exitValue()).as(Files.readString(dir.resolve(engine + ".err"))).isZero();
    }

    List<JsonNode> records = new ArrayList<>();
    for (String engine : workers.keySet()) {
      records.addAll(records(out(engine)));
    }
    Map<String, Integer> times = new HashMap<>();
    records.forEach(r -> times.merge(r.get("url").asText(), 1, Integer::sum));
    assertThat(urls(records, "FETCHED")).isEqualTo(new TreeSet<>(truth.fetched()));
    assertThat(urls(records, "REDIRECTED")).isEqualTo(new TreeSet<>(truth.redirects().keySet()));
    assertThat(urls(records, "FAILED")).isEqualTo(new TreeSet<>(truth.failed().keySet()));
    assertThat(urls(records, "SKIPPED")).isEqualTo(new TreeSet<>(truth.skipped().keySet()));
    assertThat(times).hasSize(total);
    assertThat(records.size() - times.size())
        .as("URLs written twice: at most those the killed worker held leased")
        .isLessThanOrEqualTo(LEASED_AT_MOST);

    Cli.Result stats =
        Cli.run("frontier", "stats", "--frontier=" + cluster.uri(), "--crawl-id=" + crawlId);
    assertThat(stats.exitCode()).as(stats.err()).isZero();
    assertThat(stats.out()).contains("(pending 0)");
    Cli.Result drop =
        Cli.run("frontier", "drop", "--frontier=" + cluster.uri(), "--crawl-id=" + crawlId);
    assertThat(drop.exitCode()).as(drop.err()).isZero();
  }

  private Process worker(String engine, String uri, String crawlId) throws IOException {
    List<String> command =
        new ArrayList<>(ChildJvm.command(List.of("-XX:-UsePerfData", "-XX:TieredStopAtLevel=1")));
    command.addAll(
        List.of(
            "crawl",
            "--engine=" + engine,
            "--concurrency=" + C,
            "--per-host=" + C,
            "--max-pages=10000",
            "--frontier=" + uri,
            "--crawl-id=" + crawlId,
            "--lease=2s",
            "--out=" + out(engine),
            site.rootUrl().toString()));
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve(engine + ".out").toFile())
        .redirectError(dir.resolve(engine + ".err").toFile())
        .start();
  }

  private Path out(String engine) {
    return dir.resolve("pages-" + engine + ".jsonl");
  }
}
