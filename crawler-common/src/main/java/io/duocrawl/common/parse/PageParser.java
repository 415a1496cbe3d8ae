package io.duocrawl.common.parse;

import io.duocrawl.common.url.UrlCheck;
import io.duocrawl.common.url.UrlNormalizer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * <p><b>Charset</b>, after the WHATWG Encoding Standard and HTML's "determining the character
 * encoding": a byte-order mark wins (it is in the bytes, so it cannot be wrong; browsers agree);
 * then the {@code charset} of the {@code Content-Type} header; then {@code <meta charset>} or
 * {@code <meta http-equiv=Content-Type>} found by the standard's prescan of the first 1,024 bytes;
 * then UTF-8. Labels map as browsers map them: {@code iso-8859-1}, {@code latin1}, {@code us-ascii}
 * and {@code ascii} are windows-1252 (so byte 0x80 is '€'). A label the standard does not know, or
 * the JVM cannot decode, falls through to the next source.
 *
 * <p><b>Cost.</b> One pass over the decoded text finds everything above without building a tree
 * (about a tenth of the CPU of a Jsoup parse; see docs/benchmarks-parse-url.md). The Jsoup {@link
 * org.jsoup.nodes.Document} is built only when {@link ParsedPage#document()} is first called, at
 * the cost of a full parse then. Markup the pass cannot read exactly like a browser's tree (inline
 * {@code <svg>} or {@code <math>}, {@code <frameset>}, {@code <select>}) is parsed into the tree
 * right away and read from there.
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
    Charset charset = charset(body, length, contentTypeHeader);
    String html = Encodings.decode(body, length, charset);
    Optional<PageScan> streamed = StreamScan.scan(html);
    Document tree = null;
    PageScan scan;
    if (streamed.isPresent()) {
      scan = streamed.get();
    } else {
      tree = ParsedPage.LazyDocument.parse(html, url, charset);
      scan = PageScan.of(tree);
    }
    String baseUrl = url;
    if (scan.baseHref().isPresent()
        && urls.base(url, charset).resolve(scan.baseHref().get()) instanceof UrlCheck.Valid valid) {
      baseUrl = valid.url();
    }
    return new ParsedPage(
        url,
        baseUrl,
        scan.title(),
        scan.links(),
        scan.nofollowLinks(),
        scan.canonical(),
        scan.noindex(),
        scan.nofollow(),
        charset.name(),
        tree == null
            ? new ParsedPage.LazyDocument(html, url, charset)
            : ParsedPage.LazyDocument.of(tree));
  }

  /**
   * The encoding of a body, in the WHATWG order: a byte-order mark, then the {@code Content-Type}
   * charset (a known label), then a {@code <meta>} in the first 1,024 bytes, then UTF-8.
   */
  static Charset charset(byte[] body, int length, String contentTypeHeader) {
    Optional<Charset> bom = Encodings.fromBom(body, length);
    if (bom.isPresent()) {
      return bom.get();
    }
    Optional<Charset> header = ContentTypes.charset(contentTypeHeader);
    if (header.isPresent()) {
      return header.get();
    }
    return MetaPrescan.scan(body, length).orElse(StandardCharsets.UTF_8);
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
