package io.duocrawl.cli;

import io.duocrawl.fixtures.RunningSite;
import io.duocrawl.fixtures.ServerKind;
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

    // No picocli default: null means "the command's default" (wiremock for fixture serve, the
    // light server for bench); read it through server(commandDefault).
    @Option(
        names = "--server",
        paramLabel = "KIND",
        converter = ServerKindConverter.class,
        description =
            "Server of the fixture site: netty (light, non-blocking, for benchmarks) or wiremock"
                + " (the server of the behaviour tests).")
    ServerKind server;

    @Option(
        names = "--origins",
        paramLabel = "N",
        defaultValue = "1",
        description =
            "Serve the site from N origins, 127.0.0.1 .. 127.0.0.N on one port (page i on origin i"
                + " mod N), so a crawl's connections spread over N address pairs of ~28,000"
                + " ephemeral ports each. N > 1 serves no --sections. Default: ${DEFAULT-VALUE}.")
    int origins;

    /** The server asked for, or {@code commandDefault} when {@code --server} was not given. */
    ServerKind server(ServerKind commandDefault) {
      return server != null ? server : java.util.Objects.requireNonNull(commandDefault);
    }

    /** The site; the fixture's own validation, in the options' names. */
    SiteSpec.Builder spec() {
      CompareOptions.requirePositive("--pages", pages);
      CompareOptions.requirePositive("--links", links);
      CompareOptions.requirePositive("--server-threads", serverThreads);
      if (origins < 1 || origins > SiteSpec.MAX_ORIGINS) {
        throw new UsageException(
            "--origins must be in [1, " + SiteSpec.MAX_ORIGINS + "], was " + origins);
      }
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
                .origins(origins)
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
                .replaceFirst("^serverThreads ", "--server-threads ")
                .replaceFirst("^origins ", "--origins "));
      }
    }

    /**
     * These options as {@code fixture serve} arguments, for a child JVM, with the server resolved
     * against the calling command's default (the child's own default, wiremock, may differ).
     */
    java.util.List<String> args(ServerKind commandDefault) {
      java.util.List<String> args = new java.util.ArrayList<>(common());
      args.add("--server=" + serverName(server(commandDefault)));
      return java.util.List.copyOf(args);
    }

    /**
     * These options as {@code fixture serve} arguments, {@code --server} only if it was given (so
     * the child's default, wiremock, applies otherwise).
     */
    java.util.List<String> args() {
      java.util.List<String> args = new java.util.ArrayList<>(common());
      if (server != null) {
        args.add("--server=" + serverName(server));
      }
      return java.util.List.copyOf(args);
    }

    private java.util.List<String> common() {
      return java.util.List.of(
          "--pages=" + pages,
          "--links=" + links,
          "--page-size=" + pageBytes,
          "--latency=" + latency.text(),
          "--server-threads=" + serverThreads,
          "--origins=" + origins);
    }

    String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "%,d pages, %d links/page, %s per page, latency %s%s",
          pages,
          links,
          CrawlOptions.formatSize(pageBytes),
          latency.text(),
          origins > 1 ? String.format(java.util.Locale.ROOT, ", %d origins", origins) : "");
    }
  }

  /** The option's spelling of a server kind: {@code netty} or {@code wiremock}. */
  static String serverName(ServerKind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@code --server}: netty or wiremock, in any case. */
  static final class ServerKindConverter implements picocli.CommandLine.ITypeConverter<ServerKind> {
    @Override
    public ServerKind convert(String value) {
      for (ServerKind k : ServerKind.values()) {
        if (serverName(k).equalsIgnoreCase(value.strip())) {
          return k;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "expected netty or wiremock, was '" + value + "'");
    }
  }

  /** Serves the site until Ctrl-C (or, for a parent {@code bench}, until stdin closes). */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Serve the fixture site on 127.0.0.1 until Ctrl-C. Prints the root URL as the first line"
            + " of stdout. Default server: wiremock (--server netty for the light one)."
      })
  static final class Serve implements Callable<Integer> {
    /** The server of {@code fixture serve} when {@code --server} is not given. */
    static final ServerKind DEFAULT_SERVER = ServerKind.WIREMOCK;

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
        if (site.origins > 1) {
          throw new UsageException("--sections needs --origins 1, was " + site.origins);
        }
        spec.allSections();
      }
      ServerKind kind = site.server(DEFAULT_SERVER);
      CountDownLatch stop = new CountDownLatch(1);
      try (RunningSite served = kind.start(spec.build())) {
        ctx.out().println(served.rootUrl());
        ctx.out().flush();
        ctx.err()
            .println(
                "duocrawl: fixture site ("
                    + serverName(kind)
                    + "): "
                    + site.describe()
                    + (served.origins().size() > 1 ? " at " + served.origins() : "")
                    + "; Ctrl-C to stop");
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
