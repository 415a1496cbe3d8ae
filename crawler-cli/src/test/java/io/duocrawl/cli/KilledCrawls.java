package io.duocrawl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.duocrawl.common.CrawlConfig;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.GroundTruth;
import io.duocrawl.fixtures.LatencyModel;
import io.duocrawl.fixtures.Section;
import io.duocrawl.fixtures.SiteSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the tests that SIGKILL {@code duocrawl crawl} child JVMs share (KillResumeTest,
 * SharedFrontierKillTest): the fixture site they crawl, its ground truth for the CLI's defaults,
 * and reading the {@code --out} records a killed process left.
 */
final class KilledCrawls {
  private KilledCrawls() {}

  /** 300 pages with redirects, robots.txt and resources, 15 ms per response. */
  static FixtureSite site() {
    return FixtureSite.start(
        SiteSpec.builder()
            .pages(300)
            .with(Section.REDIRECTS, Section.ROBOTS, Section.RESOURCES)
            .latency(LatencyModel.fixed(Duration.ofMillis(15)))
            .requestLog(false)
            .build());
  }

  /** The site's ground truth for a crawl with the CLI's defaults. */
  static GroundTruth truth(FixtureSite site) {
    CrawlConfig defaults = CrawlOptions.DEFAULTS;
    return site.groundTruth(
        GroundTruth.Query.builder()
            .maxDepth(defaults.maxDepth())
            .robotsEnabled(true)
            .maxRedirects(defaults.maxRedirects())
            .maxRetries(defaults.retry().maxRetries())
            .maxBodyBytes(defaults.maxBodyBytes())
            .requestTimeout(defaults.requestTimeout())
            .build());
  }

  /** How many URLs the truth has a record for: fetched, redirected, failed, skipped. */
  static int total(GroundTruth truth) {
    return truth.fetched().size()
        + truth.redirects().size()
        + truth.failed().size()
        + truth.skipped().size();
  }

  /** Complete lines of a file, 0 when it does not exist yet. */
  static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    byte[] bytes = Files.readAllBytes(file);
    long n = 0;
    for (byte b : bytes) {
      n += b == '\n' ? 1 : 0;
    }
    return n;
  }

  /** The records of a file; a last line cut by SIGKILL is no record. */
  static List<JsonNode> records(Path pages) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    if (!Files.exists(pages)) {
      return records;
    }
    String text = Files.readString(pages, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return records;
    }
    for (String line : text.substring(0, end).split("\n")) {
      records.add(ReportJson.MAPPER.readTree(line));
    }
    return records;
  }

  /** The URLs of the records with {@code outcome}. */
  static Set<String> urls(List<JsonNode> records, String outcome) {
    Set<String> urls = new TreeSet<>();
    for (JsonNode r : records) {
      if (r.get("outcome").asText().equals(outcome)) {
        urls.add(r.get("url").asText());
      }
    }
    return urls;
  }
}
