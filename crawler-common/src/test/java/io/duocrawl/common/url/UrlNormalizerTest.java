package io.duocrawl.common.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.duocrawl.common.Rejection;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlNormalizerTest {
  private final UrlNormalizer urls = UrlNormalizer.create();

  static Stream<Arguments> canonicalForms() {
    return Stream.of(
        // scheme and host case, IDN, trailing dot, userinfo
        arguments("HTTP://Example.COM/", "http://example.com/"),
        arguments("hTTpS://WWW.example.com/Path", "https://www.example.com/Path"),
        arguments("http://bücher.de/", "http://xn--bcher-kva.de/"),
        arguments("http://BÜCHER.de/", "http://xn--bcher-kva.de/"),
        arguments("http://xn--bcher-kva.de/", "http://xn--bcher-kva.de/"),
        arguments("http://例え.jp/", "http://xn--r8jz45g.jp/"),
        arguments("http://example.com./a", "http://example.com/a"),
        arguments("http://user:pass@example.com/", "http://example.com/"),
        arguments("http://a@b@example.com/", "http://example.com/"),
        arguments("http://ex%41mple.com/", "http://example.com/"),
        arguments("http://my_host.example.com/", "http://my_host.example.com/"),
        arguments("http://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/"),
        arguments("http://[::1]/", "http://[::1]/"),
        arguments("http://127.0.0.1:80/", "http://127.0.0.1/"),
        // IDNA per UTS #46, not IDNA2003: ß and ς are kept, not mapped to ss and σ
        arguments("http://faß.de/", "http://xn--fa-hia.de/"),
        arguments("http://FASS.de/", "http://fass.de/"),
        arguments("http://xn--fa-hia.de/", "http://xn--fa-hia.de/"),
        arguments("http://ＥＸＡＭＰＬＥ．ｃｏｍ/", "http://example.com/"),
        arguments("http://😀.example/", "http://xn--e28h.example/"),
        // IPv4 in every form browsers accept
        arguments("http://0x7f.1/", "http://127.0.0.1/"),
        arguments("http://2130706433/", "http://127.0.0.1/"),
        arguments("http://0177.0.0.1/", "http://127.0.0.1/"),
        arguments("http://127.1/", "http://127.0.0.1/"),
        arguments("http://0x7F.0.0.0x1/", "http://127.0.0.1/"),
        arguments("http://127.0.0.1./", "http://127.0.0.1/"),
        arguments("http://%31%32%37.0.0.1/", "http://127.0.0.1/"),
        arguments("http://0x/", "http://0.0.0.0/"),
        // IPv6 in its canonical compressed form
        arguments("http://[0:0::1]/", "http://[::1]/"),
        arguments("http://[0000:0000:0000:0000:0000:0000:0000:0001]/", "http://[::1]/"),
        arguments("http://[2001:DB8:0:0:1:0:0:1]/", "http://[2001:db8::1:0:0:1]/"),
        arguments("http://[1:0:0:2::3:0]/", "http://[1::2:0:0:3:0]/"),
        arguments("http://[::ffff:192.168.0.1]/", "http://[::ffff:c0a8:1]/"),
        arguments("http://[::]/", "http://[::]/"),
        // ports
        arguments("http://example.com:80/a", "http://example.com/a"),
        arguments("https://example.com:443/a", "https://example.com/a"),
        arguments("http://example.com:443/a", "http://example.com:443/a"),
        arguments("https://example.com:80/", "https://example.com:80/"),
        arguments("http://example.com:8080", "http://example.com:8080/"),
        arguments("http://example.com:08080/", "http://example.com:8080/"),
        arguments("http://example.com:/a", "http://example.com/a"),
        // path
        arguments("http://example.com", "http://example.com/"),
        arguments("http://example.com?q", "http://example.com/?q"),
        arguments("http://example.com/a/./b/../c", "http://example.com/a/c"),
        arguments("http://example.com/a/b/..", "http://example.com/a/"),
        arguments("http://example.com/a/b/.", "http://example.com/a/b/"),
        arguments("http://example.com/../../a", "http://example.com/a"),
        arguments("http://example.com/a/%2E%2E/b", "http://example.com/b"),
        arguments("http://example.com/a/.%2e/b", "http://example.com/b"),
        arguments("http://example.com/a//b/", "http://example.com/a//b/"),
        arguments("http://example.com/a/..b/c.", "http://example.com/a/..b/c."),
        arguments("http:\\\\example.com\\a\\b", "http://example.com/a/b"),
        arguments("http:example.com/a", "http://example.com/a"),
        // percent-encoding
        arguments("http://example.com/%7euser/%41%62%2D%5F", "http://example.com/~user/Ab-_"),
        arguments("http://example.com/a%2fb%3a", "http://example.com/a%2Fb%3A"),
        arguments("http://example.com/a b", "http://example.com/a%20b"),
        arguments("http://example.com/café", "http://example.com/caf%C3%A9"),
        arguments("http://example.com/caf%c3%a9", "http://example.com/caf%C3%A9"),
        arguments("http://example.com/😀", "http://example.com/%F0%9F%98%80"),
        arguments(
            "http://example.com/a|b^c`{d}\"<>", "http://example.com/a%7Cb%5Ec%60%7Bd%7D%22%3C%3E"),
        arguments("http://example.com/?x=[1]&y=a\\b", "http://example.com/?x=%5B1%5D&y=a%5Cb"),
        arguments("http://example.com/50%", "http://example.com/50%25"),
        arguments("http://example.com/%zz%4", "http://example.com/%25zz%254"),
        arguments("http://example.com/%25zz", "http://example.com/%25zz"),
        arguments("http://example.com/;p=1:@!$&'()*+,", "http://example.com/;p=1:@!$&'()*+,"),
        // query and fragment
        arguments("http://example.com/?", "http://example.com/"),
        arguments("http://example.com/?#x", "http://example.com/"),
        arguments("http://example.com/p?b=2&a=1", "http://example.com/p?b=2&a=1"),
        arguments("http://example.com/p?q=a+b&c=%2b&d=%7E", "http://example.com/p?q=a+b&c=%2B&d=~"),
        arguments("http://example.com/it's?q='x'", "http://example.com/it's?q=%27x%27"),
        arguments("http://example.com/p?a=/../?x", "http://example.com/p?a=/../?x"),
        arguments("http://example.com/p#frag", "http://example.com/p"),
        arguments("http://example.com/p?q#frag?x", "http://example.com/p?q"),
        arguments("http://example.com/p#", "http://example.com/p"),
        // whitespace as browsers strip it
        arguments("  http://example.com/a\n/b\t ", "http://example.com/a/b"),
        arguments("http://exam\r\nple.com/", "http://example.com/"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("canonicalForms")
  void normalizeGivesTheCanonicalForm(String input, String canonical) {
    assertThat(urls.normalize(input)).isEqualTo(new UrlCheck.Valid(canonical));
    assertThat(urls.normalize(canonical)).isEqualTo(new UrlCheck.Valid(canonical));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "http://",
        "http:///",
        "http://:80/",
        "http://example.com:99999/",
        "http://example.com:65536/",
        "http://example.com:0/",
        "http://example.com:8a/",
        "http://example.com:-1/",
        "http://exa mple.com/",
        "http://exa<mple.com/",
        "http://example.com:80:80/",
        "http://a..b/",
        "http://.example.com/",
        "http://example.com../",
        "http://%zz.com/",
        "http://%C3.com/",
        "http://[::1/",
        "http://[::1]x/",
        "http://[zz::1]/",
        "http://[fe80::1%25eth0]/",
        "http://[1:2:3:4:5:6:7:8:9]/",
        "http://[1::2::3]/",
        "http://[::1.2.3.4.5]/",
        "http://[::01.2.3.4]/",
        "http://0x100000000/",
        "http://4294967296/",
        "http://1.2.3.4.5/",
        "http://256.0.0.1/",
        "http://1.2.3.08/",
        "http://foo.09/",
        "http://example.0x/",
        "http://a\u200Db.com/",
        "/relative/path",
        "example.com/a",
        "//example.com/a",
        "1http://example.com/"
      })
  void unparseableUrlsAreMalformed(String input) {
    assertThat(urls.normalize(input)).isEqualTo(new UrlCheck.Invalid(Rejection.MALFORMED, input));
  }

  @Test
  void urlsOver8KiBAreMalformed() {
    String longPath = "http://example.com/" + "a".repeat(8200);
    String growsTooLong = "http://example.com/" + "x ".repeat(2100) + "x";

    assertThat(urls.normalize(longPath)).isInstanceOf(UrlCheck.Invalid.class);
    assertThat(urls.normalize(growsTooLong))
        .isEqualTo(new UrlCheck.Invalid(Rejection.MALFORMED, growsTooLong));
    assertThat(urls.normalize("http://example.com/" + "a".repeat(8000)))
        .isInstanceOf(UrlCheck.Valid.class);
  }

  @Test
  void hostLabelsOver63CharactersAreMalformed() {
    assertThat(urls.normalize("http://" + "a".repeat(64) + ".com/"))
        .isInstanceOf(UrlCheck.Invalid.class);
    assertThat(urls.normalize("http://" + "a".repeat(63) + ".com/"))
        .isInstanceOf(UrlCheck.Valid.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "javascript:void(0)",
        "JavaScript:alert(1)",
        "mailto:someone@example.com",
        "data:text/html,<p>hi</p>",
        "tel:+15550100",
        "ftp://example.com/file",
        "file:///etc/passwd",
        "ws://example.com/socket",
        "urn:isbn:0451450523"
      })
  void otherSchemesAreUnsupported(String input) {
    assertThat(urls.normalize(input))
        .isEqualTo(new UrlCheck.Invalid(Rejection.UNSUPPORTED_SCHEME, input));
    assertThat(urls.resolve("http://example.com/", input))
        .isEqualTo(new UrlCheck.Invalid(Rejection.UNSUPPORTED_SCHEME, input));
  }

  @Test
  void hostKeyAlwaysNamesThePort() {
    assertThat(UrlNormalizer.hostKey("http://example.com/a")).isEqualTo("example.com:80");
    assertThat(UrlNormalizer.hostKey("https://example.com/a")).isEqualTo("example.com:443");
    assertThat(UrlNormalizer.hostKey("https://example.com:8443/")).isEqualTo("example.com:8443");
    assertThat(UrlNormalizer.hostKey("http://example.com?q")).isEqualTo("example.com:80");
    assertThat(UrlNormalizer.hostKey("http://[::1]/")).isEqualTo("[::1]:80");
    assertThat(UrlNormalizer.hostKey("http://[::1]:8080/")).isEqualTo("[::1]:8080");
  }

  @Test
  void hostKeyRefusesWhatIsNotAnHttpUrl() {
    assertThatThrownBy(() -> UrlNormalizer.hostKey("mailto:a@example.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UrlNormalizer.hostKey("http:///a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UrlNormalizer.hostKey("example.com"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullArgumentsAreMisuse() {
    assertThatThrownBy(() -> urls.normalize(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> urls.resolve("http://a/", null))
        .isInstanceOf(NullPointerException.class);
  }
}
