package io.duocrawl.common.url;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * Canonical percent-encoding of a path or a query (RFC 3986 sections 2.1 to 2.4 and 6.2.2, and the
 * WHATWG URL Standard's percent-encode sets, which it encodes a superset of).
 *
 * <ul>
 *   <li>An escape of an unreserved character ({@code ALPHA DIGIT - . _ ~}) is decoded: {@code %7E}
 *       and {@code ~} are the same URL.
 *   <li>Any other escape is kept, in upper-case hex: {@code %2f} becomes {@code %2F}, and it is not
 *       decoded, because a reserved character and its escape mean different things.
 *   <li>A character that may not appear raw is escaped: controls, space, {@code " < > [ ] \ ^ ` { |
 *       }}, and every non-ASCII character as its UTF-8 bytes (an unpaired surrogate as U+FFFD, like
 *       browsers do). In a query {@code '} is escaped too (the URL Standard's special-query set),
 *       and non-ASCII characters are encoded in the document's encoding when it is not UTF-8, as
 *       browsers send them: {@code ?q=é} on a windows-1252 page is {@code ?q=%E9}; a character that
 *       encoding cannot write becomes the escaped numeric reference {@code %26%23NNN%3B}.
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
    QUERY_SAFE['\''] = false;
  }

  private PercentEncoding() {}

  /** Appends {@code s[from, to)} as a canonical path; a backslash is read as {@code /}. */
  static void appendPath(StringBuilder out, String s, int from, int to) {
    append(out, s, from, to, PATH_SAFE, StandardCharsets.UTF_8);
  }

  /**
   * Appends {@code s[from, to)} as a canonical query, parameters in their order, non-ASCII
   * characters in {@code charset} (see {@link #queryCharset}).
   */
  static void appendQuery(StringBuilder out, String s, int from, int to, Charset charset) {
    append(out, s, from, to, QUERY_SAFE, charset);
  }

  /**
   * The encoding a query is written in for a document in {@code documentCharset}: the URL
   * Standard's "output encoding", the document's own except that UTF-16 and encodings the JVM
   * cannot encode to fall back to UTF-8.
   */
  static Charset queryCharset(Charset documentCharset) {
    String name = documentCharset.name();
    if (documentCharset.equals(StandardCharsets.UTF_8)
        || !documentCharset.canEncode()
        || name.startsWith("UTF-16")
        || name.startsWith("UTF-32")) {
      return StandardCharsets.UTF_8;
    }
    return documentCharset;
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
      StringBuilder out, String s, int from, int to, boolean[] safe, Charset charset) {
    boolean path = safe == PATH_SAFE;
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
      } else if (c == '\\' && path) {
        // WHATWG URL: in http(s) paths a backslash is a slash; every browser sends it so.
        out.append('/');
      } else if (c < 0x80) {
        appendByte(out, c);
      } else if (charset != StandardCharsets.UTF_8) {
        int end = i + 1;
        while (end < to && s.charAt(end) >= 0x80) {
          end++;
        }
        appendEncoded(out, s, i, end, charset);
        i = end - 1;
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

  /**
   * Appends the run of non-ASCII characters {@code s[from, to)} encoded in {@code charset}, each
   * character it cannot encode (and an unpaired surrogate, as U+FFFD) as {@code &#NNN;} escaped,
   * which is what browsers send. Rare (a non-UTF-8 page with non-ASCII query text), so simple.
   */
  private static void appendEncoded(
      StringBuilder out, String s, int from, int to, Charset charset) {
    CharsetEncoder encoder = charset.newEncoder();
    ByteBuffer bytes = ByteBuffer.allocate(16);
    for (int i = from; i < to; ) {
      int cp = s.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (Character.isSurrogate(s.charAt(i)) && Character.charCount(cp) == 1) {
        cp = 0xFFFD;
      }
      bytes.clear();
      encoder.reset();
      CoderResult result = encoder.encode(CharBuffer.wrap(Character.toChars(cp)), bytes, true);
      if (!result.isError()) {
        result = encoder.flush(bytes);
      }
      if (result.isError()) {
        out.append("%26%23").append(cp).append("%3B");
      } else {
        bytes.flip();
        while (bytes.hasRemaining()) {
          // A multi-byte encoding (Shift_JIS, GBK) may use ASCII bytes inside a character: they
          // follow the ASCII rules, or a second normalization would change the URL.
          int b = bytes.get() & 0xFF;
          if (b < 0x80 && QUERY_SAFE[b]) {
            out.append((char) b);
          } else {
            appendByte(out, b);
          }
        }
      }
      i = next;
    }
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
