package io.duocrawl.common.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.common.Rejection;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BaseUrlTest {
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
  private final UrlNormalizer urls = UrlNormalizer.create();

  @Test
  void aPreparedBaseResolvesRelativeAndAbsoluteHrefs() {
    BaseUrl base = urls.base("HTTPS://Example.COM:443/docs/guide/intro.html?lang=en#top");

    assertThat(base.check())
        .isEqualTo(new UrlCheck.Valid("https://example.com/docs/guide/intro.html?lang=en"));
    assertThat(base.resolve("../img/a b.png"))
        .isEqualTo(new UrlCheck.Valid("https://example.com/docs/img/a%20b.png"));
    assertThat(base.resolve("/root")).isEqualTo(new UrlCheck.Valid("https://example.com/root"));
    assertThat(base.resolve("?page=2"))
        .isEqualTo(new UrlCheck.Valid("https://example.com/docs/guide/intro.html?page=2"));
    assertThat(base.resolve("#x"))
        .isEqualTo(new UrlCheck.Valid("https://example.com/docs/guide/intro.html?lang=en"));
    assertThat(base.resolve("//cdn.example.net/x.js"))
        .isEqualTo(new UrlCheck.Valid("https://cdn.example.net/x.js"));
    assertThat(base.resolve("http://other.org")).isEqualTo(new UrlCheck.Valid("http://other.org/"));
    assertThat(base.resolve("https:relative"))
        .isEqualTo(new UrlCheck.Valid("https://example.com/docs/guide/relative"));
  }

  @Test
  void badHrefsAreInvalidWithTheHrefAsInputAndNeverThrow() {
    BaseUrl base = urls.base("http://example.com/a/");

    assertThat(base.resolve("mailto:x@example.com"))
        .isEqualTo(new UrlCheck.Invalid(Rejection.UNSUPPORTED_SCHEME, "mailto:x@example.com"));
    assertThat(base.resolve("http://exa mple.com/"))
        .isEqualTo(new UrlCheck.Invalid(Rejection.MALFORMED, "http://exa mple.com/"));
    assertThat(base.resolve("//0x100000000/"))
        .isEqualTo(new UrlCheck.Invalid(Rejection.MALFORMED, "//0x100000000/"));
  }

  @Test
  void aBadBaseStillResolvesAbsoluteHrefsAndRejectsRelativeOnesWithTheBaseAsInput() {
    BaseUrl base = urls.base("not a url");

    assertThat(base.check()).isEqualTo(new UrlCheck.Invalid(Rejection.MALFORMED, "not a url"));
    assertThat(base.resolve("https://example.com/x"))
        .isEqualTo(new UrlCheck.Valid("https://example.com/x"));
    assertThat(base.resolve("page.html"))
        .isEqualTo(new UrlCheck.Invalid(Rejection.MALFORMED, "not a url"));
  }

  @Test
  void queryTextIsEncodedInTheDocumentsEncodingAndPathsInUtf8() {
    BaseUrl latin = urls.base("http://example.com/dir/", WINDOWS_1252);

    assertThat(latin.resolve("?q=é"))
        .isEqualTo(new UrlCheck.Valid("http://example.com/dir/?q=%E9"));
    assertThat(latin.resolve("café?q=café€"))
        .isEqualTo(new UrlCheck.Valid("http://example.com/dir/caf%C3%A9?q=caf%E9%80"));
    assertThat(latin.resolve("http://other.org/?q=é"))
        .isEqualTo(new UrlCheck.Valid("http://other.org/?q=%E9"));
    assertThat(urls.base("http://example.com/", StandardCharsets.UTF_8).resolve("?q=é"))
        .isEqualTo(new UrlCheck.Valid("http://example.com/?q=%C3%A9"));
  }

  @Test
  void aCharacterTheEncodingCannotWriteBecomesAnEscapedNumericReference() {
    BaseUrl latin1 = urls.base("http://example.com/", StandardCharsets.ISO_8859_1);

    assertThat(latin1.resolve("?q=€1"))
        .isEqualTo(new UrlCheck.Valid("http://example.com/?q=%26%238364%3B1"));
  }

  @Test
  void utf16PagesEncodeQueriesInUtf8AsBrowsersDo() {
    assertThat(urls.base("http://example.com/", StandardCharsets.UTF_16LE).resolve("?q=é"))
        .isEqualTo(new UrlCheck.Valid("http://example.com/?q=%C3%A9"));
  }

  @Test
  void asciiBytesInsideAMultiByteCharacterFollowTheAsciiRulesSoTheFormIsStable() {
    // Shift_JIS writes U+30BD as 0x83 0x5C: the second byte is "\", which a query escapes.
    UrlCheck check = urls.base("http://example.jp/", Charset.forName("Shift_JIS")).resolve("?q=ソ");

    assertThat(check).isEqualTo(new UrlCheck.Valid("http://example.jp/?q=%83%5C"));
    assertThat(urls.normalize("http://example.jp/?q=%83%5C")).isEqualTo(check);
  }

  @Test
  void nullArgumentsAreMisuse() {
    assertThatThrownBy(() -> urls.base(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> urls.base("http://a/", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> urls.base("http://a/").resolve(null))
        .isInstanceOf(NullPointerException.class);
  }
}
