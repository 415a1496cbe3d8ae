package io.duocrawl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.report.ReportFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tests' JSON: a tree reader for pages lines and report files, and the core's reader of a
 * report ({@link ReportFormat#readJson}) for what they assert on. Tests only: the CLI itself reads
 * and writes JSON with jackson-jr, the core's codec.
 */
final class ReportJson {
  private ReportJson() {}

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The report a crawl wrote to {@code file}. */
  static CrawlReport read(Path file) throws IOException {
    return ReportFormat.readJson(Files.readString(file)).get(0);
  }

  /** One report object of a tree (a compare run's {@code report}, stderr's JSON report). */
  static CrawlReport parse(JsonNode report) {
    return ReportFormat.readJson(report.toString()).get(0);
  }
}
