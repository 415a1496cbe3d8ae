package io.duocrawl.cli;

import io.duocrawl.cli.Comparison.Cell;
import io.duocrawl.cli.Comparison.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The answer of a comparison in one sentence per concurrency, for the top of every report: each
 * engine's median pages/s as a multiple of the first engine's, and how close the engines came to
 * the bound (the smaller of C ÷ L and the BFS bound), e.g. "C = 1,024: reactive 1.04× threads,
 * virtual 0.98× threads; all engines within 3% of the bound (6,667 pages/s)".
 */
final class Summary {
  private Summary() {}

  /** Engines within this share of the bound read as "at the bound". */
  static final double AT_THE_BOUND = 0.05;

  /** One sentence per concurrency, in order. */
  static List<String> sentences(Comparison c) {
    List<String> out = new ArrayList<>();
    for (int concurrency : c.concurrencies()) {
      out.add(sentence(c, concurrency));
    }
    return out;
  }

  /** The sentence for one concurrency. */
  static String sentence(Comparison c, int concurrency) {
    StringBuilder s =
        new StringBuilder("C = ").append(CompareTables.integer(concurrency)).append(": ");
    List<Cell> measured = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String engine : c.engines()) {
      Cell cell = c.cell(engine, concurrency);
      if (cell.hasResults()) {
        measured.add(cell);
      } else {
        failed.add(engine);
      }
    }
    List<String> parts = new ArrayList<>();
    if (measured.size() == 1) {
      Cell only = measured.get(0);
      parts.add(
          only.engine()
              + " "
              + CompareTables.decimal(only.pagesPerSecond().median(), 0)
              + " pages/s");
    } else if (measured.size() > 1) {
      Cell base = measured.get(0);
      List<String> ratios = new ArrayList<>();
      for (Cell cell : measured.subList(1, measured.size())) {
        ratios.add(
            cell.engine()
                + " "
                + String.format(
                    Locale.ROOT,
                    "%.2f",
                    cell.pagesPerSecond().median() / base.pagesPerSecond().median())
                + "× "
                + base.engine());
      }
      parts.add(String.join(", ", ratios));
    }
    OptionalDouble bound = bound(c.limits(concurrency));
    if (!measured.isEmpty() && bound.isPresent()) {
      parts.add(againstBound(measured, bound.getAsDouble()));
    } else if (!measured.isEmpty() && c.limits(concurrency).littleLimit().isEmpty()) {
      parts.add("no latency, so CPU is the only bound");
    }
    if (!failed.isEmpty()) {
      parts.add(String.join(", ", failed) + " failed");
    }
    List<String> wide = measured.stream().filter(Cell::wideSpread).map(Cell::engine).toList();
    if (!wide.isEmpty()) {
      parts.add("runs spread more than 10% for " + String.join(", ", wide));
    }
    return s.append(parts.isEmpty() ? "no results" : String.join("; ", parts)).toString();
  }

  /** The smaller of C ÷ L and the BFS bound, where known. */
  static OptionalDouble bound(Limits limits) {
    double b = Double.POSITIVE_INFINITY;
    if (limits.littleLimit().isPresent()) {
      b = Math.min(b, limits.littleLimit().getAsDouble());
    }
    if (limits.bfsBound().isPresent()) {
      b = Math.min(b, limits.bfsBound().getAsDouble());
    }
    return Double.isFinite(b) ? OptionalDouble.of(b) : OptionalDouble.empty();
  }

  private static String againstBound(List<Cell> measured, double bound) {
    String boundText = "the bound (" + CompareTables.decimal(bound, 0) + " pages/s)";
    double worst = Double.POSITIVE_INFINITY;
    for (Cell cell : measured) {
      worst = Math.min(worst, cell.pagesPerSecond().median() / bound);
    }
    if (worst >= 1 - AT_THE_BOUND) {
      long within = Math.round(Math.ceil((1 - Math.min(1, worst)) * 100 - 1e-9));
      return (measured.size() == 1 ? "" : "all engines ")
          + (within <= 0 ? "at " : "within " + within + "% of ")
          + boundText;
    }
    List<String> shares = new ArrayList<>();
    for (Cell cell : measured) {
      shares.add(
          cell.engine() + " " + CompareTables.percent(cell.pagesPerSecond().median() / bound));
    }
    return "of " + boundText + ": " + String.join(", ", shares);
  }
}
