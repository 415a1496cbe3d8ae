package io.duocrawl.common.url;

import io.duocrawl.common.Rejection;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns URLs and raw {@code href}s into the canonical form the crawl deduplicates on. Stateless and
 * thread-safe: share one instance.
 *
 * <pre>{@code
 * UrlNormalizer urls = UrlNormalizer.create();
 * urls.normalize("HTTP://Example.COM:80/a/./b/../c?x=1#top");   // Valid[http://example.com/a/c?x=1]
 * urls.resolve("https://example.com/docs/", "../img/a b.png");   // Valid[https://example.com/img/a%20b.png]
 * urls.resolve("https://example.com/", "mailto:me@example.com"); // Invalid[UNSUPPORTED_SCHEME, ...]
 * urls.normalize("http://faß.de/");                             // Valid[http://xn--fa-hia.de/]
 * urls.normalize("http://0x7f.1/");                             // Valid[http://127.0.0.1/]
 * urls.base("https://example.com/docs/").resolve("guide.html");  // parse the base once per page
 * UrlNormalizer.hostKey("https://example.com/x");                // "example.com:443"
 * }</pre>
 *
 * <p>The canonical form is the WHATWG URL Standard's serialization of the parsed URL (as a browser
 * would request it: backslashes as slashes, tabs and newlines removed, hosts through UTS #46 IDNA,
 * IPv4 in any number form as dotted decimal, IPv6 compressed, default ports dropped, dot segments
 * removed), with these deliberate deviations, each for deduplication or for what a crawler can
 * fetch (docs/urls.md has the full list and the conformance test):
 *
 * <ul>
 *   <li>only {@code http} and {@code https}; other schemes ({@code javascript:}, {@code mailto:},
 *       {@code data:}, {@code tel:}, {@code ftp:}, {@code file:}…) are {@link
 *       Rejection#UNSUPPORTED_SCHEME};
 *   <li>the fragment is dropped: it never reaches the server;
 *   <li>userinfo is dropped: credentials do not belong in a crawl's URLs and would split one page
 *       into many keys;
 *   <li>the trailing dot of a host is removed ({@code example.com.} is the same name to DNS);
 *   <li>a host DNS cannot resolve is {@link Rejection#MALFORMED}: characters other than letters,
 *       digits, {@code -} and {@code _} (the standard allows {@code ! $ & ' ( ) * + , ; = ` { } ~
 *       "}), empty labels ({@code a..b}), labels over 63 or names over 253 characters;
 *   <li>port 0 is {@link Rejection#MALFORMED}: nothing can be fetched from it;
 *   <li>escapes of unreserved characters are decoded ({@code %7E} is {@code ~}), other escapes
 *       written in upper-case hex, characters RFC 3986 does not allow raw escaped even where the
 *       standard leaves them ({@code [ ] ^ |} in paths, {@code [ \ ] ^ ` { | }} in queries), and a
 *       {@code %} that starts no valid escape ({@code %zz}) written {@code %25}: RFC 3986 (6.2.2)
 *       calls these spellings equivalent, so one key per page, and the form is a valid {@link
 *       java.net.URI} for every HTTP client;
 *   <li>an empty query (a lone {@code ?}) is dropped; a query is otherwise kept as written,
 *       parameters in order (sorting them would merge different pages).
 * </ul>
 *
 * <p>Query text is percent-encoded in the page's encoding when resolved through {@link
 * #base(String, Charset)}, in UTF-8 otherwise; paths are always UTF-8.
 *
 * <p>Input over 8 KiB, an empty host, a host UTS #46 or the IPv4/IPv6 parsers refuse, a bad port
 * (not a number, 0, above 65535) or a relative URL given to {@link #normalize} are {@link
 * Rejection#MALFORMED}. No method throws for bad input: the answer is always a {@link UrlCheck}.
 * {@code normalize(normalize(u)) == normalize(u)} for every input.
 *
 * <p>Why not {@link java.net.URI}: it implements RFC 2396 strictly and throws on what real pages
 * are full of (spaces, {@code |}, {@code [ ]} in queries, non-ASCII paths, {@code %} signs), it
 * knows nothing of IDN, escapes or backslashes, and its exceptions cost a stack trace per bad link.
 * This is the hot path of a crawl (every link of every page passes here), so a single pass over the
 * characters that copies safe runs at once, and follows browsers (the WHATWG URL standard) where
 * they differ from the RFC: tabs and newlines inside an href are removed, {@code \} is read as
 * {@code /}, and {@code http:foo} against an {@code http} base is relative.
 */
public final class UrlNormalizer {
  private static final UrlNormalizer INSTANCE = new UrlNormalizer();

  private UrlNormalizer() {}

  /** The normalizer. It has no configuration and no state, so every call returns the same one. */
  public static UrlNormalizer create() {
    return INSTANCE;
  }

  /**
   * The canonical form of an absolute URL.
   *
   * @param absoluteUrl an absolute URL, surrounding whitespace allowed
   * @return {@link UrlCheck.Valid} with the canonical URL, or {@link UrlCheck.Invalid} ({@link
   *     Rejection#MALFORMED} or {@link Rejection#UNSUPPORTED_SCHEME}) holding {@code absoluteUrl}
   */
  public UrlCheck normalize(String absoluteUrl) {
    Objects.requireNonNull(absoluteUrl, "absoluteUrl");
    try {
      return new UrlCheck.Valid(Canonicalizer.canonicalize(Canonicalizer.clean(absoluteUrl)));
    } catch (UrlSyntaxException e) {
      return new UrlCheck.Invalid(e.reason(), absoluteUrl);
    }
  }

  /**
   * Resolves a raw {@code href} against a base URL (RFC 3986 section 5.2, with browsers' leniency)
   * and normalizes the result. An absolute href ignores the base; {@code //host/x} takes the base's
   * scheme; {@code ?q} replaces the base's query; {@code #frag} and the empty href are the base
   * itself.
   *
   * @param baseUrl the absolute URL the href appears under (a page's {@code baseUrl()})
   * @param href the attribute value as written in the page
   * @return the canonical URL, or why there is none; the {@code input} of an {@link
   *     UrlCheck.Invalid} is {@code href}, or {@code baseUrl} when the base was the problem
   */
  public UrlCheck resolve(String baseUrl, String href) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(href, "href");
    String h = Canonicalizer.clean(href);
    try {
      // An absolute href needs no base: the base is canonicalized only for relative ones.
      if (Canonicalizer.relativeStart(h, Canonicalizer.clean(baseUrl)) < 0) {
        return new UrlCheck.Valid(Canonicalizer.canonicalize(h));
      }
    } catch (UrlSyntaxException e) {
      return new UrlCheck.Invalid(e.reason(), href);
    }
    return base(baseUrl).resolve(href);
  }

  /**
   * The base URL of a page, parsed once, to resolve all its hrefs against: {@code
   * base(b).resolve(href)} equals {@code resolve(b, href)} for every {@code b} and {@code href},
   * and costs less per link.
   *
   * @param baseUrl the absolute URL the hrefs appear under (a page's {@code baseUrl()})
   */
  public BaseUrl base(String baseUrl) {
    return new BaseUrl(baseUrl, StandardCharsets.UTF_8);
  }

  /**
   * {@link #base(String)} for a document decoded with {@code documentCharset}: non-ASCII query text
   * of its hrefs is percent-encoded in that encoding, as browsers do ({@code ?q=é} on a
   * windows-1252 page is {@code ?q=%E9}); paths are UTF-8 whatever the page. UTF-16 and encodings
   * the JVM cannot encode to use UTF-8, like the URL Standard's "output encoding".
   *
   * <pre>{@code
   * urls.base("http://example.com/", Charset.forName("windows-1252")).resolve("?q=é");
   * // Valid[http://example.com/?q=%E9]
   * }</pre>
   *
   * @param baseUrl the absolute URL the hrefs appear under (a page's {@code baseUrl()})
   * @param documentCharset the charset the page was decoded with
   */
  public BaseUrl base(String baseUrl, Charset documentCharset) {
    return new BaseUrl(baseUrl, documentCharset);
  }

  /**
   * The politeness key of a normalized URL: {@code host:port}, the port always written, 80 or 443
   * when the URL has none. Two URLs with the same key are fetched from the same server and share
   * its politeness delay and connection limit.
   *
   * <pre>{@code
   * UrlNormalizer.hostKey("https://example.com/a");     // "example.com:443"
   * UrlNormalizer.hostKey("http://example.com:8080/a"); // "example.com:8080"
   * }</pre>
   *
   * @param normalizedUrl a URL returned by {@link #normalize} or {@link #resolve}
   * @throws IllegalArgumentException if it is not an {@code http(s)://} URL with a host
   */
  public static String hostKey(String normalizedUrl) {
    Objects.requireNonNull(normalizedUrl, "normalizedUrl");
    int sep = normalizedUrl.indexOf("://");
    int defaultPort = sep < 0 ? -1 : Canonicalizer.defaultPort(normalizedUrl, sep);
    if (defaultPort < 0) {
      throw new IllegalArgumentException("not a normalized http(s) URL: " + normalizedUrl);
    }
    int start = sep + 3;
    int end = authorityEnd(normalizedUrl, start);
    if (end == start) {
      throw new IllegalArgumentException("no host in URL: " + normalizedUrl);
    }
    int colon = normalizedUrl.lastIndexOf(':', end - 1);
    int bracket = normalizedUrl.lastIndexOf(']', end - 1);
    String authority = normalizedUrl.substring(start, end);
    return colon >= start && colon > bracket ? authority : authority + ':' + defaultPort;
  }

  /** The host of a normalized URL, without port: {@code example.com}, {@code [::1]}. */
  static String host(String normalizedUrl) {
    String key = hostKey(normalizedUrl);
    return key.substring(0, key.lastIndexOf(':'));
  }

  private static int authorityEnd(String url, int from) {
    int i = from;
    while (i < url.length()) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        break;
      }
      i++;
    }
    return i;
  }
}
