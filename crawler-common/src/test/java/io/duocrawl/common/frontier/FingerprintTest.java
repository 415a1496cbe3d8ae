package io.duocrawl.common.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FingerprintTest {

  /** Vectors from the reference XXH64 (python-xxhash 3.2) over {@code s.encode("utf-16-le")}. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "\"\"|EF46DB3751D8E999",
        "a|E513E02C99167F96",
        "ab|2B4D0FC9E4BF29E2",
        "abc|AFF0F2A2F8B32731",
        "abcd|AD9338B32CDA24C1",
        "abcde|3DE8F0B461C88A5D",
        "http://a.test/|80741E783221B642",
        "0123456789abcdef|65915D1B2958D2EF",
        "http://example.com/some/path?q=1|A636F3F64F41A158",
        "0123456789abcdef0123456789abcdef0|35CC1D1CA993F2EE",
        "https://www.example.org/a/very/long/path/that/goes/on/and/on/index.html?x=1&y=2#frag"
            + "|1E8D266995F009F2",
        "http://xn--bcher-kva.example/ünïcödé/路径/😀|25D07A99115D3552"
      })
  void fingerprintIsReferenceXxh64OfUtf16LeBytes(String input, String expectedHex) {
    assertThat(Fingerprint.of(input)).isEqualTo(Long.parseUnsignedLong(expectedHex, 16));
  }

  @Test
  void nearlyIdenticalUrlsGetDistinctFingerprints() {
    LongHashSet fingerprints = new LongHashSet(16);
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      fingerprints.add(Fingerprint.of("http://host" + (i % 97) + ".test/page/" + i));
    }
    assertThat(fingerprints.size()).isEqualTo(n);
  }
}
