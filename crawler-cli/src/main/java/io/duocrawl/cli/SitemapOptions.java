package io.duocrawl.cli;

import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.SessionOpener;
import io.duocrawl.common.sitemap.SitemapOutcome;
import io.duocrawl.common.sitemap.SitemapPolicy;
import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Option;

/**
 * {@code crawl}'s sitemap options: which sitemaps to read and their caps. The session reads them
 * (see {@link CrawlSession#useSitemaps}); their outcomes are printed on stderr after the crawl, and
 * each sitemap is in the report ({@code CrawlReport.sitemaps()}).
 */
final class SitemapOptions {
  @Option(
      names = "--sitemap",
      paramLabel = "URL",
      description =
          "Read this sitemap (XML, text, RSS/Atom, gzip, or an index) and crawl its URLs at depth 0,"
              + " through the same scope, robots and dedup checks as links. Repeatable.")
  List<String> urls = new ArrayList<>();

  @Option(
      names = "--sitemaps-from-robots",
      description = "Also read the sitemaps named by the Sitemap: lines of each host's robots.txt.")
  boolean fromRobots;

  @Option(
      names = "--sitemap-max-bytes",
      paramLabel = "SIZE",
      converter = Units.SizeConverter.class,
      description =
          "The largest sitemap read, counted after inflating (a gzip bomb stops here)."
              + " Default: 50MB.")
  long maxBytes = SitemapPolicy.DEFAULT_MAX_BYTES;

  @Option(
      names = "--sitemap-max-urls",
      paramLabel = "N",
      description = "The most URLs taken from one sitemap. Default: 50000.")
  int maxUrls = SitemapPolicy.DEFAULT_MAX_URLS;

  private final AtomicReference<CrawlSession> session = new AtomicReference<>();

  /** The policy asked for; a usage error names a bad URL or cap. */
  SitemapPolicy policy() {
    UrlNormalizer normalizer = UrlNormalizer.create();
    for (String url : urls) {
      if (normalizer.normalize(url.strip()) instanceof UrlCheck.Invalid invalid) {
        throw new UsageException(
            "--sitemap: '" + url + "' is not a URL (" + invalid.reason() + ")");
      }
    }
    try {
      return SitemapPolicy.of(urls)
          .withFromRobots(fromRobots)
          .withCaps(maxBytes, maxUrls, SitemapPolicy.DEFAULT_MAX_DEPTH);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          e.getMessage()
              .replace("sitemap maxBytes", "--sitemap-max-bytes")
              .replace("sitemap maxUrls", "--sitemap-max-urls"));
    }
  }

  /** Sessions of {@code sessions} that read the sitemaps; unchanged when none is asked for. */
  SessionOpener sessions(SessionOpener sessions, SitemapPolicy policy) {
    if (!policy.active()) {
      return sessions;
    }
    return (engine, config, listener) -> {
      CrawlSession opened = sessions.open(engine, config, listener);
      opened.useSitemaps(policy);
      session.set(opened);
      return opened;
    };
  }

  /** One line of sitemap outcomes on {@code err}, when sitemaps were read. */
  void printOutcomes(PrintStream err) {
    CrawlSession opened = session.get();
    if (opened == null) {
      return;
    }
    Map<SitemapOutcome, Long> outcomes = opened.sitemapOutcomes();
    StringBuilder line = new StringBuilder("duocrawl: sitemaps:");
    if (outcomes.isEmpty()) {
      line.append(" none read");
    }
    outcomes.forEach(
        (outcome, n) ->
            line.append(' ').append(outcome.name().toLowerCase(Locale.ROOT)).append('=').append(n));
    err.println(line);
  }
}
