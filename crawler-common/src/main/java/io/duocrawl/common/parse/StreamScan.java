package io.duocrawl.common.parse;

import java.util.Optional;
import org.jsoup.internal.StringUtil;
import org.jsoup.parser.Parser;

/**
 * One pass over decoded HTML that finds what {@link PageScan} collects without building a tree: the
 * WHATWG tokenizer's states that decide where a tag is (data, tag, attributes, comments, RCDATA,
 * RAWTEXT, script data with its escaped states, PLAINTEXT), and of tree construction only what
 * decides where the head ends (for {@code <title>}, which {@link org.jsoup.nodes.Document#title()}
 * reads from the head only).
 *
 * <p>Inline SVG and MathML are followed (no raw text there, {@code />} closes, CDATA sections).
 * Markup whose tree is not the sequence of its start tags is handed back ({@link #scan} gives
 * empty) for the tree walk to read: {@code <frameset>} (body content dropped), {@code <select>}
 * (tags inside dropped), HTML inside SVG or MathML, a {@code <template>} in the head. {@code
 * PageScanEquivalenceTest} proves both paths equal over the parse test pages, the fixture site,
 * generated tag soup and a large real corpus.
 *
 * <p>Attribute values and the title go through Jsoup's own entity decoder ({@link
 * Parser#unescapeEntities}), only when they hold an {@code &}. Not thread-safe; one per page.
 */
final class StreamScan {
  private final String s;
  private final int n;
  private final PageScan out = new PageScan();
  private final TagAttributes attributes = new TagAttributes();

  /** Tree construction has left the head: a {@code <title>} from here on is not the title. */
  private boolean inBody;

  private boolean titleSeen;

  /**
   * Inside a {@code <noscript>} opened in the head: Jsoup keeps whatever follows in it, in the
   * head, until {@code </noscript>} (browsers would leave the head at the first other tag).
   */
  private boolean headNoscript;

  /** {@code </head>} was seen: a {@code <noscript>} from here on opens the body. */
  private boolean afterHead;

  /** Open SVG and MathML elements, lower case; empty outside foreign content. */
  private final java.util.ArrayList<String> foreign = new java.util.ArrayList<>();

  /** The tag {@link #tagEnd} last read ended with {@code />}. */
  private boolean selfClosing;

  private StreamScan(String html) {
    this.s = html;
    this.n = html.length();
  }

  /** What {@code html} holds, or empty when only the tree walk reads it right. */
  static Optional<PageScan> scan(String html) {
    StreamScan scan = new StreamScan(html);
    return scan.run() ? Optional.of(scan.out) : Optional.empty();
  }

  /** Returns false to hand the page to the tree walk. */
  private boolean run() {
    int i = 0;
    while (i < n) {
      int lt = s.indexOf('<', i);
      int textEnd = lt < 0 ? n : lt;
      if (!inBody && !headNoscript && !isWhitespace(i, textEnd)) {
        inBody = true;
      }
      if (lt < 0 || lt + 1 >= n) {
        if (lt >= 0) {
          inBody = true;
        }
        return true;
      }
      char c = s.charAt(lt + 1);
      if (isAlpha(c)) {
        i = startTag(lt + 1);
        if (i == BAIL) {
          return false;
        }
      } else if (c == '/') {
        i = endTag(lt + 2);
        if (i == BAIL) {
          return false;
        }
      } else if (c == '!') {
        i = markupDeclaration(lt + 2);
      } else if (c == '?') {
        i = toGreaterThan(lt + 2);
      } else {
        // A '<' that opens nothing is text.
        inBody = true;
        i = lt + 1;
      }
    }
    return true;
  }

  private static final int BAIL = -1;

