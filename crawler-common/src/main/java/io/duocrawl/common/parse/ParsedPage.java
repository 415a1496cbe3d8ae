package io.duocrawl.common.parse;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jsoup.nodes.Document;

/**
 * What {@link PageParser} found in one HTML page. Links are raw {@code href} values as written in
 * the page (trimmed), in document order; resolving and normalizing them is the URL normalizer's
 * job, against {@link #baseUrl()}.
 *
 * @param url the URL the page was fetched from
 * @param baseUrl the URL relative links resolve against: a usable {@code <base href>}, else {@code
 *     url}
 * @param title the {@code <title>} text, trimmed; empty when there is none
 * @param links followable link targets from {@code a[href]}, {@code area[href]}, {@code
 *     frame[src]}, {@code iframe[src]} and {@code <meta http-equiv=refresh>}; links with {@code
 *     rel=nofollow} are left out (counted in {@code nofollowLinks}); empty when the page says
 *     {@code <meta name=robots content=nofollow>}
 * @param nofollowLinks how many links were left out for {@code nofollow}
 * @param canonical the {@code <link rel=canonical href>} value, if any, raw
 * @param noindex the page says {@code <meta name=robots content=noindex>}
 * @param nofollow the page says {@code <meta name=robots content=nofollow>}
 * @param charset the name of the charset the body was decoded with
 * @param document the parsed Jsoup document, for scrapers that extract data from it; do not keep it
 *     past the listener call if memory matters
 */
public record ParsedPage(
    String url,
    String baseUrl,
    String title,
    List<String> links,
    int nofollowLinks,
    Optional<String> canonical,
    boolean noindex,
    boolean nofollow,
    String charset,
    Document document) {

  /** Copies the link list and checks for nulls. */
  public ParsedPage {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(title, "title");
    links = List.copyOf(links);
    Objects.requireNonNull(canonical, "canonical");
    Objects.requireNonNull(charset, "charset");
    Objects.requireNonNull(document, "document");
  }
}
