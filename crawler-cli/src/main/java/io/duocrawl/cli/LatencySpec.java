package io.duocrawl.cli;

import io.duocrawl.fixtures.LatencyModel;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A fixture latency model as typed on the command line: {@code fixed:100ms}, {@code
 * uniform:50ms..150ms}, {@code lognormal:100ms,0.5} (median, sigma) or {@code 0}.
 *
 * @param text the canonical spelling, for tables and for passing to a child JVM
 * @param model the model the fixture site uses
 * @param mean the mean delay, the L of Little's law (for log-normal: median × e^(σ²/2))
 */
record LatencySpec(String text, LatencyModel model, Duration mean) {

  static LatencySpec parse(String value) {
    String s = value.strip().toLowerCase(Locale.ROOT);
    try {
      if (s.equals("0") || s.equals("none")) {
        return new LatencySpec("fixed:0ms", LatencyModel.none(), Duration.ZERO);
      }
      int colon = s.indexOf(':');
      String kind = colon < 0 ? "fixed" : s.substring(0, colon);
      String args = s.substring(colon + 1);
      switch (kind) {
        case "fixed" -> {
          Duration d = Units.duration(args);
          return new LatencySpec("fixed:" + Units.format(d), LatencyModel.fixed(d), d);
        }
        case "uniform" -> {
          String[] range = args.split("\\.\\.", -1);
          if (range.length != 2) {
            throw new IllegalArgumentException(
                "uniform latency needs MIN..MAX, e.g. uniform:50ms..150ms");
          }
          Duration min = Units.duration(range[0]);
          Duration max = Units.duration(range[1]);
          LatencyModel model = LatencyModel.uniform(min, max);
          return new LatencySpec(
              "uniform:" + Units.format(min) + ".." + Units.format(max),
              model,
              min.plus(max).dividedBy(2));
        }
        case "lognormal" -> {
          String[] parts = args.split(",", -1);
          if (parts.length != 2) {
            throw new IllegalArgumentException(
                "lognormal latency needs MEDIAN,SIGMA, e.g. lognormal:100ms,0.5");
          }
          Duration median = Units.duration(parts[0]);
          double sigma = Double.parseDouble(parts[1].strip());
          LatencyModel model = LatencyModel.logNormal(median, sigma);
          double meanNanos = median.toNanos() * Math.exp(sigma * sigma / 2);
          return new LatencySpec(
              "lognormal:" + Units.format(median) + "," + parts[1].strip(),
              model,
              Duration.ofNanos(Math.round(meanNanos)));
        }
        default ->
            throw new IllegalArgumentException(
                "'"
                    + value
                    + "' is not a latency (use fixed:100ms, uniform:50ms..150ms,"
                    + " lognormal:100ms,0.5 or 0)");
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a latency: bad number");
    }
  }

  /** picocli converter. */
  static final class Converter implements ITypeConverter<LatencySpec> {
    @Override
    public LatencySpec convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
