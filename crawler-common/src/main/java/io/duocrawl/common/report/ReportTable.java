package io.duocrawl.common.report;

import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.sitemap.SitemapOutcome;
import io.duocrawl.common.sitemap.SitemapRead;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The rows shared by {@link ReportFormat#TEXT} and {@link ReportFormat#MARKDOWN}: a label column,
 * then one formatted value column per report. Reason and rejection rows appear for every key that
 * is non-zero in at least one report, in enum order, so side-by-side columns line up.
 *
 * <p>Deterministic: everything is formatted with {@link Locale#ROOT} from the report's own fields.
 */
final class ReportTable {
  /** One line of the table: a label and one cell per report. An empty label marks a group break. */
  record Row(String label, List<String> cells) {
    boolean isBreak() {
      return label.isEmpty();
    }
  }

  private static final String NONE = "-";
  private static final DateTimeFormatter STARTED = DateTimeFormatter.ISO_INSTANT;

  private ReportTable() {}

  /** The header row ({@code engine@concurrency} per report), then the body rows. */
  static List<Row> rows(List<CrawlReport> reports) {
    List<Row> rows = new ArrayList<>();
    rows.add(row(reports, "metric", r -> r.engine() + "@" + r.concurrency()));
    rows.add(
        row(
            reports,
            "started",
            r -> STARTED.format(r.startedAt().truncatedTo(ChronoUnit.SECONDS))));
    rows.add(row(reports, "duration", r -> seconds(r.duration())));
    rows.add(row(reports, "cancelled", r -> yesNo(r.cancelled())));
    rows.add(groupBreak(reports));
    rows.add(row(reports, "accepted", r -> count(r.accepted())));
    rows.add(row(reports, "fetched", r -> count(r.fetched())));
    rows.add(row(reports, "redirected", r -> count(r.redirected())));
    rows.add(row(reports, "failed", r -> count(r.failed())));
    rows.add(row(reports, "skipped", r -> count(r.skipped())));
    rows.add(row(reports, "pending", r -> count(r.pending())));
    rows.add(row(reports, "balanced", r -> yesNo(r.balanced())));
    rows.add(groupBreak(reports));
    rows.add(row(reports, "pages/s", r -> decimal(r.pagesPerSecond(), 1)));
    rows.add(row(reports, "pages in busiest second", r -> count(best(r.timeline()))));
    rows.add(row(reports, "retries", r -> count(r.retries())));
    rows.add(row(reports, "robots.txt fetches", r -> count(r.robotsFetches())));
    rows.add(row(reports, "listener failures", r -> count(r.listenerFailures())));
    rows.add(row(reports, "body bytes", r -> bytes(r.bodyBytes())));
    rows.add(groupBreak(reports));
    rows.add(row(reports, "latency samples", r -> count(r.latency().count())));
    rows.add(latency(reports, "latency p50", CrawlReport.Latency::p50));
    rows.add(latency(reports, "latency p90", CrawlReport.Latency::p90));
    rows.add(latency(reports, "latency p99", CrawlReport.Latency::p99));
    rows.add(latency(reports, "latency max", CrawlReport.Latency::max));
    rows.add(latency(reports, "latency mean", CrawlReport.Latency::mean));
    rows.add(groupBreak(reports));
    rows.add(row(reports, "peak in flight", r -> count(r.peakInFlight())));
    rows.add(row(reports, "peak threads", r -> count(r.peakThreads())));
    rows.add(row(reports, "peak heap", r -> bytes(r.peakHeapBytes())));
    rows.add(row(reports, "peak RSS", r -> r.peakRssBytes() == 0 ? NONE : bytes(r.peakRssBytes())));
    rows.add(row(reports, "CPU time", r -> seconds(r.cpuTime())));
    rows.add(row(reports, "CPU per page", r -> decimal(r.cpuMillisPerPage(), 2) + " ms"));

    Set<Reason> reasons = EnumSet.noneOf(Reason.class);
    Set<Rejection> rejections = EnumSet.noneOf(Rejection.class);
    for (CrawlReport report : reports) {
      reasons.addAll(report.reasons().keySet());
      rejections.addAll(report.rejections().keySet());
    }
    if (!reasons.isEmpty()) {
      rows.add(groupBreak(reports));
    }
    for (Reason reason : reasons) {
      String label = reason.outcome().name().toLowerCase(Locale.ROOT) + ": " + reason.name();
      rows.add(row(reports, label, r -> count(r.count(reason))));
    }
    if (!rejections.isEmpty()) {
      rows.add(groupBreak(reports));
    }
    for (Rejection rejection : rejections) {
      rows.add(row(reports, "rejected: " + rejection.name(), r -> count(r.count(rejection))));
    }
    sitemapRows(reports, rows);
    return rows;
  }

  /** At most this many sitemaps get a row each; the rest are counted in one row. */
  static final int SITEMAP_ROWS = 20;

  /**
   * When a report read sitemaps: counts by outcome, URLs found and offered, bytes, then one row per
   * sitemap URL (the first {@value #SITEMAP_ROWS} by URL) with its outcome, offered/found URLs and,
   * unless parsed, the reason (cut at {@value #REASON_CHARS} characters). Nothing when no report
   * read one, so such tables are unchanged.
   */
  private static void sitemapRows(List<CrawlReport> reports, List<Row> rows) {
    Set<SitemapOutcome> outcomes = EnumSet.noneOf(SitemapOutcome.class);
    Set<String> urls = new TreeSet<>();
    for (CrawlReport report : reports) {
      for (SitemapRead read : report.sitemaps()) {
        outcomes.add(read.outcome());
        urls.add(read.url());
      }
    }
    if (urls.isEmpty()) {
      return;
    }
    rows.add(groupBreak(reports));
    rows.add(row(reports, "sitemaps read", r -> count(r.sitemaps().size())));
    for (SitemapOutcome outcome : outcomes) {
      rows.add(
          row(
              reports,
              "sitemaps: " + outcome.name(),
              r -> count(r.sitemaps().stream().filter(s -> s.outcome() == outcome).count())));
    }
    rows.add(row(reports, "sitemap URLs found", r -> count(sum(r, SitemapRead::urlsFound))));
    rows.add(row(reports, "sitemap URLs offered", r -> count(sum(r, SitemapRead::urlsOffered))));
    rows.add(row(reports, "sitemap bytes", r -> bytes(sum(r, SitemapRead::bytes))));
    rows.add(groupBreak(reports));
    List<String> listed = urls.stream().limit(SITEMAP_ROWS).toList();
    for (String url : listed) {
      rows.add(
          row(
              reports,
              "sitemap " + url,
              r ->
                  r.sitemaps().stream()
                      .filter(s -> s.url().equals(url))
                      .findFirst()
                      .map(ReportTable::sitemapCell)
                      .orElse(NONE)));
    }
    if (urls.size() > SITEMAP_ROWS) {
      Set<String> shown = Set.copyOf(listed);
      rows.add(
          row(
              reports,
              "sitemaps not listed above",
              r -> count(r.sitemaps().stream().filter(s -> !shown.contains(s.url())).count())));
    }
  }

  /** The most characters of a reason in a cell; the JSON has it whole. */
  private static final int REASON_CHARS = 32;

  private static String sitemapCell(SitemapRead read) {
    String urls = count(read.urlsOffered()) + "/" + count(read.urlsFound()) + " URLs";
    String reason = read.reason().strip();
    if (reason.length() > REASON_CHARS) {
      reason = reason.substring(0, REASON_CHARS - 1).stripTrailing() + "…";
    }
    return reason.isEmpty()
        ? read.outcome().name() + ", " + urls
        : read.outcome().name() + " (" + reason + "), " + urls;
  }

  private static long sum(CrawlReport report, ToLongFunction<SitemapRead> field) {
    return report.sitemaps().stream().mapToLong(field).sum();
  }

  private static Row row(
      List<CrawlReport> reports, String label, Function<CrawlReport, String> cell) {
    List<String> cells = new ArrayList<>(reports.size());
    for (CrawlReport report : reports) {
      cells.add(cell.apply(report));
    }
    return new Row(label, cells);
  }

  private static Row latency(
      List<CrawlReport> reports,
      String label,
      java.util.function.ToDoubleFunction<CrawlReport.Latency> millis) {
    return row(
        reports,
        label,
        r ->
            r.latency().count() == 0
                ? NONE
                : decimal(millis.applyAsDouble(r.latency()), 2) + " ms");
  }

  private static Row groupBreak(List<CrawlReport> reports) {
    return new Row("", Collections.nCopies(reports.size(), ""));
  }

  private static long best(List<Long> timeline) {
    long best = 0;
    for (long pages : timeline) {
      best = Math.max(best, pages);
    }
    return best;
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String decimal(double value, int places) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%,." + places + "f", value) : NONE;
  }

  /** Seconds with millisecond precision: {@code "1,234.567 s"}. */
  static String seconds(Duration duration) {
    return decimal(duration.toNanos() / 1e9, 3) + " s";
  }

  /** Binary units, one decimal: {@code "512 B"}, {@code "1.5 KiB"}, {@code "12.3 MiB"}. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return count(bytes) + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = bytes / 1024.0;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return decimal(value, 1) + " " + units[unit];
  }

  private static String yesNo(boolean value) {
    return value ? "yes" : "no";
  }

  /** An aligned plain-text table: labels left, values right, a rule under the header. */
  static String text(List<CrawlReport> reports) {
    List<Row> rows = rows(reports);
    int columns = reports.size() + 1;
    int[] widths = new int[columns];
    for (Row row : rows) {
      widths[0] = Math.max(widths[0], row.label().length());
      for (int c = 1; c < columns; c++) {
        widths[c] = Math.max(widths[c], row.cells().get(c - 1).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      if (row.isBreak()) {
        out.append('\n');
        continue;
      }
      StringBuilder line = new StringBuilder(pad(row.label(), widths[0], false));
      for (int c = 1; c < columns; c++) {
        line.append("  ").append(pad(row.cells().get(c - 1), widths[c], true));
      }
      out.append(line.toString().stripTrailing()).append('\n');
      if (i == 0) {
        StringBuilder rule = new StringBuilder("-".repeat(widths[0]));
        for (int c = 1; c < columns; c++) {
          rule.append("  ").append("-".repeat(widths[c]));
        }
        out.append(rule).append('\n');
      }
    }
    return out.toString();
  }

  /** A GitHub-flavoured Markdown table with the same rows, values right-aligned. */
  static String markdown(List<CrawlReport> reports) {
    StringBuilder out = new StringBuilder();
    List<Row> rows = rows(reports);
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      if (row.isBreak()) {
        continue;
      }
      out.append("| ").append(markdownCell(row.label()));
      for (String cell : row.cells()) {
        out.append(" | ").append(markdownCell(cell));
      }
      out.append(" |\n");
      if (i == 0) {
        out.append("|:---");
        out.append("|---:".repeat(reports.size()));
        out.append("|\n");
      }
    }
    return out.toString();
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }

  /** A pipe would end the cell and a line break the table; engine ids are free text. */
  private static String markdownCell(String s) {
    return s.replace("\\", "\\\\").replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
  }
}
