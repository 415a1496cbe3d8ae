package io.duocrawl.common.robots;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RobotsRulesTest {
  private static final String URL = "http://a.test/robots.txt";

  private static RobotsRules parse(int status, String body) {
    return RobotsRules.parse(
        URL, status, body.getBytes(StandardCharsets.UTF_8), "text/plain", "duocrawl");
  }

  @Test
  void disallowedPathIsNotAllowedForEveryAgent() {
    RobotsRules rules = parse(200, "User-agent: *\nDisallow: /private/\n");

    assertThat(rules.isAllowed("http://a.test/private/x")).isFalse();
    assertThat(rules.isAllowed("http://a.test/public")).isTrue();
  }

  @Test
  void aGroupForOurAgentWinsOverTheWildcard() {
    RobotsRules rules =
        parse(200, "User-agent: *\nDisallow: /\n\nUser-agent: duocrawl\nDisallow: /x\n");

    assertThat(rules.isAllowed("http://a.test/page")).isTrue();
    assertThat(rules.isAllowed("http://a.test/x")).isFalse();
  }

  @Test
  void crawlDelayIsReadInSeconds() {
    assertThat(parse(200, "User-agent: *\nCrawl-delay: 2\n").crawlDelay())
        .contains(Duration.ofSeconds(2));
    assertThat(parse(200, "User-agent: *\nDisallow:\n").crawlDelay()).isEmpty();
  }

  @Test
  void aVeryLongCrawlDelayIsStillParsedNotTreatedAsDisallowAll() {
    RobotsRules rules = parse(200, "User-agent: *\nCrawl-delay: 3600\n");

    assertThat(rules.isAllowed("http://a.test/x")).isTrue();
    assertThat(rules.crawlDelay()).contains(Duration.ofHours(1));
  }

  @Test
  void clientErrorMeansNoRules() {
    assertThat(parse(404, "").isAllowed("http://a.test/anything")).isTrue();
    assertThat(parse(403, "").isAllowed("http://a.test/anything")).isTrue();
  }

  @Test
  void serverErrorMeansCompleteDisallow() {
    assertThat(parse(503, "").isAllowed("http://a.test/anything")).isFalse();
    assertThat(RobotsRules.disallowAll("reset").isAllowed("http://a.test/")).isFalse();
  }

  @Test
  void garbageIsToleratedAsNoRules() {
    RobotsRules rules = parse(200, "\u0000\u0001<html>not robots</html>\nDisallow /oops");

    assertThat(rules.isAllowed("http://a.test/page")).isTrue();
  }
}
