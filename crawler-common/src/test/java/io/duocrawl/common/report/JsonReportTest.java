package io.duocrawl.common.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReportTest {

  private static String engineJson(String engine) {
    String json = ReportFormat.JSON.render(withEngine(engine));
    String line =
        json.lines().filter(l -> l.startsWith("  \"engine\": ")).findFirst().orElseThrow();
    return line.substring("  \"engine\": ".length(), line.length() - 1);
  }

  private static CrawlReport withEngine(String engine) {
    CrawlReport r = ReportFormatTest.threadsReport();
    return ReportFormatTest.withEngine(r, engine);
  }

  @Test
  void aRenderedReportReadsBackEqual() {
    CrawlReport threads = ReportFormatTest.threadsReport();
    CrawlReport reactive = ReportFormatTest.reactiveReport();

    assertThat(ReportFormat.readJson(ReportFormat.JSON.render(threads))).containsExactly(threads);
    assertThat(ReportFormat.readJson(ReportFormat.JSON.render(List.of(threads, reactive))))
        .containsExactly(threads, reactive);
  }

  @Test
  void quotesBackslashesAndControlCharactersAreEscapedAndReadBack() {
    String odd = "say \"hi\" \\ \n\r\t\b\f\u0000\u0001\u001f \u007f";

    assertThat(engineJson(odd))
        .isEqualTo("\"say \\\"hi\\\" \\\\ \\n\\r\\t\\b\\f\\u0000\\u0001\\u001f \u007f\"");
    assertThat(ReportFormat.readJson(ReportFormat.JSON.render(withEngine(odd))).get(0).engine())
        .isEqualTo(odd);
  }

  @Test
  void lineSeparatorsAndEverySurrogateAreEscapedSoUnpairedOnesSurvive() {
    String odd = "a\u2028b\u2029c😀x\uD800";

    assertThat(engineJson(odd))
        .isEqualTo("\"a\\u2028b\\u2029c\\ud83d\\ude00x\\ud800\"")
        .isEqualTo(engineJson(odd).strip());
    assertThat(ReportFormat.readJson(ReportFormat.JSON.render(withEngine(odd))).get(0).engine())
        .isEqualTo(odd);
  }

  @Test
  void otherNonAsciiIsWrittenAsIs() {
    assertThat(engineJson("é漢")).isEqualTo("\"é漢\"");
  }

  @Test
  void arraysOfPlainValuesStayOnOneLineAndArraysOfObjectsBreak() throws Exception {
    String json =
        com.fasterxml
            .jackson
            .jr
            .ob
            .JSON
            .builder()
            .prettyPrinter(new JsonPrinter())
            .build()
            .asString(
                Map.of(
                    "list",
                    List.of(1, 2),
                    "objects",
                    List.of(Map.of("ok", true), Map.of()),
                    "empty",
                    List.of()));

    assertThat(json)
        .contains("\"list\": [1, 2]")
        .contains("\"objects\": [\n    {\n      \"ok\": true\n    },\n    {}\n  ]")
        .contains("\"empty\": []");
  }

  @Test
  void aMissingMemberIsNamed() {
    String json = ReportFormat.JSON.render(ReportFormatTest.threadsReport());

    assertThatThrownBy(() -> ReportFormat.readJson(json.replace("\"fetched\"", "\"fetchd\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("report has no number member 'fetched'");
    assertThatThrownBy(() -> ReportFormat.readJson("{"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("report is not JSON");
  }
}
