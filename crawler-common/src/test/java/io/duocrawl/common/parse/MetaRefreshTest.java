package io.duocrawl.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetaRefreshTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "0; url=/next           | /next",
        "0;URL=/next            | /next",
        "5 ; Url = /next        | /next",
        "0, url=/next           | /next",
        "0; url='/a b'          | /a b",
        "`0; url=\"/quoted\" x` | /quoted",
        "0; /no-url-prefix      | /no-url-prefix",
        "url=/no-delay          | /no-delay",
        "1.5; url=/fraction     | /fraction",
        "0; url=https://example.com/x?a=1;b=2 | https://example.com/x?a=1;b=2"
      })
  void findsTheTargetAsBrowsersDo(String content, String target) {
    assertThat(MetaRefresh.target(content)).contains(target);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "30", " 5 ; ", "0; url=", "0; url=''"})
  void aRefreshWithoutUrlHasNoTarget(String content) {
    assertThat(MetaRefresh.target(content)).isEmpty();
  }
}
