package io.duocrawl.common.parse;

import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Objects;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Parses an HTML response body with Jsoup into a {@link ParsedPage}: title, links, {@code <base
 * href>}, robots meta, canonical link. Thread-safe and stateless: share one instance.
 *
 * <pre>{@code
 * PageParser parser = PageParser.create();
 * if (PageParser.isHtml(contentType)) {
 *   ParsedPage page = parser.parse(body, bodyLength, url, contentType);
 *   for (String href : page.links()) {
 *     UrlCheck check = urls.resolve(page.baseUrl(), href);
 *   }
 * }
 * }</pre>
 *
 * <p><b>Charset.</b> A byte-order mark wins (it is in the bytes, so it cannot be wrong; browsers
 * agree); then the {@code charset} of the {@code Content-Type} header; then {@code <meta charset>}
 * or {@code <meta http-equiv=Content-Type>} in the document; then UTF-8. A header charset the JVM
 * does not know falls through to the document's own declaration. Detection is Jsoup's.
 *
 * <p><b>Links.</b> From {@code a[href]}, {@code area[href]}, {@code frame[src]}, {@code
 * iframe[src]} and the target of {@code <meta http-equiv=refresh>}, raw (trimmed) and in document
 * order; a target repeated on the page is listed once (menus repeat links, and every copy would
 * cost a resolve and a frontier lookup only to be a duplicate). Links with {@code rel=nofollow} are
 * left out and counted; when {@code <meta name=robots>} says {@code nofollow} (or {@code none}),
 * every link is. Anchors inside scripts, comments and {@code <textarea>} are text, not links.
 *
 * <p><b>Base.</b> The first {@code <base href>}, resolved against the page URL; an unusable one
 * (malformed, or not http(s)) is ignored and the page URL is the base.
 *
 * <p>Garbage bytes, truncated markup and very large bodies parse into some document; this method
 * does not throw for any body.
 */
public final class PageParser {
  private static final PageParser INSTANCE = new PageParser();
  private static final Set<String> HTML_TYPES = Set.of("text/html", "application/xhtml+xml");

  private final UrlNormalizer urls = UrlNormalizer.create();

  private PageParser() {}

  /** The parser. It has no configuration and no state, so every call returns the same one. */
  public static PageParser create() {
    return INSTANCE;
  }

  /**
   * Parses {@code body[0, length)}.
   *
   * @param body the response body bytes (after content decoding); only the first {@code length} are
   *     read
   * @param length how many bytes of {@code body} hold the response
   * @param url the URL the page was fetched from (after redirects); the base of relative links
   * @param contentTypeHeader the {@code Content-Type} response header, {@code ""} when absent
   * @return the page; never null
   * @throws IndexOutOfBoundsException if {@code length} is negative or beyond {@code body}
   */
  public ParsedPage parse(byte[] body, int length, String url, String contentTypeHeader) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(contentTypeHeader, "contentTypeHeader");
    Objects.checkFromIndexSize(0, length, body.length);
    String headerCharset = ContentTypes.charset(contentTypeHeader).map(Charset::name).orElse(null);
    Document document;
    try {
      document = Jsoup.parse(new ByteArrayInputStream(body, 0, length), headerCharset, url);
    } catch (IOException e) {
      // Reading a byte array does not fail; this is here only because the signature says so.
      throw new UncheckedIOException(e);
    }
    PageScan scan = PageScan.of(document);
    String baseUrl = url;
    if (scan.baseHref().isPresent()
        && urls.base(url, document.charset()).resolve(scan.baseHref().get())
            instanceof UrlCheck.Valid valid) {
      baseUrl = valid.url();
    }
    return new ParsedPage(
        url,
        baseUrl,
        document.title(),
        scan.links(),
        scan.nofollowLinks(),
        scan.canonical(),
        scan.noindex(),
        scan.nofollow(),
        document.charset().name(),
        document);
  }

  /**
   * Whether a response with this {@code Content-Type} is parsed as HTML: {@code text/html} and
   * {@code application/xhtml+xml}, in any case and with any parameters. An absent header ({@code
   * ""}) counts as HTML, since servers that omit it mostly serve pages.
   *
   * <pre>{@code
   * PageParser.isHtml("text/html; charset=utf-8"); // true
   * PageParser.isHtml("");                         // true
   * PageParser.isHtml("application/pdf");          // false
   * }</pre>
   */
  public static boolean isHtml(String contentTypeHeader) {
    Objects.requireNonNull(contentTypeHeader, "contentTypeHeader");
    String type = ContentTypes.mediaType(contentTypeHeader);
    return type.isEmpty() || HTML_TYPES.contains(type);
  }
}
