package io.duocrawl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CrawlConfigTest {
  private static CrawlConfig.Builder valid() {
    return CrawlConfig.builder().seed("http://a.test/");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    CrawlConfig c = valid().build();

    assertThat(c.scope()).isEqualTo(ScopeMode.HOST);
    assertThat(c.maxPages()).isEqualTo(10_000);
    assertThat(c.maxDepth()).isEqualTo(16);
    assertThat(c.maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(c.maxRedirects()).isEqualTo(5);
    assertThat(c.concurrency()).isEqualTo(16);
    assertThat(c.perHostConcurrency()).isEqualTo(2);
    assertThat(c.politenessDelay()).isEqualTo(Duration.ZERO);
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.retry()).isEqualTo(RetryPolicy.DEFAULT);
    assertThat(c.robots()).isTrue();
    assertThat(c.robotsAgentName()).isEqualTo("duocrawl");
    assertThat(c.robotsMaxAge()).isEqualTo(Duration.ofHours(24));
    assertThat(c.hostFailureThreshold()).isEqualTo(5);
  }

  @Test
  void toBuilderCopiesEveryField() {
    CrawlConfig c =
        valid()
            .maxPages(7)
            .excludes(List.of("\\.pdf$"))
            .userAgent("mybot/2 (+info)")
            .robots(false)
            .build();

    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.toBuilder().concurrency(99).build().maxPages()).isEqualTo(7);
    assertThat(c.robotsAgentName()).isEqualTo("mybot");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.maxPages(-3),
            "maxPages must be > 0, was -3"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.maxDepth(-1),
            "maxDepth must be >= 0, was -1"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.concurrency(0),
            "concurrency must be > 0, was 0"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.perHostConcurrency(0),
            "perHostConcurrency must be > 0, was 0"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.maxBodyBytes(0),
            "maxBodyBytes must be > 0, was 0"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.politenessDelay(Duration.ofMillis(-1)),
            "politenessDelay must be >= 0, was PT-0.001S"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.requestTimeout(Duration.ZERO),
            "requestTimeout must be > 0, was PT0S"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.includes(List.of("(")),
            "includes holds an invalid regular expression '('"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.seeds(List.of()),
            "seeds must hold at least one URL, was empty"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.userAgent(" "),
            "userAgent must be non-blank printable text"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>)
                b -> b.retry(RetryPolicy.DEFAULT.withMaxRetries(-1)),
            "retry.maxRetries must be >= 0, was -1"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.robotsMaxAge(Duration.ZERO),
            "robotsMaxAge must be > 0, was PT0S"),
        Arguments.of(
            (UnaryOperator<CrawlConfig.Builder>) b -> b.hostFailureThreshold(0),
            "hostFailureThreshold must be > 0, was 0"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void buildRejectsABadValueNamingTheFieldAndTheValue(
      UnaryOperator<CrawlConfig.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(valid()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void retryBackoffGrowsAndIsCapped() {
    RetryPolicy p = RetryPolicy.DEFAULT;

    assertThat(p.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.backoff(10)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aMalformedSeedIsNotAConfigurationError() {
    assertThat(valid().seed("not a url").build().seeds()).hasSize(2);
  }
}
