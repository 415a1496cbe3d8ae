package io.duocrawl.common.parse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * One walk over a parsed document that collects everything {@link PageParser} reports, instead of
 * one CSS selection per feature (each of which would walk the whole tree again). Not thread-safe;
 * one per page.
 *
 * <p>Script bodies, comments and {@code <textarea>} content are text or comment nodes to Jsoup, not
 * elements, so anchors written inside them are never seen here.
 */
final class PageScan implements NodeVisitor {
  private final Set<String> links = new LinkedHashSet<>();
  private int nofollowLinks;
  private int linkElements;
  private Optional<String> baseHref = Optional.empty();
  private Optional<String> canonical = Optional.empty();
  private boolean noindex;
  private boolean nofollow;

  private PageScan() {}

  static PageScan of(Document document) {
    PageScan scan = new PageScan();
    NodeTraversor.traverse(scan, document);
    return scan;
  }

  @Override
  public void head(Node node, int depth) {
    if (!(node instanceof Element element)) {
      return;
    }
    switch (element.normalName()) {
      case "a", "area" -> link(element, "href", hasToken(element.attr("rel"), "nofollow"));
      case "frame", "iframe" -> link(element, "src", false);
      case "meta" -> meta(element);
      case "base" -> {
        // The first <base href> counts, as in browsers; a later one is ignored.
        if (baseHref.isEmpty() && element.hasAttr("href")) {
          baseHref = Optional.of(trim(element.attr("href")));
        }
      }
      case "link" -> {
        if (canonical.isEmpty()
            && element.hasAttr("href")
            && hasToken(element.attr("rel"), "canonical")) {
          canonical = Optional.of(trim(element.attr("href")));
        }
      }
      default -> {}
    }
  }

  private void link(Element element, String attribute, boolean relNofollow) {
    if (!element.hasAttr(attribute)) {
      return;
    }
    linkElements++;
    if (relNofollow) {
      nofollowLinks++;
    } else {
      links.add(trim(element.attr(attribute)));
    }
  }

  private void meta(Element element) {
    if (element.attr("http-equiv").equalsIgnoreCase("refresh")) {
      Optional<String> target = MetaRefresh.target(element.attr("content"));
      if (target.isPresent()) {
        linkElements++;
        links.add(target.get());
      }
    } else if (element.attr("name").equalsIgnoreCase("robots")) {
      // Several robots metas add up; "none" means both.
      for (String token : element.attr("content").toLowerCase(Locale.ROOT).split(",")) {
        switch (token.strip()) {
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
  }

  /** Followable link targets, raw, first occurrence of each in document order. */
  List<String> links() {
    return nofollow ? List.of() : new ArrayList<>(links);
  }

  /**
   * Link elements not followed because of {@code nofollow}: those with {@code rel=nofollow}, or all
   * of them when the page's robots meta says {@code nofollow}.
   */
  int nofollowLinks() {
    return nofollow ? linkElements : nofollowLinks;
  }

  Optional<String> baseHref() {
    return baseHref;
  }

  Optional<String> canonical() {
    return canonical;
  }

  boolean noindex() {
    return noindex;
  }

  boolean nofollow() {
    return nofollow;
  }

  /**
   * Whether the space-separated list {@code rel} holds {@code token}, in any case. A scan, not a
   * {@code split}: a regex per anchor showed in the parse profile.
   */
  static boolean hasToken(String rel, String token) {
    int n = rel.length();
    int i = 0;
    while (i < n) {
      while (i < n && rel.charAt(i) <= ' ') {
        i++;
      }
      int start = i;
      while (i < n && rel.charAt(i) > ' ') {
        i++;
      }
      if (i - start == token.length() && rel.regionMatches(true, start, token, 0, token.length())) {
        return true;
      }
    }
    return false;
  }

  /** Trims HTML whitespace (and other C0 controls) from both ends, as browsers do for URLs. */
  private static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && s.charAt(end - 1) <= ' ') {
      end--;
    }
    return s.substring(start, end);
  }
}
