package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "10s, PT10S",
    "1.5s, PT1.5S",
    "2m, PT2M",
    "1h, PT1H",
    "0, PT0S",
    "PT3S, PT3S",
    "250us, PT0.00025S"
  })
  void durationsReadWithTheirUnit(String text, String iso) {
    assertThat(Units.duration(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "10x", "abc", "", "1.2.3s"})
  void aDurationWithoutAKnownUnitIsRejectedWithAHint(String text) {
    assertThatThrownBy(() -> Units.duration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a duration")
        .hasMessageContaining("500ms");
  }

  @Test
  void aNegativeDurationIsRejected() {
    assertThatThrownBy(() -> Units.duration("-5s")).hasMessage("must be >= 0, was -5s");
  }

  @ParameterizedTest
  @CsvSource({
    "4096, 4096",
    "512KB, 524288",
    "10MB, 10485760",
    "1GB, 1073741824",
    "2MiB, 2097152",
    "1.5KB, 1536"
  })
  void sizesUseBinaryUnits(String text, long bytes) {
    assertThat(Units.size(text)).isEqualTo(bytes);
  }

  @Test
  void aSizeWithAnUnknownUnitIsRejected() {
    assertThatThrownBy(() -> Units.size("10XB")).hasMessageContaining("is not a size");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "PT0.25S", "PT1.5S", "PT10S", "PT1M", "PT1M30S", "PT2H"})
  void formattedDurationsReadBackUnchanged(String iso) {
    Duration d = Duration.parse(iso);
    assertThat(Units.duration(Units.format(d))).isEqualTo(d);
  }
}
