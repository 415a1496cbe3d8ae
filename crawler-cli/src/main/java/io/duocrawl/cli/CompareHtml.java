package io.duocrawl.cli;

import io.duocrawl.cli.Comparison.Cell;
import io.duocrawl.cli.Comparison.Limits;
import io.duocrawl.cli.SvgChart.Series;
import io.duocrawl.common.report.CrawlReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * report.html of a comparison: one self-contained page (inline CSS and SVG, no script, no CDN) with
 * the pages/s-against-concurrency chart, the results table, and one per-second timeline chart per
 * engine.
 */
final class CompareHtml {
  private CompareHtml() {}

  private static final List<String> ENGINE_COLORS =
      List.of("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2");
  private static final List<String> RAMP =
      List.of("#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b", "#041c40");

  static String render(Comparison c) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(SvgChart.escape(c.title()))
        .append("</title>\n<style>\n")
        .append(
            "body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1100px;color:#222;"
                + "padding:0 1em}\n")
        .append(".answer{font-size:1.15em;background:#eef5fb;border-left:4px solid #1f77b4;")
        .append("padding:0.6em 1em;margin:1em 0}\n.answer p{margin:0.25em 0}\n")
        .append("svg{max-width:100%;height:auto}\n")
        .append("dl{display:grid;grid-template-columns:max-content auto;gap:0.1em 1em;")
        .append("font-size:0.9em}\ndt{font-weight:600}\ndd{margin:0}\n")
        .append(".busy{color:#b00;font-weight:600}\n")
        .append("table{border-collapse:collapse;font-size:0.85em}\n")
        .append(
            "th,td{padding:0.25em 0.6em;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}\n")
        .append("th:first-child,td:first-child,td.engine{text-align:left}\n")
        .append("tr.limits td{background:#f4f4f4;text-align:left;font-weight:600}\n")
        .append("svg text{font-size:12px;fill:#333}\nfigure{margin:1em 0}\n")
        .append(".failed{color:#b00}\n</style>\n</head>\n<body>\n");
    h.append("<h1>").append(SvgChart.escape(c.title())).append("</h1>\n");
    h.append("<section class=\"answer\" id=\"answer\">\n");
    for (String sentence : Summary.sentences(c)) {
      h.append("<p>").append(SvgChart.escape(sentence)).append("</p>\n");
    }
    h.append("</section>\n");
    CompareTables.busyNote(c)
        .ifPresent(
            note -> h.append("<p class=\"busy\">").append(SvgChart.escape(note)).append("</p>\n"));
    h.append("<h2>Pages per second against concurrency</h2>\n")
        .append("<figure class=\"chart throughput\" id=\"throughput\">\n")
        .append(throughputChart(c))
        .append("<figcaption>Median pages/s per engine (points), bars from the slowest to the")
        .append(" fastest run; dashed: Little's-law limit C/L and the BFS bound of the site's")
        .append(" link graph, where known.</figcaption>\n")
        .append("</figure>\n");
    h.append("<h2>Setup</h2>\n<dl>\n");
    for (Map.Entry<String, String> e : c.setup().entrySet()) {
      h.append("<dt>")
          .append(SvgChart.escape(e.getKey()))
          .append("</dt><dd>")
          .append(SvgChart.escape(e.getValue()))
          .append("</dd>\n");
    }
    h.append("</dl>\n");
    if (c.interrupted()) {
      h.append("<p class=\"failed\">Interrupted: not every run finished.</p>\n");
    }

    h.append("<h2>Results</h2>\n").append(table(c));

