package io.duocrawl.common.url;

/**
 * RFC 3986 section 5.2.4, "Remove Dot Segments", for an absolute path. Runs after percent-encoding
 * is canonical, so that {@code %2E%2E} (decoded to {@code ..} as an unreserved escape) is removed
 * too, as browsers do; otherwise a second normalization would change the result.
 */
final class DotSegments {
  private DotSegments() {}

  /**
   * Removes the {@code .} and {@code ..} segments of {@code path[from..]} in place.
   *
   * @param path a builder whose tail from {@code from} is a path starting with {@code /}
   */
  static void removeInPlace(StringBuilder path, int from) {
    if (!hasDotSegment(path, from)) {
      return;
    }
    String in = path.substring(from);
    path.setLength(from);
    int n = in.length();
    int i = 0;
    while (i < n) {
      // in[i] is '/', and the segment runs to the next '/' or the end.
      int next = in.indexOf('/', i + 1);
      if (next < 0) {
        next = n;
      }
      int len = next - i - 1;
      boolean last = next == n;
      if (len == 1 && in.charAt(i + 1) == '.') {
        if (last) {
          path.append('/');
        }
      } else if (len == 2 && in.charAt(i + 1) == '.' && in.charAt(i + 2) == '.') {
        int cut = path.lastIndexOf("/");
        if (cut >= from) {
          path.setLength(cut);
        }
        if (last) {
          path.append('/');
        }
      } else {
        path.append(in, i, next);
      }
      i = next;
    }
    if (path.length() == from) {
      path.append('/');
    }
  }

  private static boolean hasDotSegment(StringBuilder p, int from) {
    // indexOf on the builder is a vectorized search; most paths have no "/." at all.
    int n = p.length();
    for (int i = p.indexOf("/.", from); i >= 0; i = p.indexOf("/.", i + 2)) {
      if (i + 2 == n || p.charAt(i + 2) == '/') {
        return true;
      }
      if (p.charAt(i + 2) == '.' && (i + 3 == n || p.charAt(i + 3) == '/')) {
        return true;
      }
    }
    return false;
  }
}
