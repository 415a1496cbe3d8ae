package io.duocrawl.cli;

import io.duocrawl.cli.Comparison.Cell;
import io.duocrawl.cli.Comparison.Limits;
import io.duocrawl.cli.Comparison.Spread;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side comparison as a text table (for a terminal, ASCII only) and as Markdown. One
 * block per concurrency, one row per engine, so the engines being compared sit under each other.
 * Deterministic: the same {@link Comparison} always renders to the same text.
 */
final class CompareTables {
  private CompareTables() {}

  /** Column headers, shared by text, Markdown and HTML. */
  static final List<String> HEADERS =
      List.of(
          "engine",
          "pages/s",
          "min..max",
          "of bound",
          "in flight",
          "p50 ms",
          "p99 ms",
          "threads",
          "RSS MiB",
          "heap MiB",
          "CPU s",
          "CPU ms/page",
          "JIT / GC",
          "server ms/req",
          "errors");

  /** The values of one row, formatted, in {@link #HEADERS} order. */
  static List<String> row(Cell cell, Limits limits) {
    if (!cell.hasResults()) {
      List<String> row = new ArrayList<>();
      row.add(cell.engine());
      row.add("failed");
      while (row.size() < HEADERS.size()) {
        row.add("-");
      }
      return row;
    }
    Spread pps = cell.pagesPerSecond();
    java.util.OptionalDouble bound = Summary.bound(limits);
    String ofLittle = bound.isPresent() ? percent(pps.median() / bound.getAsDouble()) : "-";
    return List.of(
        cell.engine(),
        decimal(pps.median(), 1),
        decimal(pps.min(), 1) + ".." + decimal(pps.max(), 1) + (cell.wideSpread() ? " !" : ""),
        ofLittle,
        integer(cell.peakInFlight().median()),
        decimal(cell.latencyP50().median(), 1),
        decimal(cell.latencyP99().median(), 1),
        integer(cell.peakThreads().median()),
        decimal(cell.peakRssBytes().median() / (1 << 20), 1),
        decimal(cell.peakHeapBytes().median() / (1 << 20), 1),
        decimal(cell.cpuSeconds().median(), 2),
        decimal(cell.cpuMillisPerPage().median(), 3),
        cell.jitMillisPerPage().present() && cell.gcMillisPerPage().present()
            ? decimal(cell.jitMillisPerPage().median(), 3)
                + " / "
                + decimal(cell.gcMillisPerPage().median(), 3)
            : "-",
        cell.serverCpuMillisPerRequest().present()
            ? decimal(cell.serverCpuMillisPerRequest().median(), 3)
            : "-",
        integer(cell.errors().median()));
  }

  /** The line above each concurrency's rows: C, Little's-law limit, BFS bound, page budget. */
  static String limitsLine(int concurrency, Limits limits) {
    StringBuilder s = new StringBuilder("C = ").append(integer(concurrency));
    limits
        .littleLimit()
        .ifPresent(l -> s.append("   C/L = ").append(decimal(l, 1)).append(" pages/s"));
    limits
        .bfsBound()
        .ifPresent(b -> s.append("   BFS bound = ").append(decimal(b, 1)).append(" pages/s"));
    if (limits.pagesPerRun() > 0) {
      s.append("   ").append(integer(limits.pagesPerRun())).append(" pages per run");
    }
    return s.toString();
  }