    h.append("<h2>Pages per second, second by second</h2>\n");
    for (int i = 0; i < c.engines().size(); i++) {
      String engine = c.engines().get(i);
      h.append("<figure class=\"chart timeline\" data-engine=\"")
          .append(SvgChart.escape(engine))
          .append("\">\n")
          .append(timelineChart(c, engine))
          .append("<figcaption>")
          .append(SvgChart.escape(engine))
          .append(": pages fetched in each second of the median run, one line per concurrency.")
          .append("</figcaption>\n</figure>\n");
    }
    h.append("<p>Medians over ")
        .append(c.repeat())
        .append(c.repeat() == 1 ? " run" : " runs")
        .append(" per cell; ranges are min–max. RSS, heap and threads are peaks of the crawling")
        .append(" JVM; CPU is its CPU time during the crawl, JIT / GC the part of it its JIT")
        .append(" compiler and garbage collector spent; server ms/req is the fixture server's")
        .append(" CPU per request it answered; ! marks a spread over 10% of the median.</p>\n")
        .append("<details><summary>Every run, in the order they ran (load average before")
        .append(" -&gt; after)</summary>\n<ol class=\"runs\">\n");
    for (String line : CompareTables.runLines(c)) {
      h.append("<li>")
          .append(SvgChart.escape(line.substring(line.indexOf(". ") + 2)))
          .append("</li>\n");
    }
    h.append("</ol>\n</details>\n").append("</body>\n</html>\n");
    return h.toString();
  }

  static String engineColor(List<String> engines, String engine) {
    return ENGINE_COLORS.get(Math.max(0, engines.indexOf(engine)) % ENGINE_COLORS.size());
  }

  private static String throughputChart(Comparison c) {
    List<Double> xs = c.concurrencies().stream().map(Integer::doubleValue).toList();
    List<Series> series = new ArrayList<>();
    for (String engine : c.engines()) {
      List<Double> sx = new ArrayList<>();
      List<Double> sy = new ArrayList<>();
      List<Double> lows = new ArrayList<>();
      List<Double> highs = new ArrayList<>();
      for (int concurrency : c.concurrencies()) {
        Cell cell = c.cell(engine, concurrency);
        if (cell.hasResults()) {
          sx.add((double) concurrency);
          sy.add(cell.pagesPerSecond().median());
          lows.add(cell.pagesPerSecond().min());
          highs.add(cell.pagesPerSecond().max());
        }
      }
      series.add(new Series(engine, engineColor(c.engines(), engine), sx, sy, false, lows, highs));
    }
    addLimit(c, series, "C/L limit", "#888", true);
    addLimit(c, series, "BFS bound", "#e6a100", false);
    return SvgChart.render(
        "Pages per second against concurrency",
        "concurrency (log scale)",
        "pages/s (log scale)",
        series,
        true,
        xs,
        SvgChart.DEFAULT_WIDTH,
        520);
  }

  private static void addLimit(
      Comparison c, List<Series> series, String name, String color, boolean little) {
    List<Double> sx = new ArrayList<>();
    List<Double> sy = new ArrayList<>();
    for (int concurrency : c.concurrencies()) {
      Limits l = c.limits(concurrency);
      var value = little ? l.littleLimit() : l.bfsBound();
      if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
        sx.add((double) concurrency);
        sy.add(value.getAsDouble());
      }
    }
    if (!sx.isEmpty()) {
      series.add(new Series(name, color, sx, sy, true));
    }
  }

  private static String timelineChart(Comparison c, String engine) {
    List<Series> series = new ArrayList<>();
    for (int i = 0; i < c.concurrencies().size(); i++) {
      int concurrency = c.concurrencies().get(i);
      Optional<CrawlReport> run = c.cell(engine, concurrency).medianRun();
      if (run.isEmpty()) {
        continue;
      }
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      List<Long> timeline = run.get().timeline();
      for (int s = 0; s < timeline.size(); s++) {
        xs.add((double) s);
        ys.add((double) timeline.get(s));
      }
      String color =
          RAMP.get(
              Math.min(RAMP.size() - 1, i * RAMP.size() / Math.max(1, c.concurrencies().size())));
      series.add(new Series("C = " + CompareTables.integer(concurrency), color, xs, ys, false));
    }
    return SvgChart.render(
        engine + ": pages per second over time",
        "seconds since start",
        "pages/s",
        series,
        false,
        List.of());
  }

  private static String table(Comparison c) {
    StringBuilder t = new StringBuilder("<table>\n<thead><tr>");
    for (String header : CompareTables.HEADERS) {
      t.append("<th>").append(SvgChart.escape(header.replace("..", "–"))).append("</th>");
    }
    t.append("</tr></thead>\n<tbody>\n");
    for (int concurrency : c.concurrencies()) {
      Limits limits = c.limits(concurrency);
      t.append("<tr class=\"limits\"><td colspan=\"")
          .append(CompareTables.HEADERS.size())
          .append("\">")
          .append(SvgChart.escape(CompareTables.limitsLine(concurrency, limits)))
          .append("</td></tr>\n");
      for (String engine : c.engines()) {
        Cell cell = c.cell(engine, concurrency);
        t.append("<tr>");
        List<String> row = CompareTables.row(cell, limits);
        for (int i = 0; i < row.size(); i++) {
          t.append(i == 0 ? "<td class=\"engine\">" : "<td>")
              .append(SvgChart.escape(row.get(i).replace("..", "–")))
              .append("</td>");
        }
        t.append("</tr>\n");
        for (String failure : cell.failures()) {
          t.append("<tr><td class=\"failed\" colspan=\"")
              .append(CompareTables.HEADERS.size())
              .append("\">")
              .append(SvgChart.escape(engine + ": " + failure))
              .append("</td></tr>\n");
        }
      }
    }
    return t.append("</tbody>\n</table>\n").toString();
  }
}
