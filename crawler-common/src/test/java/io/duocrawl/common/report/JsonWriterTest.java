package io.duocrawl.common.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

  private static String string(String s) {
    return new JsonWriter().value(s).toString();
  }

  private static String number(double d) {
    return new JsonWriter().value(d).toString();
  }

  @Test
  void quotesAndBackslashesAreEscaped() {
    assertThat(string("say \"hi\" \\ bye")).isEqualTo("\"say \\\"hi\\\" \\\\ bye\"");
  }

  @Test
  void controlCharactersUseShortEscapesWhereJsonHasThem() {
    assertThat(string("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
  }

  @Test
  void otherControlCharactersAreUnicodeEscaped() {
    assertThat(string("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
  }

  @Test
  void deleteAndSpaceNeedNoEscape() {
    assertThat(string(" \u007f")).isEqualTo("\" \u007f\"");
  }

  @Test
  void lineAndParagraphSeparatorsAreEscapedForJavaScript() {
    assertThat(string("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
  }

  @Test
  void nonAsciiAndSurrogatePairsAreWrittenAsIs() {
    assertThat(string("é漢😀")).isEqualTo("\"é漢😀\"");
  }

  @Test
  void unpairedSurrogatesAreEscapedSoTheTextStaysEncodable() {
    assertThat(string("a\uD800b")).isEqualTo("\"a\\ud800b\"");
    assertThat(string("\uDC00")).isEqualTo("\"\\udc00\"");
    assertThat(string("x\uD83D")).isEqualTo("\"x\\ud83d\"");
  }

  @Test
  void nonFiniteNumbersBecomeNull() {
    assertThat(number(Double.NaN)).isEqualTo("null");
    assertThat(number(Double.POSITIVE_INFINITY)).isEqualTo("null");
    assertThat(number(Double.NEGATIVE_INFINITY)).isEqualTo("null");
  }

  @Test
  void finiteNumbersRoundTrip() {
    assertThat(number(12.5)).isEqualTo("12.5");
    assertThat(number(3.0)).isEqualTo("3.0");
    assertThat(number(1e-7)).isEqualTo("1.0E-7");
    assertThat(new JsonWriter().value(Long.MIN_VALUE).toString()).isEqualTo("-9223372036854775808");
  }

  @Test
  void nestedValuesArePrettyPrintedAndInlineArraysStayOnOneLine() {
    String json =
        new JsonWriter()
            .beginObject()
            .name("a")
            .value(1)
            .name("empty")
            .beginObject()
            .endObject()
            .name("list")
            .beginInlineArray()
            .value(1)
            .value(2)
            .nullValue()
            .endArray()
            .name("objects")
            .beginArray()
            .beginObject()
            .name("ok")
            .value(true)
            .endObject()
            .endArray()
            .endObject()
            .toString();

    assertThat(json)
        .isEqualTo(
            """
            {
              "a": 1,
              "empty": {},
              "list": [1, 2, null],
              "objects": [
                {
                  "ok": true
                }
              ]
            }""");
  }

  @Test
  void namesAreEscapedLikeValues() {
    String json = new JsonWriter().beginObject().name("a\"b").value("").endObject().toString();

    assertThat(json).isEqualTo("{\n  \"a\\\"b\": \"\"\n}");
  }
}
