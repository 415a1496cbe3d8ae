package io.duocrawl.examples.scraper;

import com.fasterxml.jackson.jr.ob.JSON;
import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.Offers;
import io.duocrawl.common.PageHandler;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.parse.ParsedPage;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.url.UrlFilter;
import io.duocrawl.common.url.UrlRewriter;
import io.duocrawl.threads.ThreadsCrawler;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A scraper of the fixture site built on the embedding API: one engine ({@code virtual}), a URL
 * rewriter and filter (tracking parameters stripped, only {@code /page/N} kept), and a handler that
 * both extracts a {@link PageRecord} per page and feeds the crawl — it reads the pager text ("Page
 * 3 of 40") and offers the next page, a URL that is in no link. Records are written as JSON Lines,
 * one object per page.
 *
 * <pre>{@code
 * CrawlReport report = FixtureScraper.scrape("http://127.0.0.1:8080/", Path.of("pages.jsonl"));
 * }</pre>
 *
 * <p>Run it: {@code java -cp … io.duocrawl.examples.scraper.FixtureScraper SEED OUT.jsonl}.
 */
public final class FixtureScraper {
  private static final Pattern PAGER = Pattern.compile("Page (\\d+) of (\\d+)");
  private static final Pattern PAGE_PATH = Pattern.compile("/page/(\\d+)$");

  private FixtureScraper() {}

  /**
   * One scraped page: what the JSON Lines file holds, one per line.
   *
   * @param url the page URL
   * @param page the page number from its path
   * @param title the {@code <h1>} text
   * @param description the {@code <meta name=description>} content
   * @param links links found in the page
   * @param etag the {@code ETag} the server sent, empty when none
   */
  public record PageRecord(
      String url, int page, String title, String description, int links, String etag) {}

  /** Crawls from {@code args[0]} and writes the records to {@code args[1]}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: FixtureScraper SEED_URL OUT.jsonl");
      System.exit(2);
    }
    CrawlReport report = scrape(args[0], Path.of(args[1]));
    System.out.printf("fetched %d pages, %d pending%n", report.fetched(), report.pending());
  }

  /**
   * Scrapes the fixture site at {@code seed} into {@code out} (JSON Lines, replaced) and returns
   * the crawl's report.
   */
  public static CrawlReport scrape(String seed, Path out) throws IOException {
    return scrape(ThreadsCrawler.virtual(), seed, out);
  }

  /** {@link #scrape(String, Path)} with another engine. */
  public static CrawlReport scrape(Crawler engine, String seed, Path out) throws IOException {
    Objects.requireNonNull(engine, "engine");
    CrawlConfig config =
        CrawlConfig.builder()
            .seed(seed)
            .concurrency(8)
            .maxPages(5_000)
            .urlRewriter(UrlRewriter.stripParams(List.of("utm_*", "sessionid")))
            .urlFilter(onlyPages(seed))
            .build();
    JSON json = JSON.std.with(JSON.Feature.WRITE_RECORD_FIELDS_IN_DECLARATION_ORDER);
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      PageHandler handler =
          (page, offers) -> {
            offerNextPage(page, offers);
            extract(page)
                .ifPresent(
                    record -> {
                      try {
                        String line = json.asString(record);
                        synchronized (writer) {
                          writer.write(line);
                          writer.newLine();
                        }
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    });
          };
      return engine.crawl(config, PageListener.of(handler));
    }
  }

  /** The seed itself and {@code /page/N} pages of its site. */
  static UrlFilter onlyPages(String seed) {
    UrlFilter isSeed = seed::equals;
    return isSeed.or(url -> PAGE_PATH.matcher(url).find());
  }

  /** Reads "Page N of M" and offers {@code /page/N+1}: a URL found in text, not in a link. */
  static void offerNextPage(PageResult page, Offers offers) {
    page.parsed()
        .map(ParsedPage::document)
        .map(document -> document.selectFirst("p.pager"))
        .ifPresent(
            pager -> {
              Matcher m = PAGER.matcher(pager.text());
              if (m.find()) {
                int next = Integer.parseInt(m.group(1)) + 1;
                if (next < Integer.parseInt(m.group(2))) {
                  offers.offer("/page/" + next);
                }
              }
            });
  }

  /** The record of a {@code /page/N} page that was fetched and parsed. */
  static Optional<PageRecord> extract(PageResult page) {
    Matcher path = PAGE_PATH.matcher(page.url());
    if (!path.find() || page.parsed().isEmpty()) {
      return Optional.empty();
    }
    ParsedPage parsed = page.parsed().get();
    Document document = parsed.document();
    Element h1 = document.selectFirst("h1");
    Element description = document.selectFirst("meta[name=description]");
    return Optional.of(
        new PageRecord(
            page.url(),
            Integer.parseInt(path.group(1)),
            h1 == null ? parsed.title() : h1.text(),
            description == null ? "" : description.attr("content"),
            page.linksFound(),
            page.etag().orElse("")));
  }
}
