package io.duocrawl.cli;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.report.ReportFormat;
import io.duocrawl.common.session.SessionOpener;
import io.duocrawl.common.sitemap.SitemapPolicy;
import io.duocrawl.common.state.CrawlState;
import io.duocrawl.common.state.CrawlStateException;
import io.duocrawl.warc.WarcArchive;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code duocrawl crawl}: one engine, a seed list, JSON Lines of pages, a report. */
@Command(
    name = "crawl",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    defaultValueProvider = CrawlOptions.Defaults.class,
    description = {
      "Crawl from the seeds with one engine. Writes one JSON line per URL that reached an outcome"
          + " (--out), the report as JSON (--report), and the report table on stdout (on stderr"
          + " when --out is '-'). Durations: 500ms, 10s, 2m. Sizes: 512KB, 10MB (binary units)."
    })
final class CrawlCommand implements Callable<Integer> {
  /** Printed on stdout around the measured crawl with --markers, for a parent {@code compare}. */
  static final String START_MARKER = "@@duocrawl measured crawl started";

  static final String END_MARKER = "@@duocrawl measured crawl ended";

  @ParentCommand Main main;

  @Option(
      names = "--engine",
      required = true,
      paramLabel = "ENGINE",
      completionCandidates = Engines.Names.class,
      description = "The engine: ${COMPLETION-CANDIDATES}.")
  String engine;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Requests in flight at once, over all hosts. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Mixin Seeds seeds;

  @Mixin CrawlOptions options;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write one JSON line per finished URL here; '-' for stdout.")
  String out;

  @Option(names = "--report", paramLabel = "FILE", description = "Write the report as JSON here.")
  Path report;

