package io.duocrawl.common.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How to render {@link CrawlReport}s: as an aligned text table, JSON, or a Markdown table. Several
 * reports render side by side (one column per report; in JSON an array), which is how engines are
 * compared.
 *
 * <p>Rendering is deterministic: numbers are formatted with {@link Locale#ROOT} (thousands
 * separated by commas), and nothing but the report's own fields goes in, so the same report always
 * renders to the same text. Every rendering ends with a line break. Constants are immutable and
 * thread-safe.
 *
 * <pre>{@code
 * ReportFormat format = ReportFormat.parse("md").orElseThrow();
 * System.out.print(format.render(List.of(threadsReport, reactiveReport)));
 * }</pre>
 */
public enum ReportFormat {
  /**
   * A plain-text table for a terminal: labels left, values right-aligned with units ({@code ms},
   * {@code MiB}, {@code s}), a header row of {@code engine@concurrency}.
   */
  TEXT {
    @Override
    String renderAll(List<CrawlReport> reports) {
      return ReportTable.text(reports);
    }
  },
  /**
   * JSON: members named after the {@link CrawlReport} components plus the derived {@code
   * pagesPerSecond}, {@code cpuMillisPerPage} and {@code balanced}; instants and durations as
   * ISO-8601 strings, latencies in milliseconds, reason maps as objects keyed by enum name
   * (non-zero counts only), the timeline as an array, and a {@code sitemaps} array when sitemaps
   * were read ({@link CrawlReport#sitemaps()}). Several reports render as an array. Read back with
   * {@link #readJson(String)}.
   */
  JSON {
    @Override
    public String render(CrawlReport report) {
      return JsonReport.render(Objects.requireNonNull(report, "report"));
    }

    @Override
    String renderAll(List<CrawlReport> reports) {
      return JsonReport.render(reports);
    }
  },
  /** A GitHub-flavoured Markdown table with the same rows as {@link #TEXT}. */
  MARKDOWN {
    @Override
    String renderAll(List<CrawlReport> reports) {
      return ReportTable.markdown(reports);
    }
  };

  /**
   * Renders one report: for {@link #TEXT} and {@link #MARKDOWN} a table with one value column, for
   * {@link #JSON} one object.
   */
  public String render(CrawlReport report) {
    return renderAll(List.of(Objects.requireNonNull(report, "report")));
  }

  /**
   * Renders reports side by side, one column per report in the given order ({@link #JSON}: an
   * array).
   *
   * @throws IllegalArgumentException if {@code reports} is empty
   */
  public String render(List<CrawlReport> reports) {
    List<CrawlReport> copy = List.copyOf(reports);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("reports must not be empty");
    }
    return renderAll(copy);
  }

  abstract String renderAll(List<CrawlReport> reports);

  /**
   * Reads back what {@link #JSON} rendered: one report for an object, the reports of an array in
   * order. The derived members ({@code pagesPerSecond}, {@code cpuMillisPerPage}, {@code balanced})
   * are ignored (the record recomputes them), and so are members this version does not know; a
   * number written as {@code null} (not finite) reads as NaN.
   *
   * <pre>{@code
   * CrawlReport report = ReportFormat.readJson(Files.readString(reportFile)).get(0);
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code json} is not JSON, or a member is missing or of the
   *     wrong type (the message names it)
   */
  public static List<CrawlReport> readJson(String json) {
    return JsonReport.read(Objects.requireNonNull(json, "json"));
  }

  /**
   * The format named {@code name}, ignoring case: {@code "text"}, {@code "json"}, {@code
   * "markdown"} or {@code "md"}; empty for anything else.
   */
  public static Optional<ReportFormat> parse(String name) {
    return switch (Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT)) {
      case "text" -> Optional.of(TEXT);
      case "json" -> Optional.of(JSON);
      case "markdown", "md" -> Optional.of(MARKDOWN);
      default -> Optional.empty();
    };
  }
}
