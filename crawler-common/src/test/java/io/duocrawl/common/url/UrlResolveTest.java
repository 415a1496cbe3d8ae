package io.duocrawl.common.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.duocrawl.common.Rejection;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UrlResolveTest {
  private static final String RFC_BASE = "http://a/b/c/d;p?q";
  private final UrlNormalizer urls = UrlNormalizer.create();

  /** RFC 3986 section 5.4, normal and abnormal examples, as canonical URLs. */
  static Stream<Arguments> rfc3986Examples() {
    return Stream.of(
        arguments("g", "http://a/b/c/g"),
        arguments("./g", "http://a/b/c/g"),
        arguments("g/", "http://a/b/c/g/"),
        arguments("/g", "http://a/g"),
        arguments("//g", "http://g/"),
        arguments("?y", "http://a/b/c/d;p?y"),
        arguments("g?y", "http://a/b/c/g?y"),
        arguments("#s", "http://a/b/c/d;p?q"),
        arguments("g#s", "http://a/b/c/g"),
        arguments("g?y#s", "http://a/b/c/g?y"),
        arguments(";x", "http://a/b/c/;x"),
        arguments("g;x", "http://a/b/c/g;x"),
        arguments("g;x?y#s", "http://a/b/c/g;x?y"),
        arguments("", "http://a/b/c/d;p?q"),
        arguments(".", "http://a/b/c/"),
        arguments("./", "http://a/b/c/"),
        arguments("..", "http://a/b/"),
        arguments("../", "http://a/b/"),
        arguments("../g", "http://a/b/g"),
        arguments("../..", "http://a/"),
        arguments("../../", "http://a/"),
        arguments("../../g", "http://a/g"),
        arguments("../../../g", "http://a/g"),
        arguments("../../../../g", "http://a/g"),
        arguments("/./g", "http://a/g"),
        arguments("/../g", "http://a/g"),
        arguments("g.", "http://a/b/c/g."),
        arguments(".g", "http://a/b/c/.g"),
        arguments("g..", "http://a/b/c/g.."),
        arguments("..g", "http://a/b/c/..g"),
        arguments("./../g", "http://a/b/g"),
        arguments("./g/.", "http://a/b/c/g/"),
        arguments("g/./h", "http://a/b/c/g/h"),
        arguments("g/../h", "http://a/b/c/h"),
        arguments("g;x=1/./y", "http://a/b/c/g;x=1/y"),
        arguments("g;x=1/../y", "http://a/b/c/y"),
        arguments("g?y/./x", "http://a/b/c/g?y/./x"),
        arguments("g?y/../x", "http://a/b/c/g?y/../x"),
        arguments("g#s/./x", "http://a/b/c/g"),
        arguments("g#s/../x", "http://a/b/c/g"),
        // RFC 3986 allows either; browsers (and we) read it as relative to an http base.
        arguments("http:g", "http://a/b/c/g"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("rfc3986Examples")
  void resolvesTheRfc3986Examples(String href, String expected) {
    assertThat(urls.resolve(RFC_BASE, href)).isEqualTo(new UrlCheck.Valid(expected));
  }

  static Stream<Arguments> hrefsAsBrowsersReadThem() {
    String base = "https://www.example.com/docs/guide/intro.html?lang=en#top";
    return Stream.of(
        arguments(
            base, "  chapter 2.html \n", "https://www.example.com/docs/guide/chapter%202.html"),
        arguments(base, "../img/\nlogo.png", "https://www.example.com/docs/img/logo.png"),
        arguments(base, "\t/a\tb/", "https://www.example.com/ab/"),
        arguments(base, "//cdn.example.net/x.js", "https://cdn.example.net/x.js"),
        arguments(base, "\\\\cdn.example.net\\x.js", "https://cdn.example.net/x.js"),
        arguments(base, "\\root", "https://www.example.com/root"),
        arguments(base, "?page=2", "https://www.example.com/docs/guide/intro.html?page=2"),
        arguments(base, "#section", "https://www.example.com/docs/guide/intro.html?lang=en"),
        arguments(base, "", "https://www.example.com/docs/guide/intro.html?lang=en"),
        arguments(base, "HTTP://Other.ORG:80", "http://other.org/"),
        arguments(base, "http:relative", "http://relative/"),
        arguments(base, "https:relative", "https://www.example.com/docs/guide/relative"),
        arguments(base, "https:/rooted", "https://www.example.com/rooted"),
        arguments(base, "über/straße", "https://www.example.com/docs/guide/%C3%BCber/stra%C3%9Fe"),
        arguments(base, "a?q=1 2#f", "https://www.example.com/docs/guide/a?q=1%202"),
        arguments("HTTP://Example.com:80/a/b", "c", "http://example.com/a/c"),
        arguments("http://example.com", "c", "http://example.com/c"),
        arguments("http://example.com/a/b?x=/y/z", "c", "http://example.com/a/c"),
        arguments("http://example.com:8080/a/", "/b", "http://example.com:8080/b"),
        arguments("http://example.com:8080/a/", "//other.com/b", "http://other.com/b"));
  }

  @ParameterizedTest(name = "{1} against {0} -> {2}")
  @MethodSource("hrefsAsBrowsersReadThem")
  void resolvesHrefsAsBrowsersDo(String base, String href, String expected) {
    assertThat(urls.resolve(base, href)).isEqualTo(new UrlCheck.Valid(expected));
  }

  @Test
  void aMalformedHrefIsRejectedWithTheHrefAsInput() {
    assertThat(urls.resolve("http://example.com/", "http://exa mple.com/"))
        .isEqualTo(new UrlCheck.Invalid(Rejection.MALFORMED, "http://exa mple.com/"));
    assertThat(urls.resolve("http://example.com/", "//:99/"))
        .isEqualTo(new UrlCheck.Invalid(Rejection.MALFORMED, "//:99/"));
    String huge = "a".repeat(9000);
    assertThat(urls.resolve("http://example.com/", huge))
        .isEqualTo(new UrlCheck.Invalid(Rejection.MALFORMED, huge));
  }

  @Test
  void aRelativeHrefUnderABadBaseIsRejectedWithTheBaseAsInput() {
    assertThat(urls.resolve("not a url", "page.html"))
        .isEqualTo(new UrlCheck.Invalid(Rejection.MALFORMED, "not a url"));
    assertThat(urls.resolve("mailto:x@example.com", "page.html"))
        .isEqualTo(new UrlCheck.Invalid(Rejection.UNSUPPORTED_SCHEME, "mailto:x@example.com"));
  }

  @Test
  void anAbsoluteHrefDoesNotNeedTheBase() {
    assertThat(urls.resolve("not a url", "https://example.com/x"))
        .isEqualTo(new UrlCheck.Valid("https://example.com/x"));
  }
}
