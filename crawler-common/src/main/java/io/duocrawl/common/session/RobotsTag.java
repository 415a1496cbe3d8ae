package io.duocrawl.common.session;

import java.util.Locale;

/**
 * The {@code X-Robots-Tag} response headers of a page, read as {@code <meta name=robots>} is:
 * {@code noindex}, {@code nofollow}, and {@code none} (both). A value may name a user agent first
 * ({@code googlebot: noindex}); it then applies only when that is the crawl's robots.txt agent
 * name. Other directives ({@code noarchive}, {@code unavailable_after: …}) are ignored.
 */
record RobotsTag(boolean noindex, boolean nofollow) {
  static final RobotsTag NONE = new RobotsTag(false, false);

  static RobotsTag of(HeaderLookup headers, String agent) {
    boolean noindex = false;
    boolean nofollow = false;
    for (String value : headers.values("X-Robots-Tag")) {
      String directives = value.strip().toLowerCase(Locale.ROOT);
      int colon = directives.indexOf(':');
      if (colon > 0) {
        String first = directives.substring(0, colon).strip();
        if (!first.isEmpty() && !first.contains(",") && !first.startsWith("unavailable_after")) {
          if (!first.equals(agent.toLowerCase(Locale.ROOT))) {
            continue;
          }
          directives = directives.substring(colon + 1);
        }
      }
      for (String directive : directives.split(",")) {
        switch (directive.strip()) {
          case "noindex" -> noindex = true;
          case "nofollow" -> nofollow = true;
          case "none" -> {
            noindex = true;
            nofollow = true;
          }
          default -> {}
        }
      }
    }
    return noindex || nofollow ? new RobotsTag(noindex, nofollow) : NONE;
  }
}
