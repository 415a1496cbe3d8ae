package io.duocrawl.common;

import io.duocrawl.common.parse.ParsedPage;
import io.duocrawl.common.session.HeaderLookup;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One accepted URL that reached its terminal {@link Outcome}, as handed to a {@link PageListener}.
 *
 * @param url the normalized URL
 * @param finalUrl the redirect target for {@link Outcome#REDIRECTED}, else {@code url}
 * @param status the HTTP status of the last attempt; 0 when no response arrived
 * @param depth link depth; seeds are 0
 * @param contentType the {@code Content-Type} header; empty when none
 * @param bytes body bytes read (after decompression)
 * @param fetchTime time from dispatch to the last body byte of the last attempt; zero when nothing
 *     was fetched
 * @param linksFound links in the page (before dedup and scope); 0 when not parsed
 * @param outcome the terminal outcome
 * @param reason why, consistent with {@code outcome}
 * @param detail a human-readable detail (an exception message, a {@code Location}); empty when none
 * @param attempts how many fetches were made, retries included; 0 for URLs skipped before a fetch
 * @param parsed the parsed page, for {@link Outcome#FETCHED} pages
 * @param headers every response header of the last attempt, in the order received ({@link
 *     HeaderLookup#all()}), on every engine; {@link HeaderLookup#NONE} when no response arrived
 * @param lastmod the {@code <lastmod>} of the sitemap entry that offered this URL, when a sitemap
 *     offered it with one (of the sitemaps this process read: in a shared crawl, a URL another
 *     worker's sitemap offered has none here); empty otherwise
 */
public record PageResult(
    String url,
    String finalUrl,
    int status,
    int depth,
    String contentType,
    long bytes,
    Duration fetchTime,
    int linksFound,
    Outcome outcome,
    Reason reason,
    String detail,
    int attempts,
    Optional<ParsedPage> parsed,
    HeaderLookup headers,
    Optional<Instant> lastmod) {

  /** Checks consistency of {@code outcome} and {@code reason}. */
  public PageResult {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(finalUrl, "finalUrl");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(fetchTime, "fetchTime");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(parsed, "parsed");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(lastmod, "lastmod");
    if (reason.outcome() != outcome) {
      throw new IllegalArgumentException(
          "reason " + reason + " belongs to " + reason.outcome() + ", not " + outcome);
    }
  }

  /** A result of a URL no sitemap gave a {@code <lastmod>}: {@link #lastmod()} empty. */
  public PageResult(
      String url,
      String finalUrl,
      int status,
      int depth,
      String contentType,
      long bytes,
      Duration fetchTime,
      int linksFound,
      Outcome outcome,
      Reason reason,
      String detail,
      int attempts,
      Optional<ParsedPage> parsed,
      HeaderLookup headers) {
    this(
        url,
        finalUrl,
        status,
        depth,
        contentType,
        bytes,
        fetchTime,
        linksFound,
        outcome,
        reason,
        detail,
        attempts,
        parsed,
        headers,
        Optional.empty());
  }

  /** This result with {@code lastmod} as its {@link #lastmod()}. */
  public PageResult withLastmod(Optional<Instant> lastmod) {
    return new PageResult(
        url,
        finalUrl,
        status,
        depth,
        contentType,
        bytes,
        fetchTime,
        linksFound,
        outcome,
        reason,
        detail,
        attempts,
        parsed,
        headers,
        lastmod);
  }

  /** The first value of response header {@code name} (case-insensitive), if it was sent. */
  public Optional<String> header(String name) {
    return headers.header(name);
  }

  /** The {@code ETag} response header, if sent: for a later conditional request. */
  public Optional<String> etag() {
    return headers.header("ETag");
  }

  /** The {@code Last-Modified} response header, if sent, as the server wrote it. */
  public Optional<String> lastModified() {
    return headers.header("Last-Modified");
  }

  /** The page title; empty when the page was not parsed or has none. */
  public String title() {
    return parsed.map(ParsedPage::title).orElse("");
  }
}
