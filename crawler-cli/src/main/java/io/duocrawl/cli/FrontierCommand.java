package io.duocrawl.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import io.duocrawl.redis.FrontierStats;
import io.duocrawl.redis.FrontierStore;
import io.duocrawl.redis.FrontierUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code duocrawl frontier stats|report|drop --frontier redis://... --crawl-id NAME}: what a shared
 * crawl holds in the cluster, summed over all its workers, and how to delete it.
 */
@Command(
    name = "frontier",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A shared crawl's frontier in a Redis Cluster: 'stats' prints its counts, 'report' the same"
          + " as JSON (the merged view of every worker), 'drop' deletes every key of the crawl."
    })
final class FrontierCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "stats|report|drop", description = "What to do.")
  String action;

  @Option(
      names = "--frontier",
      required = true,
      paramLabel = "redis://HOST:PORT[,HOST:PORT...]",
      description = "The Redis Cluster (any of its nodes).")
  String uri;

  @Option(
      names = "--crawl-id",
      required = true,
      paramLabel = "NAME",
      description = "The shared crawl.")
  String crawlId;

  @Override
  public Integer call() {
    Main.Context ctx = main.context();
    if (!action.equals("stats") && !action.equals("report") && !action.equals("drop")) {
      throw new UsageException(
          "frontier action must be stats, report or drop, was '" + action + "'");
    }
    FrontierStore store;
    try {
      FrontierStore.check(uri, crawlId);
      store = FrontierStore.connect(uri);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    } catch (FrontierUnavailableException e) {
      ctx.err().println("duocrawl: error: " + e.getMessage());
      return ExitCode.FAILURE;
    }
    try (store) {
      if (action.equals("drop")) {
        long keys = store.drop(crawlId);
        ctx.out().printf("dropped crawl %s: %,d keys%n", crawlId, keys);
        return ExitCode.OK;
      }
      FrontierStats s = store.stats(crawlId);
      if (s.buckets() == 0) {
        ctx.err().println("duocrawl: error: no crawl '" + crawlId + "' in " + uri);
        return ExitCode.FAILURE;
      }
      if (action.equals("report")) {
        ctx.out().println(reportJson(s));
      } else {
        ctx.out()
            .printf(
                "crawl %s: %,d accepted, %,d done, %,d queued, %,d delayed, %,d leased"
                    + " (pending %,d); %,d leases reclaimed, %,d late acks refused; %d buckets%n",
                crawlId,
                s.accepted(),
                s.done(),
                s.queued(),
                s.delayed(),
                s.leased(),
                s.pending(),
                s.reclaimed(),
                s.staleAcks(),
                s.buckets());
      }
      return ExitCode.OK;
    } catch (FrontierUnavailableException e) {
      ctx.err().println("duocrawl: error: " + e.getMessage());
      return ExitCode.FAILURE;
    }
  }

  /** {@code frontier report}: the counts, then {@code pending} and {@code exhausted}. */
  static String reportJson(FrontierStats s) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("buckets", s.buckets());
    json.put("accepted", s.accepted());
    json.put("queued", s.queued());
    json.put("delayed", s.delayed());
    json.put("leased", s.leased());
    json.put("done", s.done());
    json.put("staleAcks", s.staleAcks());
    json.put("reclaimed", s.reclaimed());
    json.put("pending", s.pending());
    json.put("exhausted", s.pending() == 0);
    try {
      return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // no I/O: a String target
    }
  }
}
