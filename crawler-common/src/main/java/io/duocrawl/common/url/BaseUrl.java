package io.duocrawl.common.url;

import java.nio.charset.Charset;
import java.util.Objects;

/**
 * A base URL parsed once, to resolve every {@code href} of one page against: {@code
 * base.resolve(href)} gives exactly what {@link UrlNormalizer#resolve(String, String)} gives for
 * that base and href, without canonicalizing the base again for each link. Immutable and
 * thread-safe; made by {@link UrlNormalizer#base(String)} or {@link UrlNormalizer#base(String,
 * Charset)}.
 *
 * <pre>{@code
 * BaseUrl base = urls.base(page.baseUrl(), Charset.forName(page.charset()));
 * for (String href : page.links()) {
 *   if (base.resolve(href) instanceof UrlCheck.Valid valid) {
 *     frontier.offer(valid.url());
 *   }
 * }
 * }</pre>
 *
 * <p>A base that cannot be canonicalized still resolves absolute hrefs; a relative href under it is
 * {@link UrlCheck.Invalid} with the base's reason and the base as {@code input}, as with {@link
 * UrlNormalizer#resolve}.
 */
public final class BaseUrl {
  private final String input;
  private final String cleaned;
  private final UrlCheck check;
  private final Charset queryCharset;
  // Indices into the canonical base, found once: where its path starts and ends, and the end of
  // its directory (after the last slash of the path). -1 when the base is invalid.
  private final int pathStart;
  private final int pathEnd;
  private final int directoryEnd;

  BaseUrl(String baseUrl, Charset documentCharset) {
    this.input = Objects.requireNonNull(baseUrl, "baseUrl");
    this.queryCharset =
        PercentEncoding.queryCharset(Objects.requireNonNull(documentCharset, "documentCharset"));
    this.cleaned = Canonicalizer.clean(baseUrl);
    UrlCheck c;
    try {
      c = new UrlCheck.Valid(Canonicalizer.canonicalize(cleaned));
    } catch (UrlSyntaxException e) {
      c = new UrlCheck.Invalid(e.reason(), baseUrl);
    }
    this.check = c;
    if (c instanceof UrlCheck.Valid valid) {
      String url = valid.url();
      // A canonical URL always has a path, so this finds the slash that starts it.
      pathStart = url.indexOf('/', url.indexOf(':') + 3);
      int query = url.indexOf('?', pathStart);
      pathEnd = query < 0 ? url.length() : query;
      directoryEnd = url.lastIndexOf('/', pathEnd - 1) + 1;
    } else {
      pathStart = -1;
      pathEnd = -1;
      directoryEnd = -1;
    }
  }

  /**
   * The canonical form of the base, or why it has none: what {@link UrlNormalizer#normalize} says
   * of it.
   */
  public UrlCheck check() {
    return check;
  }

  /**
   * Resolves a raw {@code href} against this base and normalizes the result; see {@link
   * UrlNormalizer#resolve(String, String)} for the rules. Never throws for bad input.
   *
   * @param href the attribute value as written in the page
   * @return the canonical URL, or why there is none; the {@code input} of an {@link
   *     UrlCheck.Invalid} is {@code href}, or the base URL when the base was the problem
   */
  public UrlCheck resolve(String href) {
    Objects.requireNonNull(href, "href");
    String h = Canonicalizer.clean(href);
    int start;
    try {
      start = Canonicalizer.relativeStart(h, cleaned);
      if (start < 0) {
        return new UrlCheck.Valid(Canonicalizer.canonicalize(h, queryCharset));
      }
    } catch (UrlSyntaxException e) {
      return new UrlCheck.Invalid(e.reason(), href);
    }
    if (!(check instanceof UrlCheck.Valid valid)) {
      return check;
    }
    try {
      return new UrlCheck.Valid(resolveRelative(valid.url(), start == 0 ? h : h.substring(start)));
    } catch (UrlSyntaxException e) {
      return new UrlCheck.Invalid(e.reason(), href);
    }
  }

  private String resolveRelative(String base, String h) throws UrlSyntaxException {
    if (h.isEmpty() || h.charAt(0) == '#') {
      return base; // canonical already, and the fragment is dropped anyway
    }
    if (Canonicalizer.startsWithTwoSlashes(h, 0)) {
      return Canonicalizer.canonicalize(base.substring(0, base.indexOf(':') + 1) + h, queryCharset);
    }
    // The base is canonical: its scheme and authority are copied, not parsed again, and only the
    // href's part goes through the canonicalizer.
    StringBuilder out = new StringBuilder(base.length() + h.length() + 16);
    char first = h.charAt(0);
    if (Canonicalizer.isSlash(first)) {
      out.append(base, 0, pathStart);
    } else if (first == '?') {
      out.append(base, 0, pathEnd);
    } else {
      // Merge (RFC 3986 5.2.3): the base path up to its last slash, then the reference; dot
      // segments of the whole merged path go in finish.
      out.append(base, 0, directoryEnd);
    }
    return Canonicalizer.finish(out, pathStart, h, 0, queryCharset);
  }

  /** The base URL as given, for logs. */
  @Override
  public String toString() {
    return input;
  }
}