  /** A start tag whose name begins at {@code i}; returns where the data after it starts. */
  private int startTag(int i) {
    int nameEnd = i;
    while (nameEnd < n && !endsName(s.charAt(nameEnd))) {
      nameEnd++;
    }
    String name = lowerName(i, nameEnd);
    boolean wanted = PageScan.wants(name);
    attributes.clear();
    int end = tagEnd(nameEnd, wanted);
    if (end < 0) {
      // EOF inside a tag: the tokenizer drops the tag.
      return n;
    }
    if (!foreign.isEmpty()) {
      return foreignStartTag(name, wanted, end);
    }
    switch (name) {
      case "frameset", "select" -> {
        return BAIL;
      }
      case "svg", "math" -> {
        inBody = true;
        if (!selfClosing) {
          foreign.add(name);
        }
        return end;
      }
      default -> {}
    }
    if (!inBody && name.equals("template")) {
      // Its content stays in the head, whatever it is: rare enough to leave to the tree.
      return BAIL;
    }
    if (!inBody && name.equals("noscript")) {
      if (afterHead) {
        inBody = true;
      } else {
        headNoscript = true;
      }
    }
    if (!inBody && !headNoscript && !HeadTags.allowedInHead(name)) {
      inBody = true;
    }
    // Outside a frameset (handed to the tree) tree construction drops a <frame> start tag.
    if (wanted && !name.equals("frame")) {
      out.element(name, attributes);
    }
    return switch (name) {
      case "title" -> {
        int close = rawTextEnd(end, "title");
        if (!inBody && !titleSeen) {
          titleSeen = true;
          out.title(titleText(end, close));
        }
        yield close;
      }
      case "textarea", "style", "xmp", "iframe", "noembed", "noframes" -> rawTextEnd(end, name);
      case "script" -> scriptEnd(end);
      case "plaintext" -> n;
      default -> end;
    };
  }

  /**
   * A start tag inside SVG or MathML: no raw text, {@code />} closes, CDATA sections allowed.
   * Whatever would switch back to HTML (an HTML-only tag breaking out, markup inside an integration
   * point such as SVG's {@code <title>}) goes to the tree walk.
   */
  private int foreignStartTag(String name, boolean wanted, int end) {
    String current = foreign.get(foreign.size() - 1);
    if (ForeignContent.breaksOut(name, attributes) || ForeignContent.isIntegrationPoint(current)) {
      return BAIL;
    }
    if (wanted) {
      out.element(name, attributes);
    }
    if (!selfClosing) {
      foreign.add(name);
    }
    // Jsoup reads what follows an SVG or MathML <script> as script data, even after <script/>
    // (browsers do neither); no other element of foreign content.
    return name.equals("script") ? scriptEnd(end) : end;
  }

  /** An end tag whose name begins at {@code i} (just after {@code "</"}). */
  private int endTag(int i) {
    if (i >= n) {
      inBody = true;
      return n;
    }
    char c = s.charAt(i);
    if (c == '>') {
      return i + 1;
    }
    if (!isAlpha(c)) {
      return toGreaterThan(i);
    }
    int nameEnd = i;
    while (nameEnd < n && !endsName(s.charAt(nameEnd))) {
      nameEnd++;
    }
    // No name string per end tag: most are only stepped over.
    if (is(i, nameEnd, "noscript")) {
      headNoscript = false;
    } else if (is(i, nameEnd, "head") && !headNoscript) {
      afterHead = true;
    }
    if (!inBody
        && !headNoscript
        && (is(i, nameEnd, "body") || is(i, nameEnd, "html") || is(i, nameEnd, "br"))) {
      inBody = true;
    }
    int end = tagEnd(nameEnd, false);
    if (end < 0) {
      return n;
    }
    if (!foreign.isEmpty()) {
      int open = foreign.lastIndexOf(lowerName(i, nameEnd));
      if (open < 0) {
        // An HTML end tag closing through foreign content: tree construction's business.
        return BAIL;
      }
      foreign.subList(open, foreign.size()).clear();
    }
    return end;
  }

  /** After {@code "<!"}: a comment, a doctype or a bogus comment. */
  private int markupDeclaration(int i) {
    if (!foreign.isEmpty() && s.startsWith("[CDATA[", i)) {
      int close = s.indexOf("]]>", i + 7);
      return close < 0 ? n : close + 3;
    }
    if (s.startsWith("--", i)) {
      int j = i + 2;
      if (s.startsWith(">", j)) {
        return j + 1;
      }
      if (s.startsWith("->", j)) {
        return j + 2;
      }
      int close = s.indexOf("--", j);
      while (close >= 0) {
        if (s.startsWith("-->", close)) {
          return close + 3;
        }
        if (s.startsWith("--!>", close)) {
          return close + 4;
        }
        close = s.indexOf("--", close + 1);
      }
      return n;
    }
    return toGreaterThan(i);
  }

  private int toGreaterThan(int i) {
    int gt = s.indexOf('>', i);
    return gt < 0 ? n : gt + 1;
  }

