package io.duocrawl.cli;

import io.duocrawl.common.session.SessionOpener;
import io.duocrawl.redis.FrontierStore;
import io.duocrawl.redis.FrontierUnavailableException;
import java.util.function.ToIntFunction;

/**
 * {@code duocrawl crawl --frontier}: connects to the cluster (one clear line and exit 1 when it
 * cannot), runs the crawl over the shared frontier, and ends with one clear line and exit 1 when
 * the cluster stopped answering for longer than the give-up time mid-crawl.
 */
final class SharedCrawl {
  private SharedCrawl() {}

  static int run(FrontierOptions options, Main.Context ctx, ToIntFunction<SessionOpener> crawl) {
    FrontierStore store;
    try {
      store = FrontierStore.connect(options.uri);
    } catch (FrontierUnavailableException e) {
      ctx.err().println("duocrawl: error: " + e.getMessage());
      return ExitCode.FAILURE;
    }
    try (store) {
      ctx.err().printf("duocrawl: shared crawl %s on %s%n", options.crawlId, options.uri);
      return crawl.applyAsInt(store.sessions(options.crawlId, options.settings()));
    } catch (RuntimeException e) {
      FrontierUnavailableException down = unavailable(e);
      if (down == null) {
        throw e;
      }
      ctx.err().println("duocrawl: error: " + down.getMessage());
      return ExitCode.FAILURE;
    }
  }

  private static FrontierUnavailableException unavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FrontierUnavailableException f) {
        return f;
      }
    }
    return null;
  }
}
