package io.duocrawl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.report.ReportFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link ReportFormat#JSON} report back into a {@link CrawlReport}: how a crawl run in a
 * child JVM hands its report to {@code compare}. The child writes exactly what a user gets from
 * {@code duocrawl crawl --report FILE}, so the documented format is the only protocol.
 */
final class ReportJson {
  private ReportJson() {}

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Parses the file a child wrote. */
  static CrawlReport read(Path file) throws IOException {
    return parse(MAPPER.readTree(Files.readString(file)));
  }

  /** Parses one report object. */
  static CrawlReport parse(JsonNode n) {
    JsonNode l = n.path("latency");
    return new CrawlReport(
        text(n, "engine"),
        n.path("concurrency").asInt(),
        Instant.parse(text(n, "startedAt")),
        Duration.parse(text(n, "duration")),
        n.path("accepted").asLong(),
        n.path("fetched").asLong(),
        n.path("redirected").asLong(),
        n.path("failed").asLong(),
        n.path("skipped").asLong(),
        n.path("pending").asLong(),
        n.path("retries").asLong(),
        n.path("robotsFetches").asLong(),
        n.path("listenerFailures").asLong(),
        n.path("bodyBytes").asLong(),
        counts(n.path("reasons"), Reason.class),
        counts(n.path("rejections"), Rejection.class),
        longs(n.path("timeline")),
        new CrawlReport.Latency(
            l.path("count").asLong(),
            l.path("p50").asDouble(),
            l.path("p90").asDouble(),
            l.path("p99").asDouble(),
            l.path("max").asDouble(),
            l.path("mean").asDouble()),
        n.path("peakInFlight").asInt(),
        n.path("peakThreads").asInt(),
        n.path("peakHeapBytes").asLong(),
        n.path("peakRssBytes").asLong(),
        Duration.parse(text(n, "cpuTime")),
        n.path("cancelled").asBoolean());
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("report has no text member '" + field + "'");
    }
    return v.asText();
  }

  private static <E extends Enum<E>> Map<E, Long> counts(JsonNode object, Class<E> type) {
    Map<E, Long> counts = new EnumMap<>(type);
    object
        .properties()
        .forEach(e -> counts.put(Enum.valueOf(type, e.getKey()), e.getValue().asLong()));
    return counts;
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asLong()));
    return values;
  }
}
