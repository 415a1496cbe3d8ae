package io.duocrawl.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import io.duocrawl.cli.Comparison.Cell;
import io.duocrawl.cli.Comparison.Limits;
import io.duocrawl.cli.Comparison.Run;
import io.duocrawl.cli.Comparison.Spread;
import io.duocrawl.common.report.ReportFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * report.json of a comparison: the setup, one summary per engine and concurrency (medians and
 * ranges), and every run with its full crawl report in the core's {@link ReportFormat#JSON} form.
 * Written with jackson-jr (the core's JSON codec) from ordered maps, in Jackson's default pretty
 * layout.
 */
final class CompareJson {
  private CompareJson() {}

  private static final JSON CODEC =
      JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES);

  static String render(Comparison c) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("title", c.title());
    root.put("setup", new LinkedHashMap<>(c.setup()));
    root.put("engines", List.copyOf(c.engines()));
    root.put("concurrencies", List.copyOf(c.concurrencies()));
    root.put("repeat", c.repeat());
    root.put("interrupted", c.interrupted());
    root.put("summary", List.copyOf(Summary.sentences(c)));

    List<Object> results = new ArrayList<>();
    root.put("results", results);
    for (int concurrency : c.concurrencies()) {
      Limits limits = c.limits(concurrency);
      for (String engine : c.engines()) {
        Cell cell = c.cell(engine, concurrency);
        Map<String, Object> r = new LinkedHashMap<>();
        results.add(r);
        r.put("engine", engine);
        r.put("concurrency", concurrency);
        r.put("runs", cell.reports().size());
        r.put("failures", List.copyOf(cell.failures()));
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

    List<Object> runs = new ArrayList<>();
    root.put("runs", runs);
    for (Run run : c.runs()) {
      Map<String, Object> r = new LinkedHashMap<>();
      runs.add(r);
      r.put("engine", run.engine());
      r.put("concurrency", run.concurrency());
      r.put("repetition", run.repetition());
      r.put("failure", run.failure());
      r.put("serverCpuSeconds", run.serverCpu().map(t -> t.toNanos() / 1e9).orElse(null));
      optional(r, "loadBefore", run.loadBefore());
      optional(r, "loadAfter", run.loadAfter());
      optional(r, "otherCoresBefore", run.otherCoresBefore());
      r.put(
          "crawlerJitCpuSeconds",
          run.crawlerJvmCpu().map(cpu -> cpu.jit().toNanos() / 1e9).orElse(null));
      r.put(
          "crawlerGcCpuSeconds",
          run.crawlerJvmCpu().map(cpu -> cpu.gc().toNanos() / 1e9).orElse(null));
      r.put(
          "report",
          run.report().map(report -> tree(ReportFormat.JSON.render(report))).orElse(null));
    }
    try {
      return CODEC.asString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object tree(String json) {
    try {
      return CODEC.anyFrom(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void optional(Map<String, Object> node, String name, OptionalDouble value) {
    node.put(
        name,
        value.isPresent() && Double.isFinite(value.getAsDouble()) ? value.getAsDouble() : null);
  }

  private static void spread(Map<String, Object> node, String name, Spread s) {
    if (!s.present()) {
      node.put(name, null);
      return;
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("median", s.median());
    o.put("min", s.min());
    o.put("max", s.max());
    node.put(name, o);
  }
}
