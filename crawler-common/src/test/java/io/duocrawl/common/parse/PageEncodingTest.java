package io.duocrawl.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How a page's bytes become text: the WHATWG Encoding Standard's labels and order of sources. */
class PageEncodingTest {
  private static final String URL = "https://www.example.com/dir/page.html";
  private final PageParser parser = PageParser.create();

  private ParsedPage parse(String resource, String contentType) {
    byte[] body = bytes(resource);
    return parser.parse(body, body.length, URL, contentType);
  }

  private static byte[] bytes(String resource) {
    try (InputStream in = PageEncodingTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void anIso88591HeaderDecodesByte0x80AsTheEuroSign() {
    ParsedPage page = parse("latin1Label0x80IsEuro.html", "text/html; charset=iso-8859-1");

    assertThat(page.charset()).isEqualTo("windows-1252");
    assertThat(page.title()).isEqualTo("Price € 5");
    assertThat(page.links()).containsExactly("/euro-€");
  }

  @Test
  void latin1UsAsciiAndAsciiLabelsAllMeanWindows1252() {
    for (String label : new String[] {"latin1", "US-ASCII", "ascii", " ISO-8859-1 ", "l1"}) {
      ParsedPage page = parse("latin1Label0x80IsEuro.html", "text/html; charset=" + label);

      assertThat(page.charset()).as(label).isEqualTo("windows-1252");
      assertThat(page.title()).as(label).isEqualTo("Price € 5");
    }
  }

  @Test
  void standardLabelsMapToTheirEncodings() {
    assertThat(Encodings.forLabel("utf8")).contains(StandardCharsets.UTF_8);
    assertThat(Encodings.forLabel("unicode-1-1-utf-8")).contains(StandardCharsets.UTF_8);
    assertThat(Encodings.forLabel("iso-8859-9").orElseThrow().name()).isEqualTo("windows-1254");
    assertThat(Encodings.forLabel("gb2312").orElseThrow().name()).isEqualTo("GB18030");
    assertThat(Encodings.forLabel("shift_jis").orElseThrow().name()).isEqualTo("windows-31j");
    assertThat(Encodings.forLabel("utf-16")).contains(StandardCharsets.UTF_16LE);
    assertThat(Encodings.forLabel("iso-2022-kr")).contains(Encodings.REPLACEMENT);
    assertThat(Encodings.forLabel("no-such-label")).isEmpty();
    assertThat(Encodings.forLabel("utf-32")).isEmpty();
  }

  @Test
  void theUndefinedWindows1252BytesDecodeToC1Controls() {
    byte[] body = {'<', 'p', '>', (byte) 0x81, (byte) 0x9D, (byte) 0x80};

    assertThat(Encodings.decode(body, body.length, Encodings.WINDOWS_1252))
        .isEqualTo("<p>\u0081\u009D€");
  }

  @Test
  void aLatin1LabelInAMetaHttpEquivIsWindows1252Too() {
    ParsedPage page = parse("httpEquivLatin1Label.html", "text/html");

    assertThat(page.charset()).isEqualTo("windows-1252");
    assertThat(page.title()).isEqualTo("“quoted”");
  }

  @Test
  void aUtf8ByteOrderMarkWinsOverTheHeaderAndIsNotText() {
    ParsedPage page = parse("bomUtf8OverHeader.html", "text/html; charset=windows-1251");

    assertThat(page.charset()).isEqualTo("UTF-8");
    assertThat(page.title()).isEqualTo("Straße");
    assertThat(page.document().html()).doesNotContain("\uFEFF");
  }

  @Test
  void aMetaInsideACommentIsNotRead() {
    ParsedPage page = parse("metaCharsetAfterComment.html", "");

    assertThat(page.charset()).isEqualTo("windows-1251");
    assertThat(page.document().body().text()).isEqualTo("При");
  }

  @Test
  void aMetaBeyondTheFirst1024BytesIsNotRead() {
    ParsedPage page = parse("metaCharsetBeyond1024Bytes.html", "");

    assertThat(page.charset()).isEqualTo("UTF-8");
  }

  @Test
  void aMetaSayingUtf16OnAnAsciiCompatiblePageMeansUtf8() {
    ParsedPage page = parse("metaUtf16ReadsAsUtf8.html", "");

    assertThat(page.charset()).isEqualTo("UTF-8");
    assertThat(page.title()).isEqualTo("naïve");
  }

  @Test
  void theReplacementEncodingTurnsTheWholeBodyIntoOneReplacementCharacter() {
    byte[] body = "<a href=/x>x</a>".getBytes(StandardCharsets.US_ASCII);

    ParsedPage page = parser.parse(body, body.length, URL, "text/html; charset=iso-2022-kr");

    assertThat(page.charset()).isEqualTo("replacement");
    assertThat(page.links()).isEmpty();
    assertThat(page.document().body().text()).isEqualTo("\uFFFD");
  }

  @Test
  void theDocumentIsBuiltOnceOnFirstUse() {
    ParsedPage page = parse("latin1Label0x80IsEuro.html", "text/html; charset=latin1");

    assertThat(page.document()).isSameAs(page.document());
    assertThat(page.document().charset().name()).isEqualTo("windows-1252");
    assertThat(page.document().title()).isEqualTo(page.title());
  }
}
