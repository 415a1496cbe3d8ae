package io.duocrawl.common.report;

import java.util.List;
import java.util.Map;

/**
 * {@link ReportFormat#JSON}: one object per report, members named after the {@link CrawlReport}
 * components, then the derived {@code pagesPerSecond}, {@code cpuMillisPerPage} and {@code
 * balanced}. Instants and durations are ISO-8601 strings ({@code "2025-01-02T03:04:05Z"}, {@code
 * "PT12.5S"}): exact and unambiguous about their unit. Maps are objects keyed by enum name, holding
 * the non-zero counts; the timeline is an array of pages per second; latencies are milliseconds.
 */
final class JsonReport {
  private JsonReport() {}

  static String render(CrawlReport report) {
    JsonWriter json = new JsonWriter();
    write(json, report);
    return json + "\n";
  }

  static String render(List<CrawlReport> reports) {
    JsonWriter json = new JsonWriter().beginArray();
    for (CrawlReport report : reports) {
      write(json, report);
    }
    return json.endArray() + "\n";
  }

  private static void write(JsonWriter json, CrawlReport r) {
    json.beginObject()
        .name("engine")
        .value(r.engine())
        .name("concurrency")
        .value(r.concurrency())
        .name("startedAt")
        .value(r.startedAt().toString())
        .name("duration")
        .value(r.duration().toString())
        .name("accepted")
        .value(r.accepted())
        .name("fetched")
        .value(r.fetched())
        .name("redirected")
        .value(r.redirected())
        .name("failed")
        .value(r.failed())
        .name("skipped")
        .value(r.skipped())
        .name("pending")
        .value(r.pending())
        .name("retries")
        .value(r.retries())
        .name("robotsFetches")
        .value(r.robotsFetches())
        .name("listenerFailures")
        .value(r.listenerFailures())
        .name("bodyBytes")
        .value(r.bodyBytes());
    counts(json.name("reasons"), r.reasons());
    counts(json.name("rejections"), r.rejections());
    json.name("timeline").beginInlineArray();
    for (long pages : r.timeline()) {
      json.value(pages);
    }
    json.endArray();
    CrawlReport.Latency latency = r.latency();
    json.name("latency")
        .beginObject()
        .name("count")
        .value(latency.count())
        .name("p50")
        .value(latency.p50())
        .name("p90")
        .value(latency.p90())
        .name("p99")
        .value(latency.p99())
        .name("max")
        .value(latency.max())
        .name("mean")
        .value(latency.mean())
        .endObject();
    json.name("peakInFlight")
        .value(r.peakInFlight())
        .name("peakThreads")
        .value(r.peakThreads())
        .name("peakHeapBytes")
        .value(r.peakHeapBytes())
        .name("peakRssBytes")
        .value(r.peakRssBytes())
        .name("cpuTime")
        .value(r.cpuTime().toString())
        .name("cancelled")
        .value(r.cancelled())
        .name("pagesPerSecond")
        .value(r.pagesPerSecond())
        .name("cpuMillisPerPage")
        .value(r.cpuMillisPerPage())
        .name("balanced")
        .value(r.balanced())
        .endObject();
  }

  private static void counts(JsonWriter json, Map<? extends Enum<?>, Long> counts) {
    json.beginObject();
    counts.forEach((key, count) -> json.name(key.name()).value(count));
    json.endObject();
  }
}
