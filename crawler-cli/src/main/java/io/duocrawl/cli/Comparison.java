package io.duocrawl.cli;

import io.duocrawl.common.report.CrawlReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The results of a {@code compare} or {@code bench}: every run, and per engine and concurrency the
 * median and spread over the repetitions. What the renderers ({@link CompareTables}, {@link
 * CompareJson}, {@link CompareHtml}) draw from; immutable.
 *
 * @param title what was compared, one line
 * @param setup facts about the setup worth printing (site, latency, machine), label to value
 * @param engines engine ids in presentation order
 * @param concurrencies concurrencies, ascending
 * @param repeat measured repetitions per engine and concurrency
 * @param limits what bounds the throughput at each concurrency
 * @param runs every measured run, in the order they ran
 * @param interrupted whether Ctrl-C stopped the comparison early
 */
record Comparison(
    String title,
    Map<String, String> setup,
    List<String> engines,
    List<Integer> concurrencies,
    int repeat,
    Map<Integer, Limits> limits,
    List<Run> runs,
    boolean interrupted) {

  Comparison {
    Objects.requireNonNull(title, "title");
    setup = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(setup));
    engines = List.copyOf(engines);
    concurrencies = List.copyOf(concurrencies);
    limits = Map.copyOf(limits);
    runs = List.copyOf(runs);
  }

  /**
   * The throughput limits at one concurrency.
   *
   * @param littleLimit Little's law: C ÷ L pages per second, when the latency L is known and > 0
   * @param bfsBound the best pages/s with C slots and every fetch taking L, on this link graph and
   *     page budget, when known
   * @param pagesPerRun the page budget of each run ({@code --max-pages}); 0 when not fixed
   */
  record Limits(OptionalDouble littleLimit, OptionalDouble bfsBound, long pagesPerRun) {
    static final Limits UNKNOWN = new Limits(OptionalDouble.empty(), OptionalDouble.empty(), 0);
  }

  /**
   * One crawl of the comparison.
   *
   * @param engine the engine id
   * @param concurrency its concurrency
   * @param repetition 0-based repetition
   * @param report the crawl's report; empty when the run failed
   * @param failure why the run failed; empty when it did not
   * @param serverCpu CPU time the fixture server used during the measured crawl; empty when unknown
   * @param loadBefore the machine's one-minute load average before the run; empty when unknown
   * @param loadAfter the load average after the run; empty when unknown
   * @param otherCoresBefore cores' worth of CPU other processes used just before the run (sampled
   *     while nothing of the bench ran); empty when unknown
   * @param crawlerJvmCpu the JIT and GC share of the crawling JVM's CPU time during the measured
   *     crawl; empty when unknown
   */
  record Run(
      String engine,
      int concurrency,
      int repetition,
      Optional<CrawlReport> report,
      String failure,
      Optional<Duration> serverCpu,
      OptionalDouble loadBefore,
      OptionalDouble loadAfter,
      OptionalDouble otherCoresBefore,
      Optional<JvmCpu> crawlerJvmCpu) {
    Run {
      Objects.requireNonNull(engine, "engine");
      Objects.requireNonNull(report, "report");
      Objects.requireNonNull(failure, "failure");
      Objects.requireNonNull(serverCpu, "serverCpu");
      Objects.requireNonNull(loadBefore, "loadBefore");
      Objects.requireNonNull(loadAfter, "loadAfter");
      Objects.requireNonNull(otherCoresBefore, "otherCoresBefore");
      Objects.requireNonNull(crawlerJvmCpu, "crawlerJvmCpu");
    }

    static Run of(String engine, int concurrency, int repetition, CrawlReport report) {
      return new Run(
          engine,
          concurrency,
          repetition,
          Optional.of(report),
          "",
          Optional.empty(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          Optional.empty());
    }

    static Run failed(String engine, int concurrency, int repetition, String failure) {
      return new Run(
          engine,
          concurrency,
          repetition,
          Optional.empty(),
          failure,
          Optional.empty(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          Optional.empty());
    }

    Run withServerCpu(Duration cpu) {
      return new Run(
          engine,
          concurrency,
          repetition,
          report,
          failure,
          Optional.of(cpu),
          loadBefore,
          loadAfter,
          otherCoresBefore,
          crawlerJvmCpu);
    }

    Run withLoad(OptionalDouble before, OptionalDouble after, OptionalDouble othersBefore) {
      return new Run(
          engine,
          concurrency,
          repetition,
          report,
          failure,
          serverCpu,
          before,
          after,
          othersBefore,
          crawlerJvmCpu);
    }

    Run withCrawlerJvmCpu(JvmCpu cpu) {
      return new Run(
          engine,
          concurrency,
          repetition,
          report,
          failure,
          serverCpu,
          loadBefore,
          loadAfter,
          otherCoresBefore,
          Optional.of(cpu));
    }

    /** The JIT or GC CPU milliseconds per fetched page, where measured and pages were fetched. */
    Optional<Double> jvmMillisPerPage(java.util.function.Function<JvmCpu, Duration> part) {
      long fetched = report.map(CrawlReport::fetched).orElse(0L);
      return fetched == 0
          ? Optional.empty()
          : crawlerJvmCpu.map(cpu -> part.apply(cpu).toNanos() / 1e6 / fetched);
    }

    /** Whether this run started on a busy machine ({@link Machine#busy}). */
    boolean startedBusy(int cores) {
      return Machine.busy(loadBefore, otherCoresBefore, cores);
    }

    /**
     * Requests the server answered for this crawl: pages, redirects, failures, retries and robots
     * fetches; 0 for a failed run.
     */
    long requests() {
      return report
          .map(r -> r.fetched() + r.redirected() + r.failed() + r.retries() + r.robotsFetches())
          .orElse(0L);
    }
  }

  /** The limits at a concurrency, {@link Limits#UNKNOWN} when none were computed. */
  Limits limits(int concurrency) {
    return limits.getOrDefault(concurrency, Limits.UNKNOWN);
  }

  /** The summary of one engine at one concurrency. */
  Cell cell(String engine, int concurrency) {
    List<CrawlReport> reports = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<Duration> serverCpu = new ArrayList<>();
    List<Double> serverMsPerRequest = new ArrayList<>();
    List<Double> jitMsPerPage = new ArrayList<>();
    List<Double> gcMsPerPage = new ArrayList<>();
    for (Run run : runs) {
      if (run.engine().equals(engine) && run.concurrency() == concurrency) {
        run.report().ifPresent(reports::add);
        if (!run.failure().isEmpty()) {
          failures.add(run.failure());
        }
        run.serverCpu().ifPresent(serverCpu::add);
        if (run.serverCpu().isPresent() && run.requests() > 0) {
          serverMsPerRequest.add(run.serverCpu().get().toNanos() / 1e6 / run.requests());
        }
        run.jvmMillisPerPage(JvmCpu::jit).ifPresent(jitMsPerPage::add);
        run.jvmMillisPerPage(JvmCpu::gc).ifPresent(gcMsPerPage::add);
      }
    }
    return new Cell(
        engine,
        concurrency,
        reports,
        failures,
        serverCpu,
        serverMsPerRequest,
        jitMsPerPage,
        gcMsPerPage);
  }

  /**
   * One engine at one concurrency over its repetitions.
   *
   * @param engine the engine id
   * @param concurrency the concurrency
   * @param reports the reports of the runs that finished
   * @param failures the failure messages of the runs that did not
   * @param serverCpu the fixture server's CPU time per run, where measured
   * @param serverMsPerRequest the server's CPU milliseconds per request it answered, per run
   * @param jitMsPerPage the crawling JVM's JIT-compiler CPU milliseconds per page, per run
   * @param gcMsPerPage the crawling JVM's garbage-collector CPU milliseconds per page, per run
   */
  record Cell(
      String engine,
      int concurrency,
      List<CrawlReport> reports,
      List<String> failures,
      List<Duration> serverCpu,
      List<Double> serverMsPerRequest,
      List<Double> jitMsPerPage,
      List<Double> gcMsPerPage) {

    /** A spread wider than this share of its median is flagged: the runs disagree. */
    static final double WIDE_SPREAD = 0.10;

    boolean hasResults() {
      return !reports.isEmpty();
    }

    Spread pagesPerSecond() {
      return Spread.of(reports, CrawlReport::pagesPerSecond);
    }

    Spread latencyP50() {
      return Spread.of(reports, r -> r.latency().p50());
    }

    Spread latencyP99() {
      return Spread.of(reports, r -> r.latency().p99());
    }

    Spread peakInFlight() {
      return Spread.of(reports, CrawlReport::peakInFlight);
    }

    Spread peakThreads() {
      return Spread.of(reports, CrawlReport::peakThreads);
    }

    Spread peakRssBytes() {
      return Spread.of(reports, CrawlReport::peakRssBytes);
    }

    Spread peakHeapBytes() {
      return Spread.of(reports, CrawlReport::peakHeapBytes);
    }

    Spread cpuSeconds() {
      return Spread.of(reports, r -> r.cpuTime().toNanos() / 1e9);
    }

    Spread cpuMillisPerPage() {
      return Spread.of(reports, CrawlReport::cpuMillisPerPage);
    }

    Spread errors() {
      return Spread.of(reports, CrawlReport::failed);
    }

    Spread fetched() {
      return Spread.of(reports, CrawlReport::fetched);
    }

    Spread pending() {
      return Spread.of(reports, CrawlReport::pending);
    }

    Spread serverCpuSeconds() {
      List<Double> seconds = serverCpu.stream().map(d -> d.toNanos() / 1e9).toList();
      return Spread.ofValues(seconds);
    }

    Spread serverCpuMillisPerRequest() {
      return Spread.ofValues(serverMsPerRequest);
    }

    Spread jitMillisPerPage() {
      return Spread.ofValues(jitMsPerPage);
    }

    Spread gcMillisPerPage() {
      return Spread.ofValues(gcMsPerPage);
    }

    /** Whether the pages/s of the runs spread over more than {@link #WIDE_SPREAD} of the median. */
    boolean wideSpread() {
      return pagesPerSecond().relativeRange() > WIDE_SPREAD;
    }

    /** The run with the median pages/s (the lower one of an even count): its timeline is shown. */
    Optional<CrawlReport> medianRun() {
      List<CrawlReport> sorted =
          reports.stream().sorted(Comparator.comparingDouble(CrawlReport::pagesPerSecond)).toList();
      return sorted.isEmpty() ? Optional.empty() : Optional.of(sorted.get((sorted.size() - 1) / 2));
    }
  }

  /**
   * The median and range of one figure over a cell's runs.
   *
   * @param median the median (mean of the middle two for an even count)
   * @param min the smallest
   * @param max the largest
   * @param count how many values; 0 means "no value" and the other fields are NaN
   */
  record Spread(double median, double min, double max, int count) {
    static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    static <T> Spread of(List<T> items, ToDoubleFunction<T> figure) {
      return ofValues(items.stream().map(figure::applyAsDouble).toList());
    }

    static Spread ofValues(List<Double> values) {
      if (values.isEmpty()) {
        return NONE;
      }
      double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int n = v.length;
      double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
      return new Spread(median, v[0], v[n - 1], n);
    }

    boolean present() {
      return count > 0;
    }

    /** (max − min) ÷ median; 0 for one value, NaN for none or a zero median. */
    double relativeRange() {
      return count == 0 || median == 0 ? Double.NaN : (max - min) / median;
    }
  }
}
