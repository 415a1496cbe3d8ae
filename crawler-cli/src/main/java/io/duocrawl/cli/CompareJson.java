package io.duocrawl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duocrawl.cli.Comparison.Cell;
import io.duocrawl.cli.Comparison.Limits;
import io.duocrawl.cli.Comparison.Run;
import io.duocrawl.cli.Comparison.Spread;
import io.duocrawl.common.report.ReportFormat;
import java.io.UncheckedIOException;
import java.util.OptionalDouble;

/**
 * report.json of a comparison: the setup, one summary per engine and concurrency (medians and
 * ranges), and every run with its full crawl report in the core's {@link ReportFormat#JSON} form.
 */
final class CompareJson {
  private CompareJson() {}

  static String render(Comparison c) {
    ObjectNode root = ReportJson.MAPPER.createObjectNode();
    root.put("title", c.title());
    ObjectNode setup = root.putObject("setup");
    c.setup().forEach(setup::put);
    ArrayNode engines = root.putArray("engines");
    c.engines().forEach(engines::add);
    ArrayNode concurrencies = root.putArray("concurrencies");
    c.concurrencies().forEach(concurrencies::add);
    root.put("repeat", c.repeat());
    root.put("interrupted", c.interrupted());
    ArrayNode summary = root.putArray("summary");
    Summary.sentences(c).forEach(summary::add);

    ArrayNode results = root.putArray("results");
    for (int concurrency : c.concurrencies()) {
      Limits limits = c.limits(concurrency);
      for (String engine : c.engines()) {
        Cell cell = c.cell(engine, concurrency);
        ObjectNode r = results.addObject();
        r.put("engine", engine);
        r.put("concurrency", concurrency);
        r.put("runs", cell.reports().size());
        ArrayNode failures = r.putArray("failures");
        cell.failures().forEach(failures::add);
        optional(r, "littleLimit", limits.littleLimit());
        optional(r, "bfsBound", limits.bfsBound());
        r.put("pagesPerRun", limits.pagesPerRun());
        spread(r, "pagesPerSecond", cell.pagesPerSecond());
        double median = cell.pagesPerSecond().median();
        OptionalDouble bound = Summary.bound(limits);
        optional(
            r,
            "ofBound",
            bound.isPresent() && cell.hasResults()
                ? OptionalDouble.of(median / bound.getAsDouble())
                : OptionalDouble.empty());
        optional(
            r,
            "ofLittleLimit",
            limits.littleLimit().isPresent() && cell.hasResults()
                ? OptionalDouble.of(median / limits.littleLimit().getAsDouble())
                : OptionalDouble.empty());
        spread(r, "latencyP50Ms", cell.latencyP50());
        spread(r, "latencyP99Ms", cell.latencyP99());
        spread(r, "peakThreads", cell.peakThreads());
        spread(r, "peakRssBytes", cell.peakRssBytes());
        spread(r, "peakHeapBytes", cell.peakHeapBytes());
        spread(r, "cpuSeconds", cell.cpuSeconds());
        spread(r, "cpuMillisPerPage", cell.cpuMillisPerPage());
        spread(r, "serverCpuSeconds", cell.serverCpuSeconds());
        spread(r, "serverCpuMillisPerRequest", cell.serverCpuMillisPerRequest());
        spread(r, "jitCpuMillisPerPage", cell.jitMillisPerPage());
        spread(r, "gcCpuMillisPerPage", cell.gcMillisPerPage());
        r.put("wideSpread", cell.wideSpread());
        spread(r, "errors", cell.errors());
        spread(r, "fetched", cell.fetched());
        spread(r, "pending", cell.pending());
      }
    }

    ArrayNode runs = root.putArray("runs");
    for (Run run : c.runs()) {
      ObjectNode r = runs.addObject();
      r.put("engine", run.engine());
      r.put("concurrency", run.concurrency());
      r.put("repetition", run.repetition());
      r.put("failure", run.failure());
      if (run.serverCpu().isPresent()) {
        r.put("serverCpuSeconds", run.serverCpu().get().toNanos() / 1e9);
      } else {
        r.putNull("serverCpuSeconds");
      }
      optional(r, "loadBefore", run.loadBefore());
      optional(r, "loadAfter", run.loadAfter());
      optional(r, "otherCoresBefore", run.otherCoresBefore());
      if (run.crawlerJvmCpu().isPresent()) {
        r.put("crawlerJitCpuSeconds", run.crawlerJvmCpu().get().jit().toNanos() / 1e9);
        r.put("crawlerGcCpuSeconds", run.crawlerJvmCpu().get().gc().toNanos() / 1e9);
      } else {
        r.putNull("crawlerJitCpuSeconds");
        r.putNull("crawlerGcCpuSeconds");
      }
      if (run.report().isPresent()) {
        r.set("report", tree(ReportFormat.JSON.render(run.report().get())));
      } else {
        r.putNull("report");
      }
    }
    try {
      return ReportJson.MAPPER
              .copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(root)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
    try {
      return ReportJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void optional(ObjectNode node, String name, OptionalDouble value) {
    if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
      node.put(name, value.getAsDouble());
    } else {
      node.putNull(name);
    }
  }

  private static void spread(ObjectNode node, String name, Spread s) {
    if (!s.present()) {
      node.putNull(name);
      return;
    }
    ObjectNode o = node.putObject(name);
    o.put("median", s.median());
    o.put("min", s.min());
    o.put("max", s.max());
  }
}
