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
 * Everything {@link PageParser} reports about one page, collected element by element in document
 * order: either from {@link StreamScan}'s one pass over the markup (the crawl's path) or from a
 * walk over a parsed Jsoup document ({@link #of}: the path for markup the stream pass hands back,
 * and the oracle the stream pass is tested against). Not thread-safe; one per page.
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

  private String title = "";

  PageScan() {}

  /** The tree walk: what the page holds, read from a parsed document. */
  static PageScan of(Document document) {
    PageScan scan = new PageScan();
    NodeTraversor.traverse(scan, document);
    scan.title = document.title();
    return scan;
  }

  /** The attributes of one start tag, whichever parser read it. */
  interface Attributes {
    /** Whether the tag has the attribute (lower-case name), with any value. */
    boolean has(String name);

    /** The attribute's value, {@code ""} when absent. */
    String get(String name);
  }

  @Override
  public void head(Node node, int depth) {
    if (node instanceof Element element) {
      element(
          element.normalName(),
          new Attributes() {
            @Override
            public boolean has(String name) {
              return element.hasAttr(name);
            }

            @Override
            public String get(String name) {
              return element.attr(name);
            }
          });
    }
  }

  /** Whether {@link #element} wants the attributes of an element of this (lower-case) name. */
  static boolean wants(String name) {
    return switch (name) {
      case "a", "area", "frame", "iframe", "meta", "base", "link" -> true;
      default -> false;
    };
  }

  /** One element, in document order: collects what it says about links, base, robots. */
  void element(String name, Attributes attributes) {
    switch (name) {
      case "a", "area" -> link(attributes, "href", hasToken(attributes.get("rel"), "nofollow"));
      case "frame", "iframe" -> link(attributes, "src", false);
      case "meta" -> meta(attributes);
      case "base" -> {
        // The first <base href> counts, as in browsers; a later one is ignored.
        if (baseHref.isEmpty() && attributes.has("href")) {
          baseHref = Optional.of(trim(attributes.get("href")));
        }
      }
      case "link" -> {
        if (canonical.isEmpty()
            && attributes.has("href")
            && hasToken(attributes.get("rel"), "canonical")) {
          canonical = Optional.of(trim(attributes.get("href")));
        }
      }
      default -> {}
    }
  }

  /** Sets the title, as {@link Document#title()} would give it. */
  void title(String title) {
    this.title = title;
  }

  private void link(Attributes element, String attribute, boolean relNofollow) {
    if (!element.has(attribute)) {
      return;
    }
    linkElements++;
    if (relNofollow) {
      nofollowLinks++;
    } else {
      links.add(trim(element.get(attribute)));
    }
  }

  private void meta(Attributes element) {
    if (element.get("http-equiv").equalsIgnoreCase("refresh")) {
      Optional<String> target = MetaRefresh.target(element.get("content"));
      if (target.isPresent()) {
        linkElements++;
        links.add(target.get());
      }
    } else if (element.get("name").equalsIgnoreCase("robots")) {
      // Several robots metas add up; "none" means both.
      for (String token : element.get("content").toLowerCase(Locale.ROOT).split(",")) {
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

  String title() {
    return title;
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
