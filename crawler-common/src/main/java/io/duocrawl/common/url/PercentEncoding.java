package io.duocrawl.common.url;

/**
 * Canonical percent-encoding of a path or a query (RFC 3986 sections 2.1 to 2.4 and 6.2.2).
 *
 * <ul>
 *   <li>An escape of an unreserved character ({@code ALPHA DIGIT - . _ ~}) is decoded: {@code %7E}
 *       and {@code ~} are the same URL.
 *   <li>Any other escape is kept, in upper-case hex: {@code %2f} becomes {@code %2F}, and it is not
 *       decoded, because a reserved character and its escape mean different things.
 *   <li>A character that may not appear raw is escaped: controls, space, {@code " < > [ ] \ ^ ` { |
 *       }}, and every non-ASCII character as its UTF-8 bytes (an unpaired surrogate as U+FFFD, like
 *       browsers do).
 *   <li>A {@code %} that does not start a valid escape ({@code %zz}, a trailing {@code %}) is
 *       itself escaped as {@code %25}. Browsers send such links as written and most servers then
 *       read a literal {@code %}; escaping it sends the same meaning in a valid form, where
 *       rejecting the link would lose pages such as {@code ?discount=50%} that browsers reach.
 * </ul>
 *
 * <p>Every rule maps its output to itself, which is what makes normalization idempotent.
 */
final class PercentEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final boolean[] UNRESERVED = new boolean[128];
  private static final boolean[] PATH_SAFE = new boolean[128];
  private static final boolean[] QUERY_SAFE = new boolean[128];

  static {
    String unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    // pchar = unreserved / pct-encoded / sub-delims / ":" / "@"; a path adds "/", a query "/?".
    String pathSafe = unreserved + "!$&'()*+,;=" + ":@/";
    for (int i = 0; i < unreserved.length(); i++) {
      UNRESERVED[unreserved.charAt(i)] = true;
    }
    for (int i = 0; i < pathSafe.length(); i++) {
      PATH_SAFE[pathSafe.charAt(i)] = true;
      QUERY_SAFE[pathSafe.charAt(i)] = true;
    }
    QUERY_SAFE['?'] = true;
  }

  private PercentEncoding() {}

  /** Appends {@code s[from, to)} as a canonical path; a backslash is read as {@code /}. */
  static void appendPath(StringBuilder out, String s, int from, int to) {
    append(out, s, from, to, PATH_SAFE, true);
  }

  /** Appends {@code s[from, to)} as a canonical query, parameters in their order. */
  static void appendQuery(StringBuilder out, String s, int from, int to) {
    append(out, s, from, to, QUERY_SAFE, false);
  }

  static boolean isUnreserved(int c) {
    return c < 0x80 && UNRESERVED[c];
  }

  static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static void append(
      StringBuilder out, String s, int from, int to, boolean[] safe, boolean backslashIsSlash) {
    int run = from;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c < 0x80 && safe[c]) {
        // Most characters of real URLs are safe: copy them in runs, not one by one.
        i++;
        continue;
      }
      out.append(s, run, i);
      if (c == '%') {
        i = appendEscape(out, s, i, to);
      } else if (c == '\\' && backslashIsSlash) {
        // WHATWG URL: in http(s) paths a backslash is a slash; every browser sends it so.
        out.append('/');
      } else if (c < 0x80) {
        appendByte(out, c);
      } else {
        int cp = c;
        if (Character.isHighSurrogate(c)
            && i + 1 < to
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          cp = Character.toCodePoint(c, s.charAt(++i));
        } else if (Character.isSurrogate(c)) {
          cp = 0xFFFD;
        }
        appendUtf8(out, cp);
      }
      i++;
      run = i;
    }
    out.append(s, run, to);
  }

  /** Appends the escape at {@code s[i]}; returns the index of its last character. */
  private static int appendEscape(StringBuilder out, String s, int i, int to) {
    if (i + 2 < to) {
      int hi = hexValue(s.charAt(i + 1));
      int lo = hexValue(s.charAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        int b = hi << 4 | lo;
        if (isUnreserved(b)) {
          out.append((char) b);
        } else {
          appendByte(out, b);
        }
        return i + 2;
      }
    }
    out.append("%25");
    return i;
  }

  private static void appendByte(StringBuilder out, int b) {
    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
  }

  private static void appendUtf8(StringBuilder out, int cp) {
    if (cp < 0x800) {
      appendByte(out, 0xC0 | (cp >> 6));
    } else if (cp < 0x10000) {
      appendByte(out, 0xE0 | (cp >> 12));
      appendByte(out, 0x80 | ((cp >> 6) & 0x3F));
    } else {
      appendByte(out, 0xF0 | (cp >> 18));
      appendByte(out, 0x80 | ((cp >> 12) & 0x3F));
      appendByte(out, 0x80 | ((cp >> 6) & 0x3F));
    }
    appendByte(out, 0x80 | (cp & 0x3F));
  }
}
