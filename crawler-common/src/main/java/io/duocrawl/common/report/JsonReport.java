package io.duocrawl.common.report;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import io.duocrawl.common.Reason;
import io.duocrawl.common.Rejection;
import io.duocrawl.common.sitemap.SitemapOutcome;
import io.duocrawl.common.sitemap.SitemapRead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link ReportFormat#JSON}, both ways, through jackson-jr: one object per report, members named
 * after the {@link CrawlReport} components, then the derived {@code pagesPerSecond}, {@code
 * cpuMillisPerPage} and {@code balanced}. Instants and durations are ISO-8601 strings ({@code
 * "2025-01-02T03:04:05Z"}, {@code "PT12.5S"}): exact and unambiguous about their unit. Maps are
 * objects keyed by enum name, holding the non-zero counts; the timeline is an array of pages per
 * second; latencies are milliseconds; a non-finite number (JSON has none) is {@code null}. When
 * sitemaps were read, {@code sitemaps} (after {@code cancelled}) holds one object per sitemap:
 * {@code url}, {@code outcome}, {@code urlsFound}, {@code urlsOffered}, {@code bytes}, {@code
 * reason}; it is absent otherwise.
 *
 * <p>The member list lives here once: {@link #tree} names each member for writing and {@link
 * #report} reads the same names back, and a round-trip test holds the two together. Strings are
 * escaped by Jackson, plus U+2028/U+2029 (legal JSON but line breaks to JavaScript) and every
 * surrogate (so an unpaired one, which no UTF-8 encoder can write, survives the trip).
 */
final class JsonReport {
  private JsonReport() {}

  private static final JSON CODEC =
      JSON.builder(
              new JsonFactoryBuilder()
                  .characterEscapes(new ReportEscapes())
                  .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                  .build())
          .prettyPrinter(new JsonPrinter())
          .enable(JSON.Feature.WRITE_NULL_PROPERTIES) // a non-finite number is a null member
          .build();

  static String render(CrawlReport report) {
    return write(tree(report));
  }

  static String render(List<CrawlReport> reports) {
    List<Object> array = new ArrayList<>(reports.size());
    for (CrawlReport report : reports) {
      array.add(tree(report));
    }
    return write(array);
  }

  /** The reports of {@code json}: one for an object, each element of an array in order. */
  static List<CrawlReport> read(String json) {
    Object root;
    try {
      root = CODEC.anyFrom(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("report is not JSON: " + e.getMessage(), e);
    }
    if (root instanceof Map<?, ?> object) {
      return List.of(report(object));
    }
    if (root instanceof List<?> array) {
      List<CrawlReport> reports = new ArrayList<>(array.size());
      for (Object element : array) {
        if (!(element instanceof Map<?, ?> object)) {
          throw new IllegalArgumentException("report array holds a non-object: " + element);
        }
        reports.add(report(object));
      }
      return List.copyOf(reports);
    }
    throw new IllegalArgumentException("report JSON is neither an object nor an array");
  }

  private static String write(Object tree) {
    try {
      return CODEC.asString(tree) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e); // no I/O: a String target
    }
  }

  /** One report as ordered maps, lists, strings, numbers and booleans, in member order. */
  static Map<String, Object> tree(CrawlReport r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("engine", r.engine());
    o.put("concurrency", r.concurrency());
    o.put("startedAt", r.startedAt().toString());
    o.put("duration", r.duration().toString());
    o.put("accepted", r.accepted());
    o.put("fetched", r.fetched());
    o.put("redirected", r.redirected());
    o.put("failed", r.failed());
    o.put("skipped", r.skipped());
    o.put("pending", r.pending());
    o.put("retries", r.retries());
    o.put("robotsFetches", r.robotsFetches());
    o.put("listenerFailures", r.listenerFailures());
    o.put("bodyBytes", r.bodyBytes());
    o.put("reasons", counts(r.reasons()));
    o.put("rejections", counts(r.rejections()));
    o.put("timeline", r.timeline());
    CrawlReport.Latency latency = r.latency();
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("count", latency.count());
    l.put("p50", number(latency.p50()));
    l.put("p90", number(latency.p90()));
    l.put("p99", number(latency.p99()));
    l.put("max", number(latency.max()));
    l.put("mean", number(latency.mean()));
    o.put("latency", l);
    o.put("peakInFlight", r.peakInFlight());
    o.put("peakThreads", r.peakThreads());
    o.put("peakHeapBytes", r.peakHeapBytes());
    o.put("peakRssBytes", r.peakRssBytes());
    o.put("cpuTime", r.cpuTime().toString());
    o.put("cancelled", r.cancelled());
    if (!r.sitemaps().isEmpty()) {
      List<Object> sitemaps = new ArrayList<>(r.sitemaps().size());
      for (SitemapRead read : r.sitemaps()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", read.url());
        m.put("outcome", read.outcome().name());
        m.put("urlsFound", read.urlsFound());
        m.put("urlsOffered", read.urlsOffered());
        m.put("bytes", read.bytes());
        m.put("reason", read.reason());
        sitemaps.add(m);
      }
      o.put("sitemaps", sitemaps);
    }
    o.put("pagesPerSecond", number(r.pagesPerSecond()));
    o.put("cpuMillisPerPage", number(r.cpuMillisPerPage()));
    o.put("balanced", r.balanced());
    return o;
  }

  /** The report a {@link #tree} wrote; the derived members are ignored (they are recomputed). */
  private static CrawlReport report(Map<?, ?> o) {
    Map<?, ?> l = object(o, "latency");
    return new CrawlReport(
        text(o, "engine"),
        (int) whole(o, "concurrency"),
        instant(o, "startedAt"),
        duration(o, "duration"),
        whole(o, "accepted"),
        whole(o, "fetched"),
        whole(o, "redirected"),
        whole(o, "failed"),
        whole(o, "skipped"),
        whole(o, "pending"),
        whole(o, "retries"),
        whole(o, "robotsFetches"),
        whole(o, "listenerFailures"),
        whole(o, "bodyBytes"),
        counts(object(o, "reasons"), Reason.class),
        counts(object(o, "rejections"), Rejection.class),
        timeline(o),
        new CrawlReport.Latency(
            whole(l, "count"),
            decimal(l, "p50"),
            decimal(l, "p90"),
            decimal(l, "p99"),
            decimal(l, "max"),
            decimal(l, "mean")),
        (int) whole(o, "peakInFlight"),
        (int) whole(o, "peakThreads"),
        whole(o, "peakHeapBytes"),
        whole(o, "peakRssBytes"),
        duration(o, "cpuTime"),
        bool(o, "cancelled"),
        sitemaps(o));
  }

  /** The {@code sitemaps} section; absent (no sitemap read) is empty. */
  private static List<SitemapRead> sitemaps(Map<?, ?> o) {
    if (!o.containsKey("sitemaps")) {
      return List.of();
    }
    if (!(o.get("sitemaps") instanceof List<?> array)) {
      throw missing("sitemaps", "array");
    }
    List<SitemapRead> reads = new ArrayList<>(array.size());
    for (Object element : array) {
      if (!(element instanceof Map<?, ?> m)) {
        throw missing("sitemaps", "array of objects");
      }
      String outcome = text(m, "outcome");
      SitemapOutcome kind;
      try {
        kind = SitemapOutcome.valueOf(outcome);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "report has an unknown SitemapOutcome '" + outcome + "'", e);
      }
      reads.add(
          new SitemapRead(
              text(m, "url"),
              kind,
              whole(m, "urlsFound"),
              whole(m, "urlsOffered"),
              whole(m, "bytes"),
              text(m, "reason")));
    }
    return reads;
  }

  private static Object number(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static Map<String, Long> counts(Map<? extends Enum<?>, Long> counts) {
    Map<String, Long> o = new LinkedHashMap<>();
    counts.forEach((key, count) -> o.put(key.name(), count));
    return o;
  }

  private static <E extends Enum<E>> Map<E, Long> counts(Map<?, ?> object, Class<E> type) {
    Map<E, Long> counts = new EnumMap<>(type);
    object.forEach(
        (key, value) -> {
          E name;
          try {
            name = Enum.valueOf(type, String.valueOf(key));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "report has an unknown " + type.getSimpleName() + " '" + key + "'", e);
          }
          counts.put(name, asWhole(value, String.valueOf(key)));
        });
    return counts;
  }

  private static List<Long> timeline(Map<?, ?> o) {
    if (!(o.get("timeline") instanceof List<?> array)) {
      throw missing("timeline", "array");
    }
    List<Long> values = new ArrayList<>(array.size());
    for (Object value : array) {
      values.add(asWhole(value, "timeline"));
    }
    return values;
  }

  private static Map<?, ?> object(Map<?, ?> o, String name) {
    if (o.get(name) instanceof Map<?, ?> object) {
      return object;
    }
    throw missing(name, "object");
  }

  private static String text(Map<?, ?> o, String name) {
    if (o.get(name) instanceof String s) {
      return s;
    }
    throw missing(name, "text");
  }

  private static boolean bool(Map<?, ?> o, String name) {
    if (o.get(name) instanceof Boolean b) {
      return b;
    }
    throw missing(name, "boolean");
  }

  private static long whole(Map<?, ?> o, String name) {
    if (!o.containsKey(name)) {
      throw missing(name, "number");
    }
    return asWhole(o.get(name), name);
  }

  private static long asWhole(Object value, String name) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException(
        "report member '" + name + "' is not a whole number: " + value);
  }

  /** A number, or NaN for the {@code null} a non-finite number was written as. */
  private static double decimal(Map<?, ?> o, String name) {
    if (!o.containsKey(name)) {
      throw missing(name, "number");
    }
    Object value = o.get(name);
    if (value == null) {
      return Double.NaN;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("report member '" + name + "' is not a number: " + value);
  }

  private static Instant instant(Map<?, ?> o, String name) {
    try {
      return Instant.parse(text(o, name));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("report member '" + name + "' is not an instant", e);
    }
  }

  private static Duration duration(Map<?, ?> o, String name) {
    try {
      return Duration.parse(text(o, name));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("report member '" + name + "' is not a duration", e);
    }
  }

  private static IllegalArgumentException missing(String name, String kind) {
    return new IllegalArgumentException("report has no " + kind + " member '" + name + "'");
  }

  /** Jackson's JSON escapes, plus U+2028, U+2029 and every surrogate as {@code \}{@code uXXXX}. */
  private static final class ReportEscapes extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028 || ch == 0x2029 || Character.isSurrogate((char) ch)) {
        return new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch));
      }
      return null;
    }
  }
}
