package io.duocrawl.common.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.ScopeMode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScopeTest {
  private static final List<String> SEEDS =
      List.of("https://www.example.co.uk/", "http://127.0.0.1:8080/start", "http://localhost/");

  private static Scope scope(ScopeMode mode, List<String> includes, List<String> excludes) {
    CrawlConfig config =
        CrawlConfig.builder()
            .seeds(SEEDS)
            .scope(mode)
            .includes(includes)
            .excludes(excludes)
            .build();
    return Scope.of(config, SEEDS);
  }

  private static Scope scope(ScopeMode mode) {
    return scope(mode, List.of(), List.of());
  }

  @Test
  void hostModeKeepsTheSeedsHostAndPortWithHttpAndHttpsAsOne() {
    Scope scope = scope(ScopeMode.HOST);

    assertThat(scope.check("https://www.example.co.uk/any/page?x=1")).isEmpty();
    assertThat(scope.check("http://127.0.0.1:8080/other")).isEmpty();
    assertThat(scope.check("http://localhost/a")).isEmpty();
    assertThat(scope.check("https://shop.example.co.uk/")).contains(Rejection.OUT_OF_SCOPE);
    assertThat(scope.check("http://www.example.co.uk/")).isEmpty();
    assertThat(scope.check("https://www.example.co.uk:8443/")).contains(Rejection.OUT_OF_SCOPE);
    assertThat(scope.check("http://127.0.0.1:9090/")).contains(Rejection.OUT_OF_SCOPE);
    assertThat(scope.check("https://other.org/")).contains(Rejection.OUT_OF_SCOPE);
  }

  @Test
  void domainModeKeepsTheSeedsRegistrableDomains() {
    Scope scope = scope(ScopeMode.DOMAIN);

    assertThat(scope.check("https://www.example.co.uk/")).isEmpty();
    assertThat(scope.check("http://shop.example.co.uk:8080/cart")).isEmpty();
    assertThat(scope.check("https://example.co.uk/")).isEmpty();
    assertThat(scope.check("https://a.b.example.co.uk/")).isEmpty();
    assertThat(scope.check("https://other.co.uk/")).contains(Rejection.OUT_OF_SCOPE);
    assertThat(scope.check("https://co.uk/")).contains(Rejection.OUT_OF_SCOPE);
    assertThat(scope.check("https://example.com/")).contains(Rejection.OUT_OF_SCOPE);
  }

  @Test
  void domainModeComparesIpAddressesAndLocalhostAsExactHosts() {
    Scope scope = scope(ScopeMode.DOMAIN);

    assertThat(scope.check("http://127.0.0.1:9999/")).isEmpty();
    assertThat(scope.check("http://127.0.0.2:8080/")).contains(Rejection.OUT_OF_SCOPE);
    assertThat(scope.check("http://localhost:3000/")).isEmpty();
    assertThat(scope.check("http://app.localhost/")).contains(Rejection.OUT_OF_SCOPE);
  }

  @Test
  void domainModeTreatsPrivateSuffixesAsSeparateSites() {
    List<String> seeds = List.of("https://alice.github.io/");
    Scope scope =
        Scope.of(CrawlConfig.builder().seeds(seeds).scope(ScopeMode.DOMAIN).build(), seeds);

    assertThat(scope.check("https://alice.github.io/blog")).isEmpty();
    assertThat(scope.check("https://bob.github.io/")).contains(Rejection.OUT_OF_SCOPE);
  }

  @Test
  void domainModeUsesTheLastTwoLabelsUnderAnUnknownSuffix() {
    List<String> seeds = List.of("http://www.site.test:8080/");
    Scope scope =
        Scope.of(CrawlConfig.builder().seeds(seeds).scope(ScopeMode.DOMAIN).build(), seeds);

    assertThat(scope.check("http://docs.site.test/")).isEmpty();
    assertThat(scope.check("http://other.test/")).contains(Rejection.OUT_OF_SCOPE);
  }

  @Test
  void anyModeLetsEveryHostIn() {
    Scope scope = scope(ScopeMode.ANY);

    assertThat(scope.check("https://anything.example.net/")).isEmpty();
    assertThat(scope.check("http://[::1]:8080/")).isEmpty();
  }

  @Test
  void includesMustFindAMatchAndExcludesMustNot() {
    for (ScopeMode mode : ScopeMode.values()) {
      Scope scope = scope(mode, List.of("/docs/", "/blog/"), List.of("\\.pdf$", "[?&]session="));

      assertThat(scope.check("https://www.example.co.uk/docs/intro")).as("%s", mode).isEmpty();
      assertThat(scope.check("https://www.example.co.uk/blog/2024")).isEmpty();
      assertThat(scope.check("https://www.example.co.uk/shop/")).contains(Rejection.EXCLUDED);
      assertThat(scope.check("https://www.example.co.uk/docs/a.pdf")).contains(Rejection.EXCLUDED);
      assertThat(scope.check("https://www.example.co.uk/docs/?session=1"))
          .contains(Rejection.EXCLUDED);
    }
  }

  @Test
  void excludesAloneLetEverythingElseIn() {
    Scope scope = scope(ScopeMode.HOST, List.of(), List.of("/private/"));

    assertThat(scope.check("https://www.example.co.uk/public/")).isEmpty();
    assertThat(scope.check("https://www.example.co.uk/private/x")).contains(Rejection.EXCLUDED);
  }

  @Test
  void beingOutOfScopeWinsOverBeingExcluded() {
    Scope scope = scope(ScopeMode.HOST, List.of(), List.of(".*"));

    assertThat(scope.check("https://other.org/")).isEqualTo(Optional.of(Rejection.OUT_OF_SCOPE));
  }

  @Test
  void patternsSeeTheNormalizedUrl() {
    Scope scope =
        scope(ScopeMode.HOST, List.of("^https://www\\.example\\.co\\.uk/a%20b$"), List.of());
    String normalized =
        ((UrlCheck.Valid) UrlNormalizer.create().normalize("HTTPS://WWW.Example.co.uk:443/a b#x"))
            .url();

    assertThat(scope.check(normalized)).isEmpty();
  }

  @Test
  void withoutValidSeedsOnlyAnyModeLetsUrlsIn() {
    CrawlConfig config = CrawlConfig.builder().seed("not a url").build();

    assertThat(Scope.of(config, List.of()).check("http://example.com/"))
        .contains(Rejection.OUT_OF_SCOPE);
    assertThat(
            Scope.of(config.toBuilder().scope(ScopeMode.ANY).build(), List.of())
                .check("http://example.com/"))
        .isEmpty();
  }

  @Test
  void aSeedThatIsNotNormalizedIsMisuse() {
    CrawlConfig config = CrawlConfig.builder().seed("mailto:x@example.com").build();

    assertThatThrownBy(() -> Scope.of(config, config.seeds()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostScopeTreatsHttpAndHttpsOfOneHostAsOneSite() {
    Scope scope =
        Scope.of(
            CrawlConfig.builder().seed("http://example.com/").scope(ScopeMode.HOST).build(),
            List.of("http://example.com/"));

    assertThat(scope.check("https://example.com/login")).isEmpty();
    assertThat(scope.check("http://example.com:8080/")).contains(Rejection.OUT_OF_SCOPE);
    assertThat(scope.check("https://www.example.com/")).contains(Rejection.OUT_OF_SCOPE);
  }

  @Test
  void hostScopeKeepsNonDefaultPortsApart() {
    Scope scope =
        Scope.of(
            CrawlConfig.builder().seed("http://127.0.0.1:8080/").scope(ScopeMode.HOST).build(),
            List.of("http://127.0.0.1:8080/"));

    assertThat(scope.check("http://127.0.0.1:8080/x")).isEmpty();
    assertThat(scope.check("http://127.0.0.1:9090/x")).contains(Rejection.OUT_OF_SCOPE);
    assertThat(scope.check("https://127.0.0.1/x")).contains(Rejection.OUT_OF_SCOPE);
  }
}
