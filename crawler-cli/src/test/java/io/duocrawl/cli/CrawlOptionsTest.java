package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.ScopeMode;
import io.duocrawl.common.fetch.RequestOptions;
import io.duocrawl.common.url.UrlRewriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CrawlOptionsTest {

  private static CrawlCommand parse(List<String> args) {
    CrawlCommand crawl = new CrawlCommand();
    new CommandLine(crawl).parseArgs(args.toArray(String[]::new));
    return crawl;
  }

  @Test
  void unsetOptionsTakeTheCoreDefaults() {
    CrawlCommand crawl = parse(List.of("--engine=threads", "http://a.test/"));
    CrawlConfig config = CrawlCommand.config(crawl.seeds.load(), crawl.options, crawl.concurrency);
    CrawlConfig defaults = CrawlConfig.builder().seed("http://a.test/").build();
    assertThat(config).isEqualTo(defaults);
  }

  @Test
  void aConfigSurvivesTheTripThroughChildJvmArguments() {
    CrawlConfig config =
        CrawlConfig.builder()
            .seed("http://a.test/")
            .concurrency(300)
            .perHostConcurrency(7)
            .maxPages(1234)
            .maxDepth(3)
            .scope(ScopeMode.DOMAIN)
            .includes(List.of("-starts-with-dash", "/a/"))
            .excludes(List.of("\\.pdf$"))
            .politenessDelay(Duration.ofMillis(250))
            .requestTimeout(Duration.ofSeconds(7))
            .connectTimeout(Duration.ofMillis(1500))
            .readTimeout(Duration.ofSeconds(3))
            .retry(CrawlOptions.DEFAULTS.retry().withMaxRetries(0))
            .maxRedirects(1)
            .maxBodyBytes(12_345)
            .userAgent("-odd agent/1.0")
            .robots(false)
            .build();
    List<String> args = new ArrayList<>(List.of("--engine=virtual"));
    args.addAll(CrawlOptions.args(config));
    args.add("http://a.test/");
    CrawlCommand crawl = parse(args);
    assertThat(CrawlCommand.config(crawl.seeds.load(), crawl.options, crawl.concurrency))
        .isEqualTo(config);
  }

  @Test
  void strippedParamsHeadersCookiesAndProxySurviveTheTripThroughChildJvmArguments() {
    CrawlConfig config =
        CrawlConfig.builder()
            .seed("http://a.test/")
            .urlRewriter(UrlRewriter.stripParams(List.of("utm_*", "sessionid")))
            .request(
                RequestOptions.NONE
                    .withHeader("Accept-Language", "en, fr")
                    .withCookie("consent", "yes")
                    .withProxy("127.0.0.1", 3128))
            .build();
    List<String> args = new ArrayList<>(List.of("--engine=virtual"));
    args.addAll(CrawlOptions.args(config));
    args.add("http://a.test/");
    CrawlCommand crawl = parse(args);
    assertThat(CrawlCommand.config(crawl.seeds.load(), crawl.options, crawl.concurrency))
        .isEqualTo(config);
  }

  @Test
  void aHeaderWithoutAColonIsAUsageError() {
    CrawlCommand crawl = parse(List.of("--engine=threads", "--header=NoColon", "http://a.test/"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CrawlCommand.config(crawl.seeds.load(), crawl.options, crawl.concurrency))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--header");
  }

  @Test
  void aCoreValidationMessageNamesTheOption() {
    IllegalArgumentException e =
        new IllegalArgumentException("perHostConcurrency must be > 0, was 0");
    assertThat(CrawlOptions.userMessage(e)).isEqualTo("--per-host must be > 0, was 0");
  }
}