  @Option(
      names = "--format",
      paramLabel = "text|json|markdown",
      converter = FormatConverter.class,
      defaultValue = "text",
      description = "Format of the report printed at the end. Default: ${DEFAULT-VALUE}.")
  ReportFormat format;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      converter = Units.DurationConverter.class,
      defaultValue = "0",
      description =
          "First crawl the same seeds for this long and discard the result (JIT warm-up)."
              + " Default: ${DEFAULT-VALUE}: none.")
  Duration warmup;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "Keep the crawl's state in DIR so it survives kill -9: a new crawl when DIR is empty or"
              + " absent, a resume when it holds one (same seeds, scope and limits; concurrency"
              + " and timeouts may change). --out is appended to, and the report counts every run.")
  Path state;

  @Option(
      names = "--warc",
      paramLabel = "DIR",
      description =
          "Write every request and response (robots.txt included) as WARC records into"
              + " duocrawl-<time>-<serial>.warc.gz files of DIR, 1 GiB each at most;"
              + " see docs/warc.md.")
  Path warc;

  @Option(
      names = "--warc-compression",
      paramLabel = "LEVEL",
      defaultValue = "fast",
      converter = WarcOutput.CompressionConverter.class,
      description =
          "The gzip level of --warc records: none (.warc files), fast (zlib level 1), default"
              + " (6) or best (9)."
              + " Default: ${DEFAULT-VALUE}, measured the cheapest per page for files a little"
              + " larger; see docs/warc.md.")
  WarcArchive.Compression warcCompression;

  @Mixin SitemapOptions sitemaps;

  @Mixin FrontierOptions frontier;

  /** The shared frontier's sessions with {@code --frontier}, else null. */
  private io.duocrawl.common.session.SessionOpener shared;

  @Option(names = "--markers", hidden = true, description = "Mark the measured crawl on stdout.")
  boolean markers;

  @Override
  public Integer call() {
    Main.Context ctx = main.context();
    CrawlConfig config = config(seeds.load(), options, concurrency);
    SitemapPolicy sitemapPolicy = sitemaps.policy();
    Crawler crawler =
        Engines.create(engine).orElseThrow(() -> new UsageException(Engines.unknown(engine)));
    PrintStream tableOut = "-".equals(out) ? ctx.err() : ctx.out();
    if (report != null) {
      checkWritable(report);
    }
    if (state != null && !warmup.isZero()) {
      throw new UsageException("--warmup cannot be combined with --state");
    }
    frontier.check(state != null, !warmup.isZero());
    Optional<WarcOutput> archive = Optional.empty();
    if (warc != null) {
      archive = WarcOutput.open(warc, config, warcCompression, ctx.err());
      if (archive.isEmpty()) {
        return ExitCode.FAILURE;
      }
    }
    int code;
    if (frontier.shared()) {
      Optional<WarcOutput> sharedArchive = archive;
      code =
          SharedCrawl.run(
              frontier,
              ctx,
              sessions -> {
                shared = sessions;
                return crawl(crawler, config, null, sitemapPolicy, sharedArchive, tableOut, ctx);
              });
    } else {
      CrawlState crawlState;
      try {
        crawlState = state == null ? null : CrawlState.open(state, config);
      } catch (CrawlStateException e) {
        archive.ifPresent(a -> a.close(ctx.err()));
        return stateError(e, ctx);
      }
      try {
        code = crawl(crawler, config, crawlState, sitemapPolicy, archive, tableOut, ctx);
      } finally {
        if (crawlState != null) {
          crawlState.close();
        }
      }
    }
    if (archive.isPresent() && !archive.get().close(ctx.err()) && code == ExitCode.OK) {
      code = ExitCode.FAILURE;
    }
    return code;
  }

  /** The crawl itself; {@code crawlState} is null without {@code --state}. */
  private int crawl(
      Crawler crawler,
      CrawlConfig config,
      CrawlState crawlState,
      SitemapPolicy sitemapPolicy,
      Optional<WarcOutput> archive,
      PrintStream tableOut,
      Main.Context ctx) {
    if (crawlState != null && crawlState.resumed()) {
      ctx.err()
          .printf(
              "duocrawl: resuming the crawl in %s: %,d URLs done, %,d queued%n",
              state, crawlState.doneBefore(), crawlState.queuedBefore());
    }
    // With a state, each record reaches the file before its URL is journaled as done; with a
    // shared frontier, before its URL is completed in the cluster.
    PagesWriter pages =
        out == null ? null : PagesWriter.open(out, ctx.out(), crawlState != null || shared != null);

    if (!warmup.isZero() && !warmUp(crawler, config, ctx)) {
      if (pages != null) {
        pages.close();
      }
      return ExitCode.INTERRUPTED;
    }
    if (markers) {
      ctx.out().println(START_MARKER);
      ctx.out().flush();
    }
    PageListener listener = pages == null ? PageListener.NONE : pages;
    SessionOpener sessions =
        crawlState != null
            ? crawlState.sessions()
            : shared != null ? shared : SessionOpener.inMemory();
    sessions = this.sitemaps.sessions(sessions, sitemapPolicy);
    if (archive.isPresent()) {
      sessions = archive.get().sessions(sessions);
    }
    RunningCrawl run = crawler.start(config, listener, sessions);
    ctx.interrupts().onInterrupt(run::cancel);
    if (pages != null && crawlState != null) {
      pages.onFailure(run::cancel); // a resumable crawl whose pages cannot be written stops here
    }
    CrawlReport result;
    Runnable stopProgress =
        ProgressLine.start(ctx.terminal(), new java.io.PrintWriter(ctx.err(), true), run::progress);
    try {
      result = run.await();
    } finally {
      stopProgress.run();
      ctx.interrupts().onInterrupt(() -> {});
    }
    // The writer thread catches up before the report is written, so it is not ahead of the files.
    archive.ifPresent(WarcOutput::flush);
    if (markers) {
      ctx.out().println(END_MARKER);
    }
    this.sitemaps.printOutcomes(ctx.err());
    int code = ExitCode.OK;
    if (pages != null) {
      try {
        pages.close();
      } catch (UncheckedIOException e) {
        ctx.err().println("duocrawl: error: " + e.getMessage());
        code = ExitCode.FAILURE;
      }
    }
    if (crawlState != null) {
      if (crawlState.failure().isPresent()) {
        ctx.err().println("duocrawl: error: " + crawlState.failure().get().getMessage());
        code = ExitCode.FAILURE;
      }
      result = crawlState.cumulative(result);
    }
    if (report != null) {
      try {
        Files.writeString(report, ReportFormat.JSON.render(result), StandardCharsets.UTF_8);
      } catch (IOException e) {
        ctx.err().println("duocrawl: error: cannot write report " + report + ": " + e.getMessage());
        code = ExitCode.FAILURE;
      }
    }
    tableOut.print(format.render(result));
    tableOut.flush();
    if (ctx.interrupts().interrupted()) {
      return ExitCode.INTERRUPTED;
    }
    return code;
  }

  /** One line for a state directory that cannot be used; a conflicting config is a usage error. */
  private static int stateError(CrawlStateException e, Main.Context ctx) {
    if (e.kind() == CrawlStateException.Kind.CONFLICT) {
      ctx.err()
          .println(
              "duocrawl: "
                  + CrawlOptions.userMessage(new IllegalArgumentException(e.getMessage())));
      return ExitCode.USAGE;
    }
    ctx.err().println("duocrawl: error: " + e.getMessage());
    return ExitCode.FAILURE;
  }

  /** Builds the config, turning the core's validation message into the option's name. */
  static CrawlConfig config(java.util.List<String> seeds, CrawlOptions options, int concurrency) {
    try {
      return options.toBuilder().seeds(seeds).concurrency(concurrency).build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(CrawlOptions.userMessage(e));
    }
  }

  /** Crawls for at most {@code warmup}, discarding the result; false if Ctrl-C came meanwhile. */
  private boolean warmUp(Crawler crawler, CrawlConfig config, Main.Context ctx) {
    RunningCrawl warm = crawler.start(config, PageListener.NONE);
    ctx.interrupts().onInterrupt(warm::cancel);
    try {
      warm.completion().get(warmup.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      warm.cancel();
    } catch (InterruptedException e) {
      warm.cancel();
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("warm-up crawl failed: " + e.getCause(), e.getCause());
    }
    warm.await();
    ctx.interrupts().onInterrupt(() -> {});
    return !ctx.interrupts().interrupted();
  }

  private static void checkWritable(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new UsageException("cannot write report " + file + ": no such directory " + dir);
    }
    if (Files.isDirectory(file)) {
      throw new UsageException("cannot write report " + file + ": is a directory");
    }
  }

  /** {@code text}, {@code json}, {@code markdown} (or {@code md}). */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<ReportFormat> {
    @Override
    public ReportFormat convert(String value) {
      return ReportFormat.parse(value)
          .orElseThrow(
              () ->
                  new picocli.CommandLine.TypeConversionException(
                      "'" + value + "' is not a format (use text, json or markdown)"));
    }
  }
}
