package io.duocrawl.threads.bench;

import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.LatencyModel;
import io.duocrawl.fixtures.SiteSpec;
import java.io.IOException;
import java.time.Duration;

/**
 * The benchmark's fixture server, run in a JVM of its own so that the crawler's CPU time and memory
 * are measured without the server's. Prints {@code PORT <n>} and serves until its standard input
 * closes (the parent exited or is done), so it never outlives the benchmark.
 *
 * <p>Arguments: {@code PAGES LATENCY_MS}.
 */
public final class BenchSite {
  private BenchSite() {}

  /** Serves a plain site of {@code PAGES} pages with a fixed latency until stdin closes. */
  public static void main(String[] args) throws IOException {
    int pages = Integer.parseInt(args[0]);
    long latencyMs = Long.parseLong(args[1]);
    SiteSpec spec =
        SiteSpec.builder()
            .pages(pages)
            .latency(LatencyModel.fixed(Duration.ofMillis(latencyMs)))
            // The log would grow by every request of every run; nothing reads it here.
            .requestLog(false)
            .build();
    try (FixtureSite site = FixtureSite.start(spec)) {
      System.out.println("PORT " + site.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Serve until the parent closes our stdin.
      }
    }
  }
}