  /**
   * The attributes of a tag from {@code i} to its {@code >}; collects them into {@link #attributes}
   * when {@code collect}. Returns the index after the {@code >}, or -1 at EOF.
   */
  private int tagEnd(int i, boolean collect) {
    while (true) {
      boolean slash = false;
      while (i < n && (isSpace(s.charAt(i)) || s.charAt(i) == '/')) {
        slash = s.charAt(i) == '/';
        i++;
      }
      if (i >= n) {
        return -1;
      }
      if (s.charAt(i) == '>') {
        selfClosing = slash;
        return i + 1;
      }
      // Attribute name: the first character is part of it even when it is '='.
      int nameStart = i;
      i++;
      while (i < n && !endsAttributeName(s.charAt(i))) {
        i++;
      }
      int nameEnd = i;
      while (i < n && isSpace(s.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return -1;
      }
      if (s.charAt(i) != '=') {
        if (collect) {
          attributes.add(lowerName(nameStart, nameEnd), "");
        }
        continue;
      }
      i++;
      while (i < n && isSpace(s.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return -1;
      }
      char q = s.charAt(i);
      int valueStart;
      int valueEnd;
      if (q == '"' || q == '\'') {
        valueStart = i + 1;
        valueEnd = s.indexOf(q, valueStart);
        if (valueEnd < 0) {
          return -1;
        }
        i = valueEnd + 1;
      } else if (q == '>') {
        valueStart = i;
        valueEnd = i;
      } else {
        valueStart = i;
        while (i < n && !isSpace(s.charAt(i)) && s.charAt(i) != '>') {
          i++;
        }
        valueEnd = i;
      }
      if (collect) {
        attributes.add(lowerName(nameStart, nameEnd), value(valueStart, valueEnd));
      }
    }
  }

  /** Where the RCDATA or RAWTEXT content of {@code name}, starting at {@code i}, ends. */
  private int rawTextEnd(int i, String name) {
    int k = s.indexOf("</", i);
    while (k >= 0) {
      if (isEndTagOf(k + 2, name)) {
        return k;
      }
      k = s.indexOf("</", k + 2);
    }
    return n;
  }

  /** Whether {@code name} followed by whitespace, '/' or '>' starts at {@code i}, in any case. */
  private boolean isEndTagOf(int i, String name) {
    int after = i + name.length();
    return after < n
        && s.regionMatches(true, i, name, 0, name.length())
        && endsName(s.charAt(after));
  }

  /**
   * Where script data starting at {@code i} ends: at {@code </script}, except inside {@code <!--}
   * escaped text, where a {@code <script} makes the next {@code </script} not count.
   */
  private int scriptEnd(int i) {
    int p = i;
    while (true) {
      int lt = s.indexOf('<', p);
      if (lt < 0) {
        return n;
      }
      if (s.startsWith("</", lt) && isEndTagOf(lt + 2, "script")) {
        return lt;
      }
      if (s.startsWith("<!--", lt)) {
        p = escapedScriptEnd(lt + 4);
        if (p < 0) {
          return -p - 1;
        }
      } else {
        p = lt + 1;
      }
    }
  }

  /**
   * Script data escaped by {@code <!--}, from {@code i} (in the dash-dash state). Returns where
   * plain script data resumes, or {@code -(end + 1)} when {@code </script} ends the script at end.
   */
  private int escapedScriptEnd(int i) {
    int dashes = 2;
    boolean doubleEscaped = false;
    int p = i;
    while (p < n) {
      char c = s.charAt(p);
      if (c == '-') {
        dashes++;
        p++;
      } else if (c == '>' && dashes >= 2) {
        return p + 1;
      } else if (c == '<') {
        dashes = 0;
        if (s.startsWith("</", p) && isEndTagOf(p + 2, "script")) {
          if (!doubleEscaped) {
            return -p - 1;
          }
          doubleEscaped = false;
          p += 8;
        } else if (!doubleEscaped && isEndTagOf(p + 1, "script")) {
          doubleEscaped = true;
          p += 7;
        } else {
          p++;
        }
      } else {
        dashes = 0;
        p++;
      }
    }
    return -n - 1;
  }

  private String titleText(int start, int end) {
    String text = s.substring(start, end);
    if (text.indexOf('&') >= 0) {
      text = Parser.unescapeEntities(text, false);
    }
    return StringUtil.normaliseWhitespace(text.replace('\0', '\uFFFD')).strip();
  }

  private String value(int start, int end) {
    String v = s.substring(start, end);
    if (v.indexOf('&') >= 0) {
      v = Parser.unescapeEntities(v, true);
    }
    return v.indexOf('\0') >= 0 ? v.replace('\0', '\uFFFD') : v;
  }

  /** {@code s[start, end)} in lower case, without a copy when it is lower case already. */
  private String lowerName(int start, int end) {
    boolean lower = true;
    for (int k = start; k < end; k++) {
      char c = s.charAt(k);
      if ((c >= 'A' && c <= 'Z') || c == '\0') {
        lower = false;
        break;
      }
    }
    String name = s.substring(start, end);
    if (lower) {
      return name;
    }
    StringBuilder b = new StringBuilder(name.length());
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      b.append(c == '\0' ? '\uFFFD' : c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return b.toString();
  }

  /** Whether {@code s[start, end)} is {@code name}, in any case. */
  private boolean is(int start, int end, String name) {
    return end - start == name.length() && s.regionMatches(true, start, name, 0, name.length());
  }

  private boolean isWhitespace(int start, int end) {
    for (int k = start; k < end; k++) {
      if (!isSpace(s.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  private static final int SPACE = 1;
  private static final int ENDS_NAME = 2;
  private static final int ENDS_ATTRIBUTE_NAME = 4;

  /** Character classes of ASCII, so the tag loops test one table entry per character. */
  private static final byte[] CLASSES = classes();

  private static byte[] classes() {
    byte[] classes = new byte[128];
    for (char c : new char[] {' ', '\n', '\t', '\r', '\f'}) {
      classes[c] = SPACE | ENDS_NAME | ENDS_ATTRIBUTE_NAME;
    }
    classes['/'] = ENDS_NAME | ENDS_ATTRIBUTE_NAME;
    classes['>'] = ENDS_NAME | ENDS_ATTRIBUTE_NAME;
    classes['='] = ENDS_ATTRIBUTE_NAME;
    return classes;
  }

  private static boolean endsName(char c) {
    return c < 128 && (CLASSES[c] & ENDS_NAME) != 0;
  }

  private static boolean endsAttributeName(char c) {
    return c < 128 && (CLASSES[c] & ENDS_ATTRIBUTE_NAME) != 0;
  }

  private static boolean isSpace(char c) {
    return c < 128 && (CLASSES[c] & SPACE) != 0;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** The HTML standard's rules for leaving SVG and MathML. */
  private static final class ForeignContent {
    private ForeignContent() {}

    /** A start tag that tree construction treats as HTML even inside SVG or MathML. */
    static boolean breaksOut(String name, TagAttributes attributes) {
      return switch (name) {
        case "b",
            "big",
            "blockquote",
            "body",
            "br",
            "center",
            "code",
            "dd",
            "div",
            "dl",
            "dt",
            "em",
            "embed",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "head",
            "hr",
            "i",
            "img",
            "li",
            "listing",
            "menu",
            "meta",
            "nobr",
            "ol",
            "p",
            "pre",
            "ruby",
            "s",
            "small",
            "span",
            "strong",
            "strike",
            "sub",
            "sup",
            "table",
            "tt",
            "u",
            "ul",
            "var" ->
            true;
        case "font" -> attributes.has("color") || attributes.has("face") || attributes.has("size");
        default -> false;
      };
    }

    /** An element whose content is parsed as HTML (or may be): SVG's and MathML's. */
    static boolean isIntegrationPoint(String name) {
      return switch (name) {
        case "foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml" ->
            true;
        default -> false;
      };
    }
  }

  /** Start tags tree construction takes in the head (or after it) without opening the body. */
  private static final class HeadTags {
    private HeadTags() {}

    static boolean allowedInHead(String name) {
      return switch (name) {
        case "html",
            "head",
            "base",
            "basefont",
            "bgsound",
            "link",
            "meta",
            "noframes",
            "script",
            "style",
            "template",
            "title",
            "noscript" ->
            true;
        default -> false;
      };
    }
  }

  /** The attributes of the current tag; the first of a repeated name wins, as in the tokenizer. */
  private static final class TagAttributes implements PageScan.Attributes {
    private String[] names = new String[8];
    private String[] values = new String[8];
    private int size;

    void clear() {
      size = 0;
    }

    void add(String name, String value) {
      for (int k = 0; k < size; k++) {
        if (names[k].equals(name)) {
          return;
        }
      }
      if (size == names.length) {
        names = java.util.Arrays.copyOf(names, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      names[size] = name;
      values[size] = value;
      size++;
    }

    @Override
    public boolean has(String name) {
      for (int k = 0; k < size; k++) {
        if (names[k].equals(name)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String get(String name) {
      for (int k = 0; k < size; k++) {
        if (names[k].equals(name)) {
          return values[k];
        }
      }
      return "";
    }
  }
}
