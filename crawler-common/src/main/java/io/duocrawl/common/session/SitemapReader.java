package io.duocrawl.common.session;

import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;
import crawlercommons.sitemaps.UnknownFormatException;
import io.duocrawl.common.sitemap.SitemapOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * One sitemap's bytes to the URLs it lists, through crawler-commons' {@link SiteMapParser}, with
 * the caps crawler-commons does not apply: gzip is inflated here, at most {@code maxBytes} (a gzip
 * bomb stops there), and the parse is handed plain bytes. Stateless and thread-safe (a parser per
 * call: crawler-commons' keeps state).
 */
final class SitemapReader {
  private SitemapReader() {}

  /**
   * What a sitemap held: page URLs, or (for an index) sitemap URLs, or why neither ({@code reason},
   * empty when parsed).
   */
  record Read(
      SitemapOutcome outcome, boolean index, List<String> urls, List<Entry> pages, String reason) {
    static Read failed(SitemapOutcome outcome, String reason) {
      return new Read(outcome, false, List.of(), List.of(), reason);
    }
  }

  /** A page URL of a urlset, with its {@code <lastmod>} when the entry had one. */
  record Entry(String url, Optional<Instant> lastmod) {}

  static Read read(String url, byte[] body, int length, long maxBytes) {
    byte[] bytes;
    int size;
    if (length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
      try {
        bytes = inflate(body, length, maxBytes);
      } catch (IOException e) {
        return Read.failed(SitemapOutcome.MALFORMED, "broken gzip: " + e.getMessage());
      }
      if (bytes.length > maxBytes) {
        return Read.failed(SitemapOutcome.TOO_LARGE, "over " + maxBytes + " bytes after inflating");
      }
      size = bytes.length;
    } else {
      bytes = body;
      size = length;
    }
    byte[] content = size == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, size);
    AbstractSiteMap parsed;
    try {
      URL base = URI.create(url).toURL();
      parsed = new SiteMapParser(false).parseSiteMap(contentType(content), content, base);
    } catch (UnknownFormatException | IOException | IllegalArgumentException e) {
      return Read.failed(SitemapOutcome.MALFORMED, String.valueOf(e.getMessage()));
    }
    List<String> urls = new ArrayList<>();
    if (parsed instanceof SiteMapIndex index) {
      for (AbstractSiteMap child : index.getSitemaps()) {
        urls.add(child.getUrl().toString());
      }
      return new Read(SitemapOutcome.PARSED, true, urls, List.of(), "");
    }
    if (parsed instanceof SiteMap map) {
      if (!map.isProcessed() && map.getSiteMapUrls().isEmpty()) {
        return Read.failed(SitemapOutcome.MALFORMED, "not a sitemap crawler-commons could read");
      }
      List<Entry> pages = new ArrayList<>();
      for (SiteMapURL entry : map.getSiteMapUrls()) {
        String page = entry.getUrl().toString();
        urls.add(page);
        Date lastmod = entry.getLastModified();
        pages.add(new Entry(page, Optional.ofNullable(lastmod).map(Date::toInstant)));
      }
      return new Read(SitemapOutcome.PARSED, false, urls, pages, "");
    }
    return new Read(SitemapOutcome.PARSED, false, urls, List.of(), "");
  }

  /** The content type the parser needs: XML (sitemap, RSS, Atom) or text, sniffed. */
  private static String contentType(byte[] content) {
    for (byte b : content) {
      if (b == '<') {
        return "application/xml";
      }
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && (b & 0xff) < 0x80) {
        return "text/plain";
      }
    }
    return "text/plain";
  }

  /** Inflates at most {@code max + 1} bytes: one past the cap says "too large". */
  private static byte[] inflate(byte[] body, int length, long max) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body, 0, length), 8192)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(max + 1, 64 * 1024));
      byte[] chunk = new byte[8192];
      long limit = max + 1;
      long total = 0;
      while (total < limit) {
        int n = in.read(chunk, 0, (int) Math.min(chunk.length, limit - total));
        if (n < 0) {
          break;
        }
        out.write(chunk, 0, n);
        total += n;
      }
      return out.toByteArray();
    }
  }

  /** Whether {@code url} is a URL the parser can take. */
  static boolean parsable(String url) {
    try {
      URI.create(url).toURL();
      return true;
    } catch (IllegalArgumentException | MalformedURLException e) {
      return false;
    }
  }
}
