package io.duocrawl.common.parse;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The WHATWG HTML "prescan a byte stream to determine its encoding" algorithm over the first 1,024
 * bytes of a body: the {@code <meta charset>} or {@code <meta http-equiv=Content-Type content="...;
 * charset=...">} a browser would honour before parsing. Comments are skipped, other tags'
 * attributes are stepped over (so a {@code charset=} inside one is not read), a UTF-16 label reads
 * as UTF-8 and {@code x-user-defined} as windows-1252, as the standard says.
 */
final class MetaPrescan {
  static final int LIMIT = 1024;

  private final byte[] b;
  private final int n;
  private int pos;

  // The attribute last read by attribute(): name and value, lower case.
  private String name = "";
  private String value = "";

  private MetaPrescan(byte[] body, int length) {
    this.b = body;
    this.n = Math.min(length, LIMIT);
  }

  /** The encoding the first 1,024 bytes of {@code body[0, length)} declare, if any. */
  static Optional<Charset> scan(byte[] body, int length) {
    return new MetaPrescan(body, length).run();
  }

  private Optional<Charset> run() {
    while (pos < n) {
      if (startsWith("<!--")) {
        int end = indexOf("-->", pos + 2);
        if (end < 0) {
          return Optional.empty();
        }
        pos = end + 3;
      } else if (startsWithIgnoreCase("<meta") && pos + 5 < n && isSpaceOrSlash(b[pos + 5])) {
        pos += 6;
        Optional<Charset> found = meta();
        if (found.isPresent()) {
          return found;
        }
      } else if (pos + 1 < n
          && b[pos] == '<'
          && (isAlpha(b[pos + 1]) || (b[pos + 1] == '/' && pos + 2 < n && isAlpha(b[pos + 2])))) {
        while (pos < n && !isSpace(b[pos]) && b[pos] != '>') {
          pos++;
        }
        while (attribute()) {
          // Stepped over: only <meta> attributes count.
        }
        pos++;
      } else if (startsWith("<!") || startsWith("</") || startsWith("<?")) {
        int end = indexOf(">", pos + 2);
        if (end < 0) {
          return Optional.empty();
        }
        pos = end + 1;
      } else {
        pos++;
      }
    }
    return Optional.empty();
  }

  /** The attributes of one {@code <meta>}; the encoding they declare, if they declare one. */
  private Optional<Charset> meta() {
    boolean sawHttpEquiv = false;
    boolean sawContent = false;
    boolean sawCharset = false;
    boolean gotPragma = false;
    // 0: no charset seen; 1: from charset=, needs no pragma; 2: from content=, needs the pragma.
    int needPragma = 0;
    String charset = "";
    while (attribute()) {
      switch (name) {
        case "http-equiv" -> {
          if (!sawHttpEquiv) {
            sawHttpEquiv = true;
            gotPragma = value.equals("content-type");
          }
        }
        case "content" -> {
          if (!sawContent) {
            sawContent = true;
            if (needPragma == 0) {
              Optional<String> fromContent = charsetFromContent(value);
              if (fromContent.isPresent()) {
                charset = fromContent.get();
                needPragma = 2;
              }
            }
          }
        }
        case "charset" -> {
          if (!sawCharset) {
            sawCharset = true;
            charset = value;
            needPragma = 1;
          }
        }
        default -> {}
      }
    }
    if (pos >= n || needPragma == 0 || (needPragma == 2 && !gotPragma)) {
      // A <meta> cut off by the 1,024-byte limit counts for nothing.
      return Optional.empty();
    }
    String label = charset.strip();
    if (label.equals("x-user-defined")) {
      return Optional.of(Encodings.WINDOWS_1252);
    }
    Optional<Charset> encoding = Encodings.forLabel(label);
    if (encoding.isPresent()
        && (encoding.get() == StandardCharsets.UTF_16BE
            || encoding.get() == StandardCharsets.UTF_16LE)) {
      return Optional.of(StandardCharsets.UTF_8);
    }
    return encoding;
  }

  /**
   * The standard's "get an attribute": reads one into {@link #name} and {@link #value} and returns
   * true, or returns false at {@code >} or the end, leaving {@link #pos} on the {@code >}.
   */
  private boolean attribute() {
    while (pos < n && (isSpace(b[pos]) || b[pos] == '/')) {
      pos++;
    }
    if (pos >= n || b[pos] == '>') {
      return false;
    }
    StringBuilder attrName = new StringBuilder();
    StringBuilder attrValue = new StringBuilder();
    boolean named = false;
    while (pos < n) {
      byte c = b[pos];
      if (c == '=' && attrName.length() > 0) {
        pos++;
        named = true;
        break;
      }
      if (isSpace(c)) {
        while (pos < n && isSpace(b[pos])) {
          pos++;
        }
        if (pos < n && b[pos] == '=') {
          pos++;
          named = true;
        }
        break;
      }
      if (c == '/' || c == '>') {
        break;
      }
      attrName.append(lower(c));
      pos++;
    }
    if (named) {
      while (pos < n && isSpace(b[pos])) {
        pos++;
      }
      if (pos < n && (b[pos] == '"' || b[pos] == '\'')) {
        byte quote = b[pos++];
        while (pos < n && b[pos] != quote) {
          attrValue.append(lower(b[pos++]));
        }
        pos++;
      } else {
        while (pos < n && !isSpace(b[pos]) && b[pos] != '>') {
          attrValue.append(lower(b[pos++]));
        }
      }
    }
    name = attrName.toString();
    value = attrValue.toString();
    return true;
  }

  /** The standard's "extracting a character encoding from a meta element". */
  static Optional<String> charsetFromContent(String content) {
    int i = 0;
    int len = content.length();
    while (true) {
      int at = indexOfIgnoreCase(content, "charset", i);
      if (at < 0) {
        return Optional.empty();
      }
      int j = at + 7;
      while (j < len && content.charAt(j) <= ' ') {
        j++;
      }
      if (j >= len || content.charAt(j) != '=') {
        i = j;
        continue;
      }
      j++;
      while (j < len && content.charAt(j) <= ' ') {
        j++;
      }
      if (j >= len) {
        return Optional.empty();
      }
      char c = content.charAt(j);
      if (c == '"' || c == '\'') {
        int close = content.indexOf(c, j + 1);
        return close < 0 ? Optional.empty() : Optional.of(content.substring(j + 1, close));
      }
      int end = j;
      while (end < len && content.charAt(end) > ' ' && content.charAt(end) != ';') {
        end++;
      }
      return Optional.of(content.substring(j, end));
    }
  }

  private static int indexOfIgnoreCase(String s, String what, int from) {
    for (int i = from; i + what.length() <= s.length(); i++) {
      if (s.regionMatches(true, i, what, 0, what.length())) {
        return i;
      }
    }
    return -1;
  }

  private boolean startsWith(String s) {
    if (pos + s.length() > n) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (b[pos + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean startsWithIgnoreCase(String s) {
    if (pos + s.length() > n) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (lower(b[pos + i]) != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int indexOf(String s, int from) {
    for (int i = from; i + s.length() <= n; i++) {
      int k = 0;
      while (k < s.length() && b[i + k] == s.charAt(k)) {
        k++;
      }
      if (k == s.length()) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
  }

  private static boolean isSpaceOrSlash(byte c) {
    return isSpace(c) || c == '/';
  }

  private static boolean isAlpha(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static char lower(byte c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : (char) (c & 0xFF);
  }
}
