package io.duocrawl.common.parse;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * What {@link PageParser} found in one HTML page. Links are raw {@code href} values as written in
 * the page (trimmed), in document order; resolving and normalizing them is the URL normalizer's
 * job, against {@link #baseUrl()}.
 *
 * <p>The Jsoup {@link #document()} is built on its first call (a full parse of the page, several
 * times the cost of everything else here) and kept; a crawl whose listeners never ask for it never
 * pays for it. The page keeps its decoded text until then. Thread-safe; equality and hash code
 * cover every value but the document.
 *
 * <pre>{@code
 * ParsedPage page = parser.parse(body, length, url, contentType);
 * page.links();                        // no tree built
 * page.document().select("h1").text(); // the tree, built now
 * }</pre>
 */
public final class ParsedPage {
  private final String url;
  private final String baseUrl;
  private final String title;
  private final List<String> links;
  private final int nofollowLinks;
  private final Optional<String> canonical;
  private final boolean noindex;
  private final boolean nofollow;
  private final String charset;
  private final LazyDocument document;

  /**
   * Copies the link list and checks for nulls.
   *
   * @param url the URL the page was fetched from
   * @param baseUrl the URL relative links resolve against: a usable {@code <base href>}, else
   *     {@code url}
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
   * @param document the parsed Jsoup document, for scrapers that extract data from it
   */
  public ParsedPage(
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
    this(
        url,
        baseUrl,
        title,
        links,
        nofollowLinks,
        canonical,
        noindex,
        nofollow,
        charset,
        LazyDocument.of(Objects.requireNonNull(document, "document")));
  }

  ParsedPage(
      String url,
      String baseUrl,
      String title,
      List<String> links,
      int nofollowLinks,
      Optional<String> canonical,
      boolean noindex,
      boolean nofollow,
      String charset,
      LazyDocument document) {
    this.url = Objects.requireNonNull(url, "url");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.title = Objects.requireNonNull(title, "title");
    this.links = List.copyOf(links);
    this.nofollowLinks = nofollowLinks;
    this.canonical = Objects.requireNonNull(canonical, "canonical");
    this.noindex = noindex;
    this.nofollow = nofollow;
    this.charset = Objects.requireNonNull(charset, "charset");
    this.document = Objects.requireNonNull(document, "document");
  }

  /**
   * This page as if its robots meta also said what an {@code X-Robots-Tag} response header says:
   * {@code noindex} sets {@link #noindex()}; {@code nofollow} empties {@link #links()}, counting
   * every link as {@code nofollow}, as {@code <meta name=robots content=nofollow>} does. Returns
   * this page when neither adds anything.
   */
  public ParsedPage withRobotsDirectives(boolean noindex, boolean nofollow) {
    boolean newNoindex = this.noindex || noindex;
    boolean newNofollow = this.nofollow || nofollow;
    if (newNoindex == this.noindex && newNofollow == this.nofollow) {
      return this;
    }
    return new ParsedPage(
        url,
        baseUrl,
        title,
        newNofollow ? List.of() : links,
        newNofollow && !this.nofollow ? nofollowLinks + links.size() : nofollowLinks,
        canonical,
        newNoindex,
        newNofollow,
        charset,
        document);
  }

  /** The URL the page was fetched from (after redirects). */
  public String url() {
    return url;
  }

  /** The URL relative links resolve against: a usable {@code <base href>}, else {@link #url()}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The {@code <title>} text (of the head's first title), whitespace collapsed; may be empty. */
  public String title() {
    return title;
  }

  /**
   * Followable link targets, raw and trimmed, first occurrence of each in document order: from
   * {@code a[href]}, {@code area[href]}, {@code frame[src]}, {@code iframe[src]} and {@code <meta
   * http-equiv=refresh>}; without those marked {@code rel=nofollow}; empty when the page says
   * {@code <meta name=robots content=nofollow>}. Unmodifiable.
   */
  public List<String> links() {
    return links;
  }

  /** How many link elements were left out for {@code nofollow}. */
  public int nofollowLinks() {
    return nofollowLinks;
  }

  /** The {@code <link rel=canonical href>} value, raw, if the page has one. */
  public Optional<String> canonical() {
    return canonical;
  }

  /** Whether the page says {@code <meta name=robots content=noindex>} (or {@code none}). */
  public boolean noindex() {
    return noindex;
  }

  /** Whether the page says {@code <meta name=robots content=nofollow>} (or {@code none}). */
  public boolean nofollow() {
    return nofollow;
  }

  /** The name of the charset the body was decoded with, such as {@code "windows-1252"}. */
  public String charset() {
    return charset;
  }

  /**
   * The page as a Jsoup document, for scrapers that extract data from it: parsed on the first call
   * (the whole page through Jsoup's tree builder, base URI {@link #url()}, output charset {@link
   * #charset()}), the same object on every later call. Do not keep it past the listener call if
   * memory matters.
   */
  public Document document() {
    return document.get();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParsedPage p
        && url.equals(p.url)
        && baseUrl.equals(p.baseUrl)
        && title.equals(p.title)
        && links.equals(p.links)
        && nofollowLinks == p.nofollowLinks
        && canonical.equals(p.canonical)
        && noindex == p.noindex
        && nofollow == p.nofollow
        && charset.equals(p.charset);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        url, baseUrl, title, links, nofollowLinks, canonical, noindex, nofollow, charset);
  }

  @Override
  public String toString() {
    return "ParsedPage[url=%s, baseUrl=%s, title=%s, links=%d, nofollowLinks=%d, canonical=%s,"
            .formatted(url, baseUrl, title, links.size(), nofollowLinks, canonical)
        + " noindex=%s, nofollow=%s, charset=%s]".formatted(noindex, nofollow, charset);
  }

  /** The document, parsed from the decoded text on first use; thread-safe. */
  static final class LazyDocument {
    private String html;
    private final String url;
    private final Charset charset;
    private volatile Document document;

    LazyDocument(String html, String url, Charset charset) {
      this.html = html;
      this.url = url;
      this.charset = charset;
    }

    static LazyDocument of(Document document) {
      LazyDocument lazy = new LazyDocument("", document.location(), document.charset());
      lazy.document = document;
      return lazy;
    }

    /** Jsoup's tree of decoded text, with {@code charset} as its output charset. */
    static Document parse(String html, String url, Charset charset) {
      Document d = Jsoup.parse(html, url);
      // The replacement encoding cannot encode; such a page is written out as UTF-8.
      d.outputSettings()
          .charset(charset == Encodings.REPLACEMENT ? StandardCharsets.UTF_8 : charset);
      return d;
    }

    Document get() {
      Document d = document;
      if (d == null) {
        synchronized (this) {
          d = document;
          if (d == null) {
            d = parse(html, url, charset);
            html = "";
            document = d;
          }
        }
      }
      return d;
    }
  }
}
