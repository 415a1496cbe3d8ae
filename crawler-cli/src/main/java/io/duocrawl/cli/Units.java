package io.duocrawl.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The two units people type on a command line: durations ({@code 500ms}, {@code 10s}, {@code 2m})
 * and byte sizes ({@code 512KB}, {@code 10MB}, binary: 1 KB = 1,024 bytes).
 */
final class Units {
  private Units() {}

  private static final Pattern NUMBER_UNIT =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zµ]*)", Pattern.CASE_INSENSITIVE);

  private static final Map<String, Long> DURATION_NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "min", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  // Binary units: a size limit is about memory, where 1 MB meaning 1,048,576 bytes is what people
  // expect from -Xmx and friends. The IEC spellings are accepted too.
  private static final Map<String, Long> SIZE_BYTES =
      Map.ofEntries(
          Map.entry("", 1L),
          Map.entry("b", 1L),
          Map.entry("k", 1L << 10),
          Map.entry("kb", 1L << 10),
          Map.entry("kib", 1L << 10),
          Map.entry("m", 1L << 20),
          Map.entry("mb", 1L << 20),
          Map.entry("mib", 1L << 20),
          Map.entry("g", 1L << 30),
          Map.entry("gb", 1L << 30),
          Map.entry("gib", 1L << 30));

  /**
   * Parses {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 1h}, {@code 0}, or ISO-8601 ({@code
   * PT10S}).
   *
   * @throws IllegalArgumentException with a message fit for the user
   */
  static Duration duration(String text) {
    String s = text.strip();
    if (s.regionMatches(true, 0, "PT", 0, 2)) {
      try {
        return requireNonNegative(text, Duration.parse(s));
      } catch (DateTimeParseException e) {
        throw badDuration(text);
      }
    }
    Matcher m = NUMBER_UNIT.matcher(s);
    if (!m.matches()) {
      throw s.startsWith("-") ? negative(text) : badDuration(text);
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    if (unit.isEmpty() && number.signum() == 0) {
      return Duration.ZERO;
    }
    Long nanos = DURATION_NANOS.get(unit);
    if (nanos == null) {
      throw badDuration(text);
    }
    try {
      return Duration.ofNanos(number.multiply(BigDecimal.valueOf(nanos)).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration");
    }
  }

  /**
   * Parses {@code 512KB}, {@code 10MB}, {@code 1.5GB}, {@code 4096} (bytes); binary units.
   *
   * @throws IllegalArgumentException with a message fit for the user
   */
  static long size(String text) {
    String s = text.strip();
    Matcher m = NUMBER_UNIT.matcher(s);
    if (!m.matches()) {
      throw s.startsWith("-")
          ? new IllegalArgumentException("must be > 0, was " + text)
          : badSize(text);
    }
    Long unit = SIZE_BYTES.get(m.group(2).toLowerCase(Locale.ROOT));
    if (unit == null) {
      throw badSize(text);
    }
    try {
      return new BigDecimal(m.group(1))
          .multiply(BigDecimal.valueOf(unit))
          .setScale(0, java.math.RoundingMode.CEILING)
          .longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a size");
    }
  }

  /**
   * {@code 250ms}, {@code 1.5s}, {@code 2m}, {@code 1h}: a short form that {@link #duration} reads.
   */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1_000 || ms % 1_000 != 0 && ms < 60_000) {
      return ms < 1_000
          ? ms + "ms"
          : BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1_000 == 0
        ? ms / 1_000 + "s"
        : BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
  }

  private static Duration requireNonNegative(String text, Duration d) {
    if (d.isNegative()) {
      throw negative(text);
    }
    return d;
  }

  private static IllegalArgumentException negative(String text) {
    return new IllegalArgumentException("must be >= 0, was " + text);
  }

  private static IllegalArgumentException badDuration(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration (use a number and a unit: 500ms, 10s, 2m, 1h)");
  }

  private static IllegalArgumentException badSize(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a size (use a number and a binary unit: 4096, 512KB, 10MB, 1GB)");
  }

  /** picocli converter for {@link Duration} options. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return duration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** picocli converter for byte-size options. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return size(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
