package io.duocrawl.cli;

import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.SiteSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code duocrawl fixture serve}: the fixture site, standalone. */
@Command(
    name = "fixture",
    mixinStandardHelpOptions = true,
    description = "The built-in fixture site.",
    subcommands = FixtureCommand.Serve.class)
final class FixtureCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }

  /** The site options {@code fixture serve} and {@code bench} share. */
  static final class SiteOptions {
    @Option(
        names = "--pages",
        paramLabel = "N",
        defaultValue = "20000",
        description = "Generated pages. Default: ${DEFAULT-VALUE}.")
    int pages;

    @Option(
        names = "--links",
        paramLabel = "K",
        defaultValue = "8",
        description = "Page links per page (plus one link home). Default: ${DEFAULT-VALUE}.")
    int links;

    @Option(
        names = "--page-size",
        paramLabel = "SIZE",
        converter = Units.SizeConverter.class,
        defaultValue = "8KB",
        description = "Body size of a page; binary units. Default: ${DEFAULT-VALUE}.")
    long pageBytes;

    @Option(
        names = "--latency",
        paramLabel = "MODEL",
        converter = LatencySpec.Converter.class,
        defaultValue = "fixed:100ms",
        description =
            "Server delay per page: fixed:100ms, uniform:50ms..150ms, lognormal:100ms,0.5"
                + " (median, sigma) or 0. Default: ${DEFAULT-VALUE}.")
    LatencySpec latency;

    @Option(
        names = "--server-threads",
        paramLabel = "N",
        defaultValue = "64",
        description = "Jetty worker threads of the fixture server. Default: ${DEFAULT-VALUE}.")
    int serverThreads;

    /** The site; the fixture's own validation, in the options' names. */
    SiteSpec.Builder spec() {
      CompareOptions.requirePositive("--pages", pages);
      CompareOptions.requirePositive("--links", links);
      CompareOptions.requirePositive("--server-threads", serverThreads);
      if (pageBytes > Integer.MAX_VALUE) {
        throw new UsageException("--page-size is too large, was " + pageBytes);
      }
      try {
        SiteSpec.Builder b =
            SiteSpec.builder()
                .pages(pages)
                .linksPerPage(links)
                .pageBytes((int) pageBytes)
                .latency(latency.model())
                .serverThreads(serverThreads)
                .journal(false)
                .requestLog(false);
        b.build(); // validate now
        return b;
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            String.valueOf(e.getMessage())
                .replaceFirst("^pages ", "--pages ")
                .replaceFirst("^linksPerPage ", "--links ")
                .replaceFirst("^pageBytes ", "--page-size ")
                .replaceFirst("^serverThreads ", "--server-threads "));
      }
    }

    /** These options as {@code fixture serve} arguments, for a child JVM. */
    java.util.List<String> args() {
      return java.util.List.of(
          "--pages=" + pages,
          "--links=" + links,
          "--page-size=" + pageBytes,
          "--latency=" + latency.text(),
          "--server-threads=" + serverThreads);
    }

    String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "%,d pages, %d links/page, %s per page, latency %s",
          pages,
          links,
          CrawlOptions.formatSize(pageBytes),
          latency.text());
    }
  }

  /** Serves the site until Ctrl-C (or, for a parent {@code bench}, until stdin closes). */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Serve the fixture site on 127.0.0.1 until Ctrl-C. Prints the root URL as the first line"
            + " of stdout."
      })
  static final class Serve implements Callable<Integer> {
    @ParentCommand FixtureCommand fixture;

    @Option(
        names = "--port",
        paramLabel = "P",
        defaultValue = "0",
        description = "Port on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @picocli.CommandLine.Mixin SiteOptions site;

    @Option(
        names = "--sections",
        description =
            "Also serve the special sections: redirects, robots.txt, non-HTML resources, oversized"
                + " and malformed pages, duplicate links, the calendar trap.")
    boolean sections;

    @Option(names = "--stop-on-stdin-eof", hidden = true, description = "Stop when stdin closes.")
    boolean stopOnEof;

    @Override
    public Integer call() throws InterruptedException {
      Main.Context ctx = fixture.main.context();
      if (port < 0 || port > 65_535) {
        throw new UsageException("--port must be in [0, 65535], was " + port);
      }
      SiteSpec.Builder spec = site.spec().port(port);
      if (sections) {
        spec.allSections();
      }
      CountDownLatch stop = new CountDownLatch(1);
      try (FixtureSite served = FixtureSite.start(spec.build())) {
        ctx.out().println(served.rootUrl());
        ctx.out().flush();
        ctx.err().println("duocrawl: fixture site: " + site.describe() + "; Ctrl-C to stop");
        ctx.interrupts().onInterrupt(stop::countDown);
        if (stopOnEof) {
          Thread.ofPlatform()
              .daemon()
              .name("duocrawl-stdin-watch")
              .start(() -> awaitEof(System.in, stop));
        }
        stop.await();
      } catch (IllegalStateException e) {
        throw new IllegalStateException(
            e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()), e);
      }
      return ctx.interrupts().interrupted() ? ExitCode.INTERRUPTED : ExitCode.OK;
    }

    // The parent holds our stdin open; when it exits, even killed with SIGKILL, the pipe closes
    // and the server stops instead of lingering as an orphan.
    private static void awaitEof(InputStream in, CountDownLatch stop) {
      try {
        while (in.read() >= 0) {
          // ignore input
        }
      } catch (IOException e) {
        // closed
      }
      stop.countDown();
    }
  }
}
