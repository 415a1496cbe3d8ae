package io.duocrawl.common.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PageParserTest {
  private static final String URL = "https://www.example.com/dir/page.html";
  private final PageParser parser = PageParser.create();

  private ParsedPage parse(String resource, String contentType) {
    byte[] body = bytes(resource);
    return parser.parse(body, body.length, URL, contentType);
  }

  private ParsedPage parse(String resource) {
    return parse(resource, "text/html");
  }

  private static byte[] bytes(String resource) {
    try (InputStream in = PageParserTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void duplicateLinksAreListedOnceInDocumentOrder() {
    ParsedPage page = parse("duplicateLinks.html");

    assertThat(page.links()).containsExactly("/", "/about", "/blog/", "/about#team");
    assertThat(page.nofollowLinks()).isZero();
    assertThat(page.title()).isEqualTo("Duplicate links");
    assertThat(page.url()).isEqualTo(URL);
    assertThat(page.baseUrl()).isEqualTo(URL);
  }

  @Test
  void theFirstBaseHrefIsResolvedAgainstThePageUrl() {
    ParsedPage page = parse("baseHrefRelativeLinks.html");

    assertThat(page.baseUrl()).isEqualTo("https://www.example.com/static/v2/");
    assertThat(page.links())
        .containsExactly("page.html", "/root.html", "https://other.example.org/x");
  }

  @Test
  void anUnusableBaseHrefIsIgnored() {
    ParsedPage page = parse("baseHrefUnusable.html");

    assertThat(page.baseUrl()).isEqualTo(URL);
    assertThat(page.links()).containsExactly("page.html");
  }

  @Test
  void relNofollowLinksAreLeftOutAndCounted() {
    ParsedPage page = parse("nofollowLinks.html");

    assertThat(page.links()).containsExactly("/followed", "/external", "/area-followed");
    assertThat(page.nofollowLinks()).isEqualTo(3);
    assertThat(page.nofollow()).isFalse();
  }

  @Test
  void metaRobotsNofollowLeavesOutEveryLink() {
    ParsedPage page = parse("nofollowMetaRobots.html");

    assertThat(page.nofollow()).isTrue();
    assertThat(page.noindex()).isFalse();
    assertThat(page.links()).isEmpty();
    assertThat(page.nofollowLinks()).isEqualTo(3);
  }

  @Test
  void metaRobotsNoindexIsReportedAndOtherAgentsMetasAreNot() {
    ParsedPage page = parse("noindexMetaRobots.html");

    assertThat(page.noindex()).isTrue();
    assertThat(page.nofollow()).isFalse();
    assertThat(page.links()).containsExactly("/a");
  }

  @Test
  void metaRobotsNoneMeansNoindexAndNofollow() {
    ParsedPage page = parse("metaRobotsNone.html");

    assertThat(page.noindex()).isTrue();
    assertThat(page.nofollow()).isTrue();
    assertThat(page.links()).isEmpty();
    assertThat(page.nofollowLinks()).isEqualTo(1);
  }

  @Test
  void metaRefreshTargetIsALink() {
    assertThat(parse("metaRefresh.html").links()).containsExactly("/new-location?from=old");
    assertThat(parse("metaRefreshWithoutUrl.html").links()).containsExactly("/a");
  }

  @Test
  void anchorsInScriptsCommentsTextareasAndTitlesAreNotLinks() {
    ParsedPage page = parse("linksInScriptCommentTextarea.html");

    assertThat(page.links()).containsExactly("/real");
    assertThat(page.title()).isEqualTo("Not links");
  }

  @Test
  void iframesAndImageMapAreasAreLinksButStylesheetsAndScriptsAreNot() {
    ParsedPage page = parse("framesAndAreas.html");

    assertThat(page.links()).containsExactly("https://widgets.example.net/embed", "/area-one");
  }

  @Test
  void framesOfAFramesetAreLinks() {
    assertThat(parse("frameset.html").links()).containsExactly("left.html", "/right.html");
  }

  @Test
  void malformedMarkupStillYieldsItsLinks() {
    ParsedPage page = parse("malformed.html");

    assertThat(page.links()).startsWith("/unquoted", "/single", "/Upper", "/in-table");
    assertThat(page.title()).isEqualTo("Broken <b>page");
  }

  @Test
  void canonicalIsTheFirstRelCanonicalAndTitleWhitespaceIsCollapsed() {
    ParsedPage page = parse("canonicalAndTitle.html");

    assertThat(page.canonical()).contains("https://www.example.com/canonical");
    assertThat(page.title()).isEqualTo("A spaced title");
    assertThat(page.links()).containsExactly("", "#top");
  }

  @Test
  void aPageWithoutCanonicalOrTitleHasEmptyOnes() {
    byte[] body = "<p>bare".getBytes(StandardCharsets.UTF_8);
    ParsedPage page = parser.parse(body, body.length, URL, "");

    assertThat(page.canonical()).isEmpty();
    assertThat(page.title()).isEmpty();
    assertThat(page.links()).isEmpty();
    assertThat(page.charset()).isEqualTo("UTF-8");
  }

  @Test
  void metaCharsetDecodesALatin1Page() {
    ParsedPage page = parse("metaCharsetLatin1.html", "text/html");

    // The page says iso-8859-1; browsers (WHATWG Encoding Standard) read that label as
    // windows-1252.
    assertThat(page.charset()).isEqualTo("windows-1252");
    assertThat(page.title()).isEqualTo("Café für Jürgen");
    assertThat(page.links()).containsExactly("/café");
  }

  @Test
  void httpEquivContentTypeDecodesACyrillicPage() {
    ParsedPage page = parse("httpEquivCharsetCyrillic.html", "");

    assertThat(page.charset()).isEqualTo("windows-1251");
    assertThat(page.title()).isEqualTo("Привет");
  }

  @Test
  void theHeaderCharsetWinsOverTheMetaCharset() {
    ParsedPage page = parse("metaCharsetLatin1.html", "text/html; Charset=\"windows-1252\"");

    assertThat(page.charset()).isEqualTo("windows-1252");
    assertThat(page.title()).isEqualTo("Café für Jürgen");
  }

  @Test
  void anUnknownHeaderCharsetFallsBackToDetection() {
    ParsedPage page = parse("metaCharsetLatin1.html", "text/html; charset=no-such-charset!");

    assertThat(page.charset()).isEqualTo("windows-1252");
    assertThat(page.title()).isEqualTo("Café für Jürgen");
  }

  @Test
  void anUnknownMetaCharsetFallsBackToUtf8() {
    ParsedPage page = parse("metaCharsetUnknown.html", "");

    assertThat(page.charset()).isEqualTo("UTF-8");
    assertThat(page.title()).isEqualTo("Unknown charset, UTF-8 bytes: naïve");
  }

  @Test
  void aByteOrderMarkWinsOverEverything() {
    ParsedPage page = parse("bomUtf16.html", "text/html; charset=iso-8859-1");

    assertThat(page.charset()).isEqualTo("UTF-16");
    assertThat(page.title()).isEqualTo("UTF-16 Straße");
    assertThat(page.links()).containsExactly("/straße");
  }

  @Test
  void onlyTheGivenLengthOfTheBodyIsRead() {
    byte[] body = "<a href=/one>1</a><a href=/two>2</a>".getBytes(StandardCharsets.UTF_8);

    assertThat(parser.parse(body, 18, URL, "").links()).containsExactly("/one");
    assertThatThrownBy(() -> parser.parse(body, body.length + 1, URL, ""))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void garbageBytesDoNotThrow() {
    Random random = new Random(42);
    for (int i = 0; i < 50; i++) {
      byte[] garbage = new byte[random.nextInt(20_000)];
      random.nextBytes(garbage);
      String contentType = i % 2 == 0 ? "" : "text/html; charset=utf-16";
      assertThatCode(() -> parser.parse(garbage, garbage.length, URL, contentType))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void truncatedHtmlDoesNotThrow() {
    byte[] page = bytes("baseHrefRelativeLinks.html");
    for (int length = 0; length <= page.length; length += 7) {
      int cut = length;
      assertThatCode(() -> parser.parse(page, cut, URL, "")).doesNotThrowAnyException();
    }
  }

  @Test
  void aThreeMegabytePageParsesWithAllItsLinks() {
    StringBuilder html = new StringBuilder("<html><head><title>Big</title></head><body>");
    int links = 0;
    while (html.length() < 3_000_000) {
      html.append("<div class=row><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.")
          .append(" <a href=\"/item/")
          .append(links++)
          .append("\">item</a></p></div>\n");
    }
    byte[] body = html.toString().getBytes(StandardCharsets.UTF_8);

    ParsedPage page = parser.parse(body, body.length, URL, "text/html; charset=utf-8");

    assertThat(page.links()).hasSize(links);
    assertThat(page.title()).isEqualTo("Big");
  }

  @Test
  void theDocumentIsThereForScrapers() {
    ParsedPage page = parse("duplicateLinks.html");

    assertThat(page.document().select("nav a").eachText()).containsExactly("Home", "About", "Blog");
    assertThat(page.document().select("a").first().absUrl("href"))
        .isEqualTo("https://www.example.com/");
  }

  @Test
  void htmlContentTypesAreRecognized() {
    assertThat(PageParser.isHtml("text/html")).isTrue();
    assertThat(PageParser.isHtml("TEXT/HTML; charset=UTF-8")).isTrue();
    assertThat(PageParser.isHtml(" application/xhtml+xml ")).isTrue();
    assertThat(PageParser.isHtml("")).isTrue();
    assertThat(PageParser.isHtml("text/plain")).isFalse();
    assertThat(PageParser.isHtml("application/pdf")).isFalse();
    assertThat(PageParser.isHtml("text/htmlx")).isFalse();
    assertThat(PageParser.isHtml("image/svg+xml")).isFalse();
  }
}
