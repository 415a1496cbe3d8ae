package io.duocrawl.common.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetrySchedulerTest {
  @Test
  void retryAfterInSecondsIsADuration() {
    assertThat(RetryScheduler.parseRetryAfter(" 120 ")).contains(Duration.ofSeconds(120));
  }

  @Test
  void retryAfterAsAnHttpDateIsTheTimeUntilThen() {
    String inAMinute =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(60));

    assertThat(RetryScheduler.parseRetryAfter(inAMinute).orElseThrow())
        .isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61));
  }

  @Test
  void retryAfterInThePastIsZero() {
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusHours(1));

    assertThat(RetryScheduler.parseRetryAfter(past)).contains(Duration.ZERO);
  }

  @Test
  void unusableRetryAfterIsIgnored() {
    assertThat(RetryScheduler.parseRetryAfter("soon")).isEmpty();
    assertThat(RetryScheduler.parseRetryAfter("")).isEmpty();
    assertThat(RetryScheduler.parseRetryAfter("99999999999999999999999")).isEmpty();
  }
}
