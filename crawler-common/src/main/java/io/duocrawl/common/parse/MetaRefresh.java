package io.duocrawl.common.parse;

import java.util.Optional;

/**
 * The target of {@code <meta http-equiv=refresh content="5; url=/next">}, read the lenient way
 * browsers do (WHATWG "shared declarative refresh steps"): {@code url=} optional and in any case,
 * {@code ;} or {@code ,} after the delay, quotes around the URL allowed.
 */
final class MetaRefresh {
  private MetaRefresh() {}

  /** The raw URL of the refresh, or empty when it only reloads the page itself. */
  static Optional<String> target(String content) {
    int n = content.length();
    int i = skipSpace(content, 0);
    while (i < n && (Character.isDigit(content.charAt(i)) || content.charAt(i) == '.')) {
      i++;
    }
    i = skipSpace(content, i);
    if (i < n && (content.charAt(i) == ';' || content.charAt(i) == ',')) {
      i = skipSpace(content, i + 1);
    }
    if (content.regionMatches(true, i, "url", 0, 3)) {
      int eq = skipSpace(content, i + 3);
      if (eq < n && content.charAt(eq) == '=') {
        i = skipSpace(content, eq + 1);
      }
    }
    int end = n;
    if (i < n && (content.charAt(i) == '"' || content.charAt(i) == '\'')) {
      int close = content.indexOf(content.charAt(i), i + 1);
      end = close < 0 ? n : close;
      i++;
    }
    String url = content.substring(i, end).strip();
    return url.isEmpty() ? Optional.empty() : Optional.of(url);
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && s.charAt(i) <= ' ') {
      i++;
    }
    return i;
  }
}