  /** The text table. */
  static String text(Comparison c) {
    StringBuilder out = new StringBuilder();
    out.append(c.title()).append('\n');
    for (String sentence : Summary.sentences(c)) {
      out.append("  ").append(sentence).append('\n');
    }
    out.append('\n');
    for (Map.Entry<String, String> e : c.setup().entrySet()) {
      out.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    for (int concurrency : c.concurrencies()) {
      out.append('\n').append(limitsLine(concurrency, c.limits(concurrency))).append('\n');
      List<List<String>> rows = new ArrayList<>();
      rows.add(HEADERS);
      List<String> failures = new ArrayList<>();
      for (String engine : c.engines()) {
        Cell cell = c.cell(engine, concurrency);
        rows.add(row(cell, c.limits(concurrency)));
        cell.failures().forEach(f -> failures.add(engine + ": " + f));
      }
      align(rows, out);
      failures.forEach(f -> out.append("  ! ").append(f).append('\n'));
    }
    notes(c, out);
    return out.toString();
  }

  /** The Markdown: a setup list and one table with a column for C. */
  static String markdown(Comparison c) {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(c.title()).append("\n\n");
    for (String sentence : Summary.sentences(c)) {
      out.append("**").append(sentence).append("**  \n");
    }
    out.append('\n');
    for (Map.Entry<String, String> e : c.setup().entrySet()) {
      out.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    out.append("\n| C | C/L pages/s | BFS bound | ")
        .append(String.join(" | ", HEADERS).replace("min..max", "min–max"))
        .append(" |\n|");
    for (int i = 0; i < HEADERS.size() + 3; i++) {
      out.append(i == 3 ? " --- |" : " ---: |");
    }
    out.append('\n');
    List<String> failures = new ArrayList<>();
    for (int concurrency : c.concurrencies()) {
      Limits limits = c.limits(concurrency);
      for (String engine : c.engines()) {
        Cell cell = c.cell(engine, concurrency);
        out.append("| ")
            .append(integer(concurrency))
            .append(" | ")
            .append(
                limits.littleLimit().isPresent()
                    ? decimal(limits.littleLimit().getAsDouble(), 1)
                    : "–")
            .append(" | ")
            .append(
                limits.bfsBound().isPresent() ? decimal(limits.bfsBound().getAsDouble(), 1) : "–")
            .append(" | ")
            .append(String.join(" | ", row(cell, limits)).replace("..", "–"))
            .append(" |\n");
        cell.failures().forEach(f -> failures.add("C = " + concurrency + ", " + engine + ": " + f));
      }
    }
    if (!failures.isEmpty()) {
      out.append("\nFailed runs:\n\n");
      failures.forEach(f -> out.append("- ").append(f).append('\n'));
    }
    StringBuilder notes = new StringBuilder();
    notes(c, notes);
    out.append(notes.toString().replace("\n  ", "\n"));
    out.append("\nRuns in the order they ran (load average before -> after):\n\n");
    for (String run : runLines(c)) {
      out.append("- ").append(run).append('\n');
    }
    return out.toString();
  }

  /** One line per run in the order they ran: engine, C, pages/s, and the load before and after. */
  static List<String> runLines(Comparison c) {
    List<String> lines = new ArrayList<>();
    int i = 0;
    for (Comparison.Run run : c.runs()) {
      String head =
          String.format(
              Locale.ROOT,
              "%d. %s C = %s run %d: ",
              ++i,
              run.engine(),
              integer(run.concurrency()),
              run.repetition() + 1);
      String body =
          run.report()
              .map(r -> decimal(r.pagesPerSecond(), 1) + " pages/s")
              .orElse("failed: " + run.failure());
      lines.add(head + body + CompareRunner.loads(run));
    }
    return lines;
  }

  /** "3 of 36 runs started on a busy machine (…): …", when any did. */
  static java.util.Optional<String> busyNote(Comparison c) {
    long busy = busyRuns(c, Machine.cores());
    return busy == 0
        ? java.util.Optional.empty()
        : java.util.Optional.of(
            busy
                + " of "
                + c.runs().size()
                + " runs started on a busy machine (other processes used over "
                + Machine.BUSY_OTHER_CORES
                + " cores, or the load average was above "
                + Machine.cores()
                + " where that was not sampled): their figures are under load.");
  }

  /** How many runs started on a busy machine ({@link Machine#busy}). */
  static long busyRuns(Comparison c, int cores) {
    return c.runs().stream().filter(r -> r.startedBusy(cores)).count();
  }

  private static void notes(Comparison c, StringBuilder out) {
    out.append('\n')
        .append("Medians over ")
        .append(c.repeat())
        .append(c.repeat() == 1 ? " run" : " runs")
        .append(" per cell. of bound = pages/s / the smaller of C/L (Little's law) and the BFS")
        .append(" bound.\n")
        .append("in flight = the most requests the crawl had sent and not yet seen answered at")
        .append(" once (the session's count, waits for a connection included).\n")
        .append("RSS, heap and threads are peaks of the crawling JVM; CPU s is its CPU time during")
        .append(" the crawl.\n")
        .append("JIT / GC = the part of CPU ms/page spent by the crawling JVM's JIT compiler")
        .append(" threads and by its garbage collector (with the VM thread).\n")
        .append("server ms/req = the fixture server's CPU time during the crawl per request it")
        .append(" answered.\n! = the runs' pages/s spread over more than 10% of the median.\n");
    if (c.limits().values().stream().anyMatch(l -> l.bfsBound().isPresent())) {
      out.append("BFS bound = the best pages/s with C slots if every fetch took L and no CPU:")
          .append(" Little's law plus this site's ramp-up (links are found as pages arrive).\n");
    }
    busyNote(c).ifPresent(note -> out.append("BUSY MACHINE: ").append(note).append('\n'));
    if (c.interrupted()) {
      out.append("INTERRUPTED: the comparison was stopped before all runs finished.\n");
    }
  }

  private static void align(List<List<String>> rows, StringBuilder out) {
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String v = row.get(i);
        String pad = " ".repeat(width[i] - v.length());
        line.append(i == 0 ? "" : "  ").append(i == 0 ? v + pad : pad + v);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  static String decimal(double value, int digits) {
    if (Double.isNaN(value)) {
      return "-";
    }
    if (Double.isInfinite(value)) {
      return "inf";
    }
    return String.format(Locale.ROOT, "%,." + digits + "f", value);
  }

  static String integer(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,d", Math.round(value));
  }

  static String percent(double ratio) {
    if (Double.isNaN(ratio)) {
      return "-";
    }
    // Far below the limit (claim 3's large C) a whole percent would read as 0%.
    return String.format(Locale.ROOT, ratio < 0.1 ? "%.1f%%" : "%.0f%%", ratio * 100);
  }
}
