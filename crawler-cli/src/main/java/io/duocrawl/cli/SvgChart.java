package io.duocrawl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as inline SVG: no script, no external file, so report.html opens offline and
 * renders the same everywhere. Deterministic output (fixed coordinates, rounded to 0.1 px).
 */
final class SvgChart {
  private SvgChart() {}

  /** The default size of a chart, in CSS pixels. */
  static final int DEFAULT_WIDTH = 1000;

  static final int DEFAULT_HEIGHT = 420;

  private static final int LEFT = 80;
  private static final int RIGHT = 170;
  private static final int TOP = 20;
  private static final int BOTTOM = 50;

  /**
   * One line of a chart.
   *
   * @param name the legend text
   * @param color a CSS colour
   * @param xs x values
   * @param ys y values, as many as {@code xs}
   * @param dashed a reference line (a limit) rather than a measurement
   * @param lows the lower end of each point's error bar; empty for no error bars
   * @param highs the upper end of each point's error bar; as many as {@code lows}
   */
  record Series(
      String name,
      String color,
      List<Double> xs,
      List<Double> ys,
      boolean dashed,
      List<Double> lows,
      List<Double> highs) {
    Series {
      xs = List.copyOf(xs);
      ys = List.copyOf(ys);
      lows = List.copyOf(lows);
      highs = List.copyOf(highs);
      if (xs.size() != ys.size()) {
        throw new IllegalArgumentException("xs and ys differ in size");
      }
      if (lows.size() != highs.size() || (!lows.isEmpty() && lows.size() != xs.size())) {
        throw new IllegalArgumentException("error bars do not match the points");
      }
    }

    /** A series without error bars. */
    Series(String name, String color, List<Double> xs, List<Double> ys, boolean dashed) {
      this(name, color, xs, ys, dashed, List.of(), List.of());
    }
  }

