package io.duocrawl.common.url;

import io.duocrawl.common.Rejection;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The hand-written parser behind {@link UrlNormalizer}: one left-to-right pass over an absolute
 * {@code http(s)} URL that writes the canonical form as it goes. See {@link UrlNormalizer} for why
 * it is not {@link java.net.URI}.
 */
final class Canonicalizer {
  /** The longest URL accepted, before and after normalization. */
  static final int MAX_LENGTH = 8 * 1024;

  private Canonicalizer() {}

  /**
   * Strips leading and trailing C0 controls and spaces, and removes every tab, line feed and
   * carriage return inside, as the WHATWG URL parser does before anything else: {@code href} values
   * wrapped over two lines are common and browsers follow them.
   */
  static String clean(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && s.charAt(end - 1) <= ' ') {
      end--;
    }
    for (int i = start; i < end; i++) {
      if (isTabOrNewline(s.charAt(i))) {
        StringBuilder sb = new StringBuilder(end - start);
        for (int j = start; j < end; j++) {
          char c = s.charAt(j);
          if (!isTabOrNewline(c)) {
            sb.append(c);
          }
        }
        return sb.toString();
      }
    }
    return start == 0 && end == s.length() ? s : s.substring(start, end);
  }

  /** The index of the {@code :} that ends a leading RFC 3986 scheme, or -1 when there is none. */
  static int schemeEnd(String s) {
    if (s.isEmpty() || !isAlpha(s.charAt(0))) {
      return -1;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return i;
      }
      if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
        return -1;
      }
    }
    return -1;
  }

  /** 80 for {@code http}, 443 for {@code https} (any case), -1 for every other scheme. */
  static int defaultPort(String s, int schemeEnd) {
    if (schemeEnd == 4 && s.regionMatches(true, 0, "http", 0, 4)) {
      return 80;
    }
    if (schemeEnd == 5 && s.regionMatches(true, 0, "https", 0, 5)) {
      return 443;
    }
    return -1;
  }

  static boolean isSlash(char c) {
    return c == '/' || c == '\\';
  }

  /** Whether {@code s} has two slashes (or backslashes, as browsers read them) at {@code i}. */
  static boolean startsWithTwoSlashes(String s, int i) {
    return s.length() > i + 1 && isSlash(s.charAt(i)) && isSlash(s.charAt(i + 1));
  }

  /**
   * The canonical form of an absolute URL already passed through {@link #clean}.
   *
   * @throws UrlSyntaxException with {@link Rejection#UNSUPPORTED_SCHEME} for a scheme other than
   *     http(s), {@link Rejection#MALFORMED} for everything that cannot be parsed
   */
  static String canonicalize(String s) throws UrlSyntaxException {
    return canonicalize(s, StandardCharsets.UTF_8);
  }

  /**
   * {@link #canonicalize(String)} for a URL written in a document whose query encoding is {@code
   * queryCharset} (see {@link PercentEncoding#queryCharset}).
   */
  static String canonicalize(String s, Charset queryCharset) throws UrlSyntaxException {
    int n = s.length();
    if (n > MAX_LENGTH) {
      throw UrlSyntaxException.malformed("longer than " + MAX_LENGTH);
    }
    int colon = schemeEnd(s);
    if (colon < 0) {
      throw UrlSyntaxException.malformed("no scheme");
    }
    int defaultPort = defaultPort(s, colon);
    if (defaultPort < 0) {
      throw new UrlSyntaxException(Rejection.UNSUPPORTED_SCHEME, "not http or https");
    }
    // WHATWG: after an http(s) scheme any run of slashes and backslashes leads to the authority,
    // so "http:\\example.com" and "http:example.com" are what browsers make of them.
    int pos = colon + 1;
    while (pos < n && isSlash(s.charAt(pos))) {
      pos++;
    }
    // One scan finds the end of the authority, its last '@' and its last ':'.
    int authEnd = pos;
    int at = -1;
    int lastColon = -1;
    while (authEnd < n) {
      char c = s.charAt(authEnd);
      if (c == '/' || c == '\\' || c == '?' || c == '#') {
        break;
      }
      if (c == '@') {
        at = authEnd;
      } else if (c == ':') {
        lastColon = authEnd;
      }
      authEnd++;
    }
    StringBuilder out = new StringBuilder(n + 8);
    out.append(defaultPort == 443 ? "https://" : "http://");
    // Userinfo ends at the last '@': "http://a@b@host/" is host "host" to browsers. It is dropped:
    // credentials do not belong in a crawl's URLs, and they would split one page into many keys.
    int hostStart = at < 0 ? pos : at + 1;
    appendHostAndPort(out, s, hostStart, authEnd, lastColon, defaultPort);
    return finish(out, out.length(), s, authEnd, queryCharset);
  }

  /**
   * Where the relative reference in a cleaned href starts: 0 for a plain relative reference, the
   * index after {@code http:} for {@code http:page} under a base of the same scheme (WHATWG reads
   * it as relative), or -1 when the href is absolute and needs no base.
   *
   * @param cleanBase the base URL as passed through {@link #clean}, for its scheme
   * @throws UrlSyntaxException if the href is too long or names a scheme other than http(s)
   */
  static int relativeStart(String h, String cleanBase) throws UrlSyntaxException {
    if (h.length() > MAX_LENGTH) {
      throw UrlSyntaxException.malformed("longer than " + MAX_LENGTH);
    }
    int colon = schemeEnd(h);
    if (colon < 0) {
      return 0;
    }
    if (defaultPort(h, colon) < 0) {
      throw new UrlSyntaxException(Rejection.UNSUPPORTED_SCHEME, "not http or https");
    }
    boolean sameScheme = cleanBase.regionMatches(true, 0, h, 0, colon + 1);
    return !sameScheme || startsWithTwoSlashes(h, colon + 1) ? -1 : colon + 1;
  }

  /**
   * Appends path, query (and drops the fragment) of {@code s} from {@code from}, where a path
   * starting with {@code /} or nothing is expected, then removes the dot segments of everything
   * from {@code pathStart} on, and returns the URL. {@code out[pathStart..]} may already hold the
   * canonical start of the path (the directory of a base URL that {@code s} is relative to).
   */
  static String finish(StringBuilder out, int pathStart, String s, int from, Charset queryCharset)
      throws UrlSyntaxException {
    int n = s.length();
    int hash = s.indexOf('#', from);
    int end = hash < 0 ? n : hash;
    int query = s.indexOf('?', from);
    if (query >= end) {
      query = -1;
    }
    int pathEnd = query < 0 ? end : query;
    PercentEncoding.appendPath(out, s, from, pathEnd);
    if (out.length() == pathStart) {
      out.append('/');
    } else {
      DotSegments.removeInPlace(out, pathStart);
    }
    // The query keeps its parameters in order: sorting them would merge URLs that servers treat
    // as different. A lone "?" means nothing and is dropped.
    if (query >= 0 && query + 1 < end) {
      out.append('?');
      PercentEncoding.appendQuery(out, s, query + 1, end, queryCharset);
    }
    if (out.length() > MAX_LENGTH) {
      throw UrlSyntaxException.malformed("longer than " + MAX_LENGTH + " once normalized");
    }
    return out.toString();
  }

  /** Appends the host and a non-default port of {@code s[hostStart, to)}. */
  private static void appendHostAndPort(
      StringBuilder out, String s, int hostStart, int to, int lastColon, int dflt)
      throws UrlSyntaxException {
    int hostEnd;
    int portColon;
    if (hostStart < to && s.charAt(hostStart) == '[') {
      int close = s.indexOf(']', hostStart);
      if (close < 0 || close >= to) {
        throw UrlSyntaxException.malformed("unclosed IPv6 literal");
      }
      hostEnd = close + 1;
      portColon = hostEnd < to ? hostEnd : -1;
      if (portColon >= 0 && s.charAt(portColon) != ':') {
        throw UrlSyntaxException.malformed("text after IPv6 literal");
      }
    } else {
      portColon = lastColon < hostStart ? -1 : lastColon;
      hostEnd = portColon < 0 ? to : portColon;
    }
    Hosts.appendCanonical(out, s, hostStart, hostEnd);
    int port = portColon < 0 ? dflt : port(s, portColon + 1, to, dflt);
    if (port != dflt) {
      out.append(':').append(port);
    }
  }

  private static int port(String s, int from, int to, int dflt) throws UrlSyntaxException {
    if (from == to) {
      return dflt; // "http://host:/" is the default port, for RFC 3986 and browsers alike.
    }
    int port = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw UrlSyntaxException.malformed("port is not a number");
      }
      port = port * 10 + (c - '0');
      if (port > 65535) {
        throw UrlSyntaxException.malformed("port above 65535");
      }
    }
    if (port == 0) {
      throw UrlSyntaxException.malformed("port 0");
    }
    return port;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isTabOrNewline(char c) {
    return c == '\t' || c == '\n' || c == '\r';
  }
}
