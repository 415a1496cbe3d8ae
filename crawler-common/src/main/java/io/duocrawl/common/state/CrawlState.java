package io.duocrawl.common.state;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.NanoClock;
import io.duocrawl.common.Outcome;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.Reason;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.SessionOpener;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crawl that survives kill -9: its state in a directory, resumed by opening the directory again.
 * The same code starts a new crawl (the directory is empty or absent) and resumes one (it holds a
 * crawl); any engine runs over it through {@link #sessions()}.
 *
 * <pre>{@code
 * CrawlConfig config = CrawlConfig.builder().seed("https://example.com/").build();
 * try (CrawlState state = CrawlState.open(Path.of("crawl-state"), config)) {
 *   RunningCrawl run = ThreadsCrawler.virtual().start(config, listener, state.sessions());
 *   CrawlReport total = state.cumulative(run.await());  // this run plus the runs before it
 * }
 * // Killed at any moment? Run the same lines again: URLs done stay done, the rest is crawled.
 * }</pre>
 *
 * <p>What is durable, and when (details in docs/resume.md, format in {@code StateFormat}): every
 * URL the frontier accepts is journaled before the page that linked it is done; every outcome is
 * journaled after the listener returned for it (normally: a listener that throws leaves its URL to
 * be delivered again on resume) and before the next request of that engine slot, and written
 * through to the operating system at once. A process killed at any moment therefore loses nothing
 * accepted, and on resume fetches again only the URLs that were in flight (at most {@code
 * concurrency}); the listener must have made its record durable when {@code onPage} returns (to the
 * operating system is enough for a kill), or those pages may be missing from its output. For a
 * machine that loses power, the journal is forced to disk by group commit at most {@code
 * fsyncEvery} apart (default 1 s).
 *
 * <p>Resume rules: the fields that decide which URLs a crawl accepts (seeds, scope, includes,
 * excludes, maxPages, maxDepth, maxRedirects, maxBodyBytes, robots) must be those the directory was
 * made with, or {@link #open} throws a {@link CrawlStateException} of kind {@code CONFLICT} naming
 * the field; the others (concurrency, per-host concurrency, delays, timeouts, retries, user agent)
 * may change between runs. robots.txt is fetched again for every host with queued URLs, before any
 * of them goes out; a URL retried before keeps its attempt count.
 *
 * <p>One process at a time: {@link #open} takes a lock on {@code DIR/lock} ({@link
 * FileChannel#tryLock}) and a second open fails with kind {@code IN_USE}; the lock goes with {@link
 * #close} or the process. Thread-safe.
 */
public final class CrawlState implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CrawlState.class);

  /** The default time between two forces of the journal to disk (group commit). */
  public static final Duration DEFAULT_FSYNC_EVERY = Duration.ofSeconds(1);

  /**
   * The journal size at which a running crawl starts a new journal and folds the full one into a
   * snapshot in the background: 64 MiB (about a million URLs), or the size of the last snapshot if
   * that is larger, so the work of compacting stays proportional to the journal written. The system
   * property {@code duocrawl.state.rotateBytes} overrides the 64 MiB (tests use a few KiB).
   */
  public static final long DEFAULT_ROTATE_BYTES = 64L << 20;

  private static final String ROTATE_PROPERTY = "duocrawl.state.rotateBytes";

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, String> identity;
  private final long generation;
  private final Journal journal;
  private final long[] reasonsBefore;
  private final long doneBefore;
  private final long queuedBefore;
  private final AtomicBoolean opened = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<CrawlSession> session = new AtomicReference<>();
  private final Compactor compactor;
  private FingerprintSet done;
  private List<CrawlRequest> queued;

  private CrawlState(
      Path dir,
      FileChannel lockChannel,
      FileLock lock,
      Map<String, String> identity,
      long generation,
      Journal journal,
      long rotateBytes,
      StateFiles.Loaded loaded) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.identity = identity;
    this.generation = generation;
    this.journal = journal;
    this.reasonsBefore = loaded.reasonCounts().clone();
    this.doneBefore = loaded.done().length;
    this.queuedBefore = loaded.queued().size();
    this.done = loaded.doneSet();
    this.queued = loaded.queued();
    this.compactor = new Compactor(dir, identity, journal, rotateBytes);
  }

  /** {@link #open(Path, CrawlConfig, Duration)} with {@link #DEFAULT_FSYNC_EVERY}. */
  public static CrawlState open(Path dir, CrawlConfig config) {
    return open(dir, config, DEFAULT_FSYNC_EVERY);
  }

  /**
   * Opens a state directory for {@code config}: creates it (and a new crawl) when it is absent or
   * empty, or loads the crawl it holds — cutting a torn journal tail — and starts a new journal;
   * the files it loaded are folded into a new snapshot in the background. Takes the directory's
   * lock until {@link #close}.
   *
   * @param dir the state directory
   * @param config the crawl; see the class doc for the fields a resume must not change
   * @param fsyncEvery the longest time between two forces of the journal to disk; {@link
   *     Duration#ZERO} forces after every outcome
   * @throws CrawlStateException when the directory is in use, made for another config, unreadable
   *     or unwritable; nothing in it has been changed then
   */
  public static CrawlState open(Path dir, CrawlConfig config, Duration fsyncEvery) {
    return open(dir, config, fsyncEvery, rotateBytes());
  }

  private static long rotateBytes() {
    String value = System.getProperty(ROTATE_PROPERTY, "");
    try {
      return value.isBlank() ? DEFAULT_ROTATE_BYTES : Math.max(1024, Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          ROTATE_PROPERTY + " must be a number of bytes, was " + value, e);
    }
  }

  /** {@link #open(Path, CrawlConfig, Duration)} with the journal rotated at {@code rotateBytes}. */
  static CrawlState open(Path dir, CrawlConfig config, Duration fsyncEvery, long rotateBytes) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(fsyncEvery, "fsyncEvery");
    if (fsyncEvery.isNegative()) {
      throw new IllegalArgumentException("fsyncEvery must be >= 0, was " + fsyncEvery);
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw CrawlStateException.unwritable(
          "cannot use " + dir + " as a state directory: it is not a directory", null);
    }
    FileChannel lockChannel;
    try {
      Files.createDirectories(dir);
      lockChannel =
          FileChannel.open(
              dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw CrawlStateException.unwritable("cannot write state directory " + dir + ": " + e, e);
    }
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException | IOException e) {
      lock = null;
    }
    if (lock == null) {
      closeQuietly(lockChannel);
      throw CrawlStateException.inUse(
          "state directory "
              + dir
              + " is in use by another crawl (lock held on "
              + dir.resolve("lock")
              + ")");
    }
    try {
      return load(dir, config, fsyncEvery, rotateBytes, lockChannel, lock);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  private static CrawlState load(
      Path dir,
      CrawlConfig config,
      Duration fsyncEvery,
      long rotateBytes,
      FileChannel lockChannel,
      FileLock lock) {
    Map<String, String> identity = identity(config);
    StateFiles.Loaded loaded;
    try {
      loaded = StateFiles.load(dir);
    } catch (IOException e) {
      throw CrawlStateException.unreadable("cannot read state directory " + dir + ": " + e);
    }
    if (!loaded.isEmpty()) {
      checkSame(dir, loaded.config(), identity);
    }
    long generation = loaded.generation() + 1;
    Journal journal;
    try {
      if (loaded.isEmpty()) {
        StateFiles.writeSnapshot(
            dir, generation, identity, loaded.done(), loaded.reasonCounts(), loaded.queued());
      }
      // A resume starts its journal at once and folds the old files into snapshot `generation` on
      // the compactor's thread: until that fold is in place, the old snapshot and journals plus
      // the new journal load to the same state, so the resume need not wait for a snapshot write.
      journal = Journal.create(dir, generation, NanoClock.system(), fsyncEvery.toNanos());
      StateFiles.forceDirectory(dir);
    } catch (IOException e) {
      throw CrawlStateException.unwritable("cannot write state directory " + dir + ": " + e, e);
    }
    if (loaded.isEmpty()) {
      log.info("new crawl in state directory {}", dir);
    } else {
      log.info(
          "resuming crawl from state directory {}: {} URLs done, {} queued, {} torn bytes cut",
          dir,
          loaded.done().length,
          loaded.queued().size(),
          loaded.tornBytes());
    }
    CrawlState state =
        new CrawlState(dir, lockChannel, lock, identity, generation, journal, rotateBytes, loaded);
    if (loaded.journalsReplayed()) {
      state.compactor.foldLater(loaded.generation());
    }
    return state;
  }

  /** The fields that decide which URLs the crawl accepts, as the CONFIG record stores them. */
  private static Map<String, String> identity(CrawlConfig config) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("seeds", String.join("\n", config.seeds()));
    fields.put("scope", config.scope().name());
    fields.put("includes", String.join("\n", config.includes()));
    fields.put("excludes", String.join("\n", config.excludes()));
    fields.put("maxPages", String.valueOf(config.maxPages()));
    fields.put("maxDepth", String.valueOf(config.maxDepth()));
    fields.put("maxRedirects", String.valueOf(config.maxRedirects()));
    fields.put("maxBodyBytes", String.valueOf(config.maxBodyBytes()));
    fields.put("robots", String.valueOf(config.robots()));
    return fields;
  }

  private static void checkSame(Path dir, Map<String, String> stored, Map<String, String> now) {
    for (Map.Entry<String, String> field : now.entrySet()) {
      String before = stored.getOrDefault(field.getKey(), "");
      if (!before.equals(field.getValue())) {
        throw CrawlStateException.conflict(
            field.getKey(),
            field.getKey()
                + " differs from the crawl in state directory "
                + dir
                + ": "
                + shown(before)
                + " there, "
                + shown(field.getValue())
                + " now (use another directory for another crawl)");
      }
    }
  }

  private static String shown(String value) {
    String oneLine = value.replace('\n', ' ');
    return oneLine.isEmpty()
        ? "none"
        : oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine;
  }

  /** Whether the directory held a crawl when it was opened. */
  public boolean resumed() {
    return generation > 1 || doneBefore > 0 || queuedBefore > 0;
  }

  /** URLs done in earlier runs. */
  public long doneBefore() {
    return doneBefore;
  }

  /** URLs accepted in earlier runs and not done: this run crawls them first. */
  public long queuedBefore() {
    return queuedBefore;
  }

  /**
   * Opens the crawl's session over this state, for {@link io.duocrawl.common.Crawler#start}: the
   * frontier holds what earlier runs left, every accepted URL and every outcome is journaled, and a
   * journal write that fails cancels the crawl (see {@link #failure()}). One session per state: a
   * second open throws {@link IllegalStateException}. The config passed in may differ from the one
   * given to {@link #open} only in fields a resume may change.
   */
  public SessionOpener sessions() {
    return this::openSession;
  }

  private CrawlSession openSession(String engine, CrawlConfig config, PageListener listener) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(listener, "listener");
    if (!identity(config).equals(identity)) {
      throw new IllegalArgumentException(
          "the crawl's config differs from the one the state was opened with in a field a resume"
              + " keeps");
    }
    if (!opened.compareAndSet(false, true)) {
      throw new IllegalStateException("a session was already opened over " + dir);
    }
    NanoClock clock = NanoClock.system();
    long budget = config.maxPages() - doneBefore;
    Frontier memory =
        Frontier.inMemory(config.toBuilder().maxPages((int) Math.max(1, budget)).build(), clock);
    Frontier frontier = JournaledFrontier.resume(memory, journal, done, queued, budget > 0);
    done = new FingerprintSet(new long[0]);
    queued = List.of();
    journal.onFailure(
        () -> {
          CrawlSession s = session.get();
          if (s != null) {
            s.cancel();
          }
        });
    // Done only once the listener returned: a listener that throws (its output failed) leaves the
    // URL to be delivered again by the next run, rather than journaled as done and lost.
    PageListener journaled =
        page -> {
          listener.onPage(page);
          journal.done(page.url(), page.reason());
        };
    CrawlSession opened = CrawlSession.open(engine, config, journaled, frontier, clock);
    session.set(opened);
    if (journal.failure().isPresent()) {
      opened.cancel();
    }
    return opened;
  }

  /**
   * Why the crawl was stopped by the state, if it was: a journal write failed (disk full, file
   * system read-only). The directory is then as it was before the failing write, at most with a
   * torn record at the end, which the next open cuts.
   */
  public Optional<CrawlStateException> failure() {
    return journal
        .failure()
        .map(
            e ->
                CrawlStateException.unwritable(
                    "cannot write state directory " + dir + ": " + e, e));
  }

  /**
   * The report of this run with the earlier runs added: {@code accepted} and the outcome counts
   * (fetched, redirected, failed, skipped and every reason) are totals over all runs, so {@code
   * accepted = fetched + redirected + failed + skipped + pending} holds for the whole crawl; the
   * other fields (duration, latency, bytes, retries, resources, timeline, sitemaps) are this run's.
   */
  public CrawlReport cumulative(CrawlReport run) {
    Objects.requireNonNull(run, "run");
    Map<Reason, Long> reasons = new EnumMap<>(Reason.class);
    reasons.putAll(run.reasons());
    long[] byOutcome = new long[Outcome.values().length];
    for (int code = 0; code < reasonsBefore.length; code++) {
      long count = reasonsBefore[code];
      if (count != 0) {
        Reason reason = StateFormat.reasonOf(code).orElseThrow();
        reasons.merge(reason, count, Long::sum);
        byOutcome[reason.outcome().ordinal()] += count;
      }
    }
    return new CrawlReport(
        run.engine(),
        run.concurrency(),
        run.startedAt(),
        run.duration(),
        run.accepted() + doneBefore,
        run.fetched() + byOutcome[Outcome.FETCHED.ordinal()],
        run.redirected() + byOutcome[Outcome.REDIRECTED.ordinal()],
        run.failed() + byOutcome[Outcome.FAILED.ordinal()],
        run.skipped() + byOutcome[Outcome.SKIPPED.ordinal()],
        run.pending(),
        run.retries(),
        run.robotsFetches(),
        run.listenerFailures(),
        run.bodyBytes(),
        reasons,
        run.rejections(),
        run.timeline(),
        run.latency(),
        run.peakInFlight(),
        run.peakThreads(),
        run.peakHeapBytes(),
        run.peakRssBytes(),
        run.cpuTime(),
        run.cancelled(),
        run.sitemaps()); // read again by every run: this run's
  }

  /**
   * Closes the journal (forced to disk), folds it into a new snapshot unless a write failed, and
   * releases the lock. Call it after the crawl has ended. Idempotent.
   *
   * @throws CrawlStateException when the snapshot cannot be written (the journal is intact then)
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      journal.close();
      compactor.stop();
      if (journal.failure().isEmpty()) {
        compact();
      }
    } finally {
      try {
        lock.release();
      } catch (IOException e) {
        // the lock goes with the channel anyway
      }
      closeQuietly(lockChannel);
    }
  }

  /** Journals folded into a snapshot while this run was going (tests). */
  long folds() {
    return compactor.folds();
  }

  /** Waits until the folds asked for so far are done (tests). */
  void awaitFolds() {
    compactor.awaitIdle();
  }

  /** Makes the journal's next write fail as a full disk would (tests). */
  void failNextWriteForTests() {
    journal.closeFileForTests();
  }

  /** For in-process tests: leaves the directory as kill -9 would, and releases the lock. */
  void abandon() {
    if (closed.compareAndSet(false, true)) {
      journal.abandon();
      compactor.abandon();
      closeQuietly(lockChannel);
    }
  }

  private void compact() {
    try {
      StateFiles.Loaded loaded = StateFiles.load(dir);
      long next = loaded.generation() + 1;
      StateFiles.writeSnapshot(
          dir, next, identity, loaded.done(), loaded.reasonCounts(), loaded.queued());
      StateFiles.deleteBefore(dir, next);
    } catch (IOException e) {
      throw CrawlStateException.unwritable(
          "cannot write a snapshot in state directory " + dir + ": " + e, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was written through it
    }
  }

  @Override
  public String toString() {
    return "CrawlState[" + dir + ", generation " + generation + "]";
  }
}