  /**
   * Renders a chart. With {@code logLog} both axes are logarithmic (x ticked at {@code xTicks}, the
   * concurrencies; y at powers of ten), so Little's law C ÷ L is a straight line and engines an
   * order of magnitude apart stay readable; otherwise both are linear from 0 with round ticks.
   */
  static String render(
      String label,
      String xLabel,
      String yLabel,
      List<Series> series,
      boolean logLog,
      List<Double> xTicks) {
    return render(label, xLabel, yLabel, series, logLog, xTicks, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /** {@link #render} at a given size in pixels. */
  static String render(
      String label,
      String xLabel,
      String yLabel,
      List<Series> series,
      boolean logLog,
      List<Double> xTicks,
      int width,
      int height) {
    boolean logX = logLog;
    double maxY = 0;
    double minY = Double.MAX_VALUE;
    double minX = Double.MAX_VALUE;
    double maxX = 0;
    for (Series s : series) {
      for (int i = 0; i < s.xs().size(); i++) {
        if (!s.highs().isEmpty() && Double.isFinite(s.highs().get(i))) {
          maxY = Math.max(maxY, s.highs().get(i));
        }
        if (Double.isFinite(s.ys().get(i))) {
          maxY = Math.max(maxY, s.ys().get(i));
          if (s.ys().get(i) > 0) {
            minY = Math.min(minY, s.ys().get(i));
          }
        }
        minX = Math.min(minX, s.xs().get(i));
        maxX = Math.max(maxX, s.xs().get(i));
      }
    }
    for (double t : xTicks) {
      minX = Math.min(minX, t);
      maxX = Math.max(maxX, t);
    }
    if (minX == Double.MAX_VALUE) {
      minX = 0;
      maxX = 1;
    }
    double yTop = niceCeiling(maxY);
    Axis x = logX ? Axis.log(minX, maxX) : Axis.linear(0, niceCeiling(maxX));
    Axis y = logLog && minY < Double.MAX_VALUE ? Axis.decades(minY, maxY) : Axis.linear(0, yTop);
    double plotW = width - LEFT - RIGHT;
    double plotH = height - TOP - BOTTOM;

    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\""
                    + " height=\"%d\" role=\"img\" aria-label=\"%s\">\n",
                width,
                height,
                width,
                height,
                escape(label)))
        .append("<title>")
        .append(escape(label))
        .append("</title>\n");
    // Horizontal grid and y labels.
    for (double v : y.ticks()) {
      double py = TOP + plotH - plotH * y.position(v);
      svg.append(line(LEFT, py, LEFT + plotW, py, "#ddd", false));
      svg.append(text(LEFT - 8, py + 4, "end", CompareTables.decimal(v, y.max() >= 50 ? 0 : 1)));
    }
    // x ticks.
    List<Double> ticks = logX ? xTicks : x.ticks();
    for (double t : ticks) {
      double px = LEFT + plotW * x.position(t);
      svg.append(line(px, TOP + plotH, px, TOP + plotH + 5, "#444", false));
      svg.append(
          text(
              px, TOP + plotH + 19, "middle", CompareTables.decimal(t, t == Math.rint(t) ? 0 : 1)));
    }
    svg.append(line(LEFT, TOP, LEFT, TOP + plotH, "#444", false));
    svg.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#444", false));
    svg.append(text(LEFT + plotW / 2, height - 8, "middle", xLabel));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>\n",
            TOP + plotH / 2,
            TOP + plotH / 2,
            escape(yLabel)));

    int legend = 0;
    for (Series s : series) {
      List<String> points = new ArrayList<>();
      for (int i = 0; i < s.xs().size(); i++) {
        double yv = s.ys().get(i);
        if (!Double.isFinite(yv)) {
          continue;
        }
        double px = LEFT + plotW * x.position(s.xs().get(i));
        double py = TOP + plotH - plotH * Math.max(0, Math.min(1, y.position(yv)));
        points.add(String.format(Locale.ROOT, "%.1f,%.1f", px, py));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline class=\"series\" data-name=\"%s\" fill=\"none\" stroke=\"%s\""
                  + " stroke-width=\"%s\"%s points=\"%s\"/>\n",
              escape(s.name()),
              s.color(),
              s.dashed() ? "1.5" : "2.5",
              s.dashed() ? " stroke-dasharray=\"6 4\"" : "",
              String.join(" ", points)));
      for (int i = 0; i < s.lows().size(); i++) {
        double lo = s.lows().get(i);
        double hi = s.highs().get(i);
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
          continue;
        }
        double px = LEFT + plotW * x.position(s.xs().get(i));
        double pLo = TOP + plotH - plotH * Math.max(0, Math.min(1, y.position(lo)));
        double pHi = TOP + plotH - plotH * Math.max(0, Math.min(1, y.position(hi)));
        svg.append(
            String.format(
                Locale.ROOT,
                "<path class=\"errorbar\" stroke=\"%s\" stroke-width=\"1.5\" fill=\"none\""
                    + " d=\"M%.1f,%.1fV%.1fM%.1f,%.1fH%.1fM%.1f,%.1fH%.1f\"/>\n",
                s.color(),
                px,
                pLo,
                pHi,
                px - 5,
                pLo,
                px + 5,
                px - 5,
                pHi,
                px + 5));
      }
      if (!s.dashed() && points.size() <= 12) {
        for (String p : points) {
          String[] xy = p.split(",");
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%s\" cy=\"%s\" r=\"3.5\" fill=\"%s\"/>\n",
                  xy[0],
                  xy[1],
                  s.color()));
        }
      }
      double ly = TOP + 10 + 20 * legend++;
      double lx = LEFT + plotW + 14;
      svg.append(line(lx, ly, lx + 22, ly, s.color(), s.dashed()));
      svg.append(text(lx + 28, ly + 4, "start", s.name()));
    }
    return svg.append("</svg>\n").toString();
  }

  private static String line(
      double x1, double y1, double x2, double y2, String color, boolean dashed) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s%s/>\n",
        x1,
        y1,
        x2,
        y2,
        color,
        dashed ? " stroke-dasharray=\"6 4\"" : "",
        color.equals("#ddd") || color.equals("#444") ? "" : " stroke-width=\"2.5\"");
  }

  private static String text(double x, double y, String anchor, String text) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n",
        x,
        y,
        anchor,
        escape(text));
  }

  /** 1, 2, 2.5, 5 × 10^n at or above {@code v}; 1 for nothing. */
  static double niceCeiling(double v) {
    if (!(v > 0)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= v * (1 - 1e-12)) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** Maps data values to [0, 1] along an axis. */
  private record Axis(double min, double max, boolean log) {
    static Axis linear(double min, double max) {
      return new Axis(min, max, false);
    }

    static Axis log(double min, double max) {
      // Pad by a quarter octave on each side so the first and last points are not on the frame.
      double lo = Math.max(min, 1e-9);
      double hi = Math.max(max, lo * 2);
      return new Axis(lo / Math.pow(2, 0.25), hi * Math.pow(2, 0.25), true);
    }

    double position(double v) {
      if (log) {
        return (Math.log(Math.max(v, 1e-9)) - Math.log(min)) / (Math.log(max) - Math.log(min));
      }
      return max == min ? 0 : (v - min) / (max - min);
    }

    /**
     * A log axis from the power of ten at or below {@code min} to the one at or above {@code max}.
     */
    static Axis decades(double min, double max) {
      double lo = Math.pow(10, Math.floor(Math.log10(min)));
      double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(max, lo * 10))));
      return new Axis(lo, hi, true);
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      if (log) {
        for (double t = min; t <= max * 1.0001; t *= 10) {
          ticks.add(t);
        }
        return ticks;
      }
      for (int i = 0; i <= 5; i++) {
        ticks.add(min + (max - min) * i / 5);
      }
      return ticks;
    }
  }
}
