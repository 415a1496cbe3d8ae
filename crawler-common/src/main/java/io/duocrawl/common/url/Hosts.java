package io.duocrawl.common.url;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Canonical host names, parsed as the WHATWG URL Standard's host parser does for special schemes:
 * percent-decoded, then "domain to ASCII" (UTS #46 through {@link Idna}) for a host that is not
 * plain ASCII or has an {@code xn--} label, then lower case; a domain that ends in a number is an
 * IPv4 address in any of its forms ({@link IpAddresses}); IPv6 literals are parsed and written in
 * their canonical compressed form. On top of the standard, for a crawl: the trailing dot is
 * removed, and a name with characters or label lengths DNS cannot resolve is refused (see {@link
 * UrlNormalizer} for the list of deviations).
 */
final class Hosts {
  private static final int MAX_LABEL = 63;
  private static final int MAX_NAME = 253;

  private Hosts() {}

  /**
   * Appends the canonical form of the host {@code s[from, to)}. Most hosts in links are canonical
   * already: one scan proves it and copies them, and only the others take the slow path.
   */
  static void appendCanonical(StringBuilder out, String s, int from, int to)
      throws UrlSyntaxException {
    if (isCanonical(s, from, to)) {
      out.append(s, from, to);
    } else {
      out.append(canonical(s.substring(from, to)));
    }
  }

  /**
   * Lower-case letters, digits, '-', '_' in labels of 1 to 63, no trailing dot, no label that
   * starts with {@code xn--} (those are checked by UTS #46), and a last label that does not start
   * with a digit (so it cannot be an IPv4 number).
   */
  private static boolean isCanonical(String s, int from, int to) {
    if (to - from > MAX_NAME || from == to) {
      return false;
    }
    int label = 0;
    int lastLabel = from;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (label == 0) {
          return false;
        }
        label = 0;
        lastLabel = i + 1;
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        if (++label > MAX_LABEL || (label == 4 && c == '-' && s.startsWith("xn-", i - 3))) {
          return false;
        }
      } else {
        return false;
      }
    }
    return label > 0 && (s.charAt(lastLabel) < '0' || s.charAt(lastLabel) > '9');
  }

  /**
   * The canonical form of a host as written in a URL authority (without port and userinfo).
   *
   * @throws UrlSyntaxException if it is empty, has illegal characters, or is not a valid IDN
   */
  static String canonical(String raw) throws UrlSyntaxException {
    if (raw.isEmpty()) {
      throw UrlSyntaxException.malformed("empty host");
    }
    if (raw.charAt(0) == '[') {
      if (raw.length() < 3 || raw.charAt(raw.length() - 1) != ']') {
        throw UrlSyntaxException.malformed("bad IPv6 literal");
      }
      return IpAddresses.ipv6(raw);
    }
    String host = raw;
    if (host.indexOf('%') >= 0) {
      host = percentDecode(host);
    }
    // The URL Standard's ASCII fast path: a plain ASCII name without an "xn--" label only needs
    // lower case; everything else goes through UTS #46, which also validates Punycode labels.
    host = lowerAscii(host);
    if (!isAscii(host) || hasAceLabel(host)) {
      host = Idna.toAscii(host);
    }
    if (IpAddresses.endsInNumber(host)) {
      return IpAddresses.ipv4(host);
    }
    if (host.endsWith(".")) {
      // "example.com." is the same host to DNS, and the same site to us.
      host = host.substring(0, host.length() - 1);
    }
    validate(host);
    return host;
  }

  static boolean isIpLiteral(String host) {
    if (host.startsWith("[")) {
      return true;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return !host.isEmpty();
  }

  private static void validate(String host) throws UrlSyntaxException {
    if (host.length() > MAX_NAME) {
      throw UrlSyntaxException.malformed("host name longer than " + MAX_NAME);
    }
    int label = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (label == 0) {
          throw UrlSyntaxException.malformed("empty label in host");
        }
        label = 0;
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        // Underscores are not valid in DNS host names, yet real sites use them in subdomains and
        // browsers accept them.
        if (++label > MAX_LABEL) {
          throw UrlSyntaxException.malformed("host label longer than " + MAX_LABEL);
        }
      } else {
        throw UrlSyntaxException.malformed("illegal character in host");
      }
    }
    if (label == 0) {
      throw UrlSyntaxException.malformed("empty host or label");
    }
  }

  private static boolean hasAceLabel(String host) {
    for (int i = host.indexOf("xn--"); i >= 0; i = host.indexOf("xn--", i + 1)) {
      if (i == 0 || host.charAt(i - 1) == '.') {
        return true;
      }
    }
    return false;
  }

  private static String percentDecode(String s) throws UrlSyntaxException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? PercentEncoding.hexValue(s.charAt(i + 1)) : -1;
        int lo = hi >= 0 ? PercentEncoding.hexValue(s.charAt(i + 2)) : -1;
        if (lo < 0) {
          throw UrlSyntaxException.malformed("invalid escape in host");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
        byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
        i = end - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw UrlSyntaxException.malformed("escaped host is not UTF-8");
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Lower-cases ASCII letters only (never locale-dependent), allocating only when needed. */
  static String lowerAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = s.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] = (char) (chars[j] + ('a' - 'A'));
          }
        }
        return new String(chars);
      }
    }
    return s;
  }
}
