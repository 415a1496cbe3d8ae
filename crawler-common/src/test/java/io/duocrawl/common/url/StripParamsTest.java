package io.duocrawl.common.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StripParamsTest {
  private final UrlRewriter strip = UrlRewriter.stripParams(List.of("utm_*", "sessionid"));

  @Test
  void trackingParametersGoAndTheOthersKeepTheirOrder() {
    assertThat(strip.rewrite("http://a.test/p?b=2&utm_source=x&a=1&SessionId=9"))
        .isEqualTo("http://a.test/p?b=2&a=1");
  }

  @Test
  void aQueryLeftEmptyLosesItsQuestionMark() {
    assertThat(strip.rewrite("http://a.test/p?utm_medium=y")).isEqualTo("http://a.test/p");
  }

  @Test
  void aUrlWithNothingToStripIsReturnedAsItIs() {
    String url = "http://a.test/p?utm=1";
    assertThat(strip.rewrite(url)).isSameAs(url);
  }

  @Test
  void pathParametersByTheSameNameGoToo() {
    assertThat(
            UrlRewriter.stripParams(List.of("jsessionid"))
                .rewrite("http://a.test/x;jsessionid=1/y"))
        .isEqualTo("http://a.test/x/y");
  }

  @Test
  void rewritersComposeInOrder() {
    UrlRewriter both = strip.andThen(url -> url.replace("/print/", "/"));
    assertThat(both.rewrite("http://a.test/print/p?utm_x=1")).isEqualTo("http://a.test/p");
    assertThat(UrlRewriter.NONE.andThen(strip)).isSameAs(strip);
  }

  @Test
  void aStarInsideANameIsRefusedWithTheName() {
    assertThatThrownBy(() -> UrlRewriter.stripParams(List.of("a*b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a*b");
  }

  @Test
  void filtersComposeWithAndOrAndNegate() {
    UrlFilter http = url -> url.startsWith("http:");
    UrlFilter pdf = url -> url.endsWith(".pdf");
    assertThat(http.and(pdf.negate()).accepts("http://a.test/x")).isTrue();
    assertThat(http.and(pdf.negate()).accepts("http://a.test/x.pdf")).isFalse();
    assertThat(http.negate().or(pdf).accepts("http://a.test/x.pdf")).isTrue();
    assertThat(UrlFilter.allOf(List.of(http, pdf)).accepts("http://a.test/x")).isFalse();
    assertThat(UrlFilter.allOf(List.of())).isSameAs(UrlFilter.ALL);
  }
}
