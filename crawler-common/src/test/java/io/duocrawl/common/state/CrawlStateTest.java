package io.duocrawl.common.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.RetryPolicy;
import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.session.CrawlSession;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrawlStateTest {
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path dir;

  private final ScriptedSite site = new ScriptedSite(200);
  private final List<PageResult> delivered = new ArrayList<>();
  private final PageListener listener = delivered::add;

  private CrawlConfig config() {
    return CrawlConfig.builder().seed(ScriptedSite.ROOT).maxPages(1_000).maxDepth(50).build();
  }

  private CrawlSession session(CrawlState state, CrawlConfig config) {
    return state.sessions().open("test", config, listener);
  }

  @Test
  void aCrawlKilledAndResumedFetchesEveryPageExactlyOnceAndTheReportAddsUp() {
    CrawlState first = CrawlState.open(dir, config());
    assertThat(first.resumed()).isFalse();
    site.crawl(session(first, config()), 70);
    first.abandon(); // kill -9

    CrawlState between = CrawlState.open(dir, config());
    assertThat(between.resumed()).isTrue();
    assertThat(between.doneBefore()).isEqualTo(70);
    site.crawl(session(between, config()), 50);
    between.abandon(); // and again: what was queued at the last open and done since stays done

    CrawlState second = CrawlState.open(dir, config());
    assertThat(second.doneBefore()).isEqualTo(120);
    CrawlSession session = session(second, config());
    site.crawl(session, Integer.MAX_VALUE);
    CrawlReport total = second.cumulative(session.finish());
    second.close();

    assertThat(site.fetched).hasSize(200).doesNotHaveDuplicates();
    assertThat(new HashSet<>(site.fetched)).isEqualTo(new HashSet<>(site.all()));
    assertThat(delivered).hasSize(200);
    assertThat(total.accepted()).isEqualTo(200);
    assertThat(total.fetched()).isEqualTo(200);
    assertThat(total.pending()).isZero();
    assertThat(total.balanced()).isTrue();
    // robots.txt is fetched again on resume, before the queued URLs of its host go out.
    assertThat(site.robotsFetched).hasSize(3);
  }

  @Test
  void aFinishedCrawlReopenedEndsAtOnceWithTheSameTotals() {
    try (CrawlState first = CrawlState.open(dir, config())) {
      CrawlSession session = session(first, config());
      site.crawl(session, Integer.MAX_VALUE);
      session.finish();
    }
    try (CrawlState again = CrawlState.open(dir, config())) {
      CrawlSession session = session(again, config());
      // The seed is a duplicate now, so nothing is accepted and no robots.txt is fetched either.
      site.crawl(session, Integer.MAX_VALUE);
      CrawlReport total = again.cumulative(session.finish());
      assertThat(total.fetched()).isEqualTo(200);
      assertThat(total.accepted()).isEqualTo(200);
      assertThat(total.balanced()).isTrue();
    }
    assertThat(site.fetched).hasSize(200);
    assertThat(site.robotsFetched).hasSize(1);
  }

  @Test
  void aTornJournalTailIsCutAtTheLastWholeRecordAndItsUrlFetchedAgain() throws IOException {
    CrawlState first = CrawlState.open(dir, config());
    site.crawl(session(first, config()), 40);
    first.abandon();
    Path journal = onlyFile("journal-");
    // A kill in the middle of the last write: the last DONE record (8 + 1 + 9 bytes) loses 5.
    try (RandomAccessFile file = new RandomAccessFile(journal.toFile(), "rw")) {
      file.setLength(file.length() - 5);
    }

    try (CrawlState second = CrawlState.open(dir, config())) {
      assertThat(second.doneBefore()).isEqualTo(39);
      CrawlSession session = session(second, config());
      site.crawl(session, Integer.MAX_VALUE);
      assertThat(second.cumulative(session.finish()).fetched()).isEqualTo(200);
    }
    // Exactly one page — the one whose outcome was torn — was fetched twice.
    Set<String> once = new HashSet<>();
    List<String> twice = site.fetched.stream().filter(u -> !once.add(u)).toList();
    assertThat(twice).hasSize(1);
    assertThat(once).hasSize(200);
  }

  @Test
  void garbageAfterTheLastWholeRecordIsCutToo() throws IOException {
    CrawlState first = CrawlState.open(dir, config());
    site.crawl(session(first, config()), 25);
    first.abandon();
    Files.write(
        onlyFile("journal-"),
        new byte[] {0, 0, 0, 9, 1, 2, 3, 4, 5, 6},
        java.nio.file.StandardOpenOption.APPEND);
    try (CrawlState second = CrawlState.open(dir, config())) {
      assertThat(second.doneBefore()).isEqualTo(25);
    }
  }

  @Test
  void anotherFormatVersionIsRejectedWithAMessageNamingBothVersions() throws IOException {
    CrawlState.open(dir, config()).close();
    Path snapshot = onlyFile("snapshot-");
    try (RandomAccessFile file = new RandomAccessFile(snapshot.toFile(), "rw")) {
      file.seek(4);
      file.writeInt(99);
    }
    assertThatThrownBy(() -> CrawlState.open(dir, config()))
        .isInstanceOfSatisfying(
            CrawlStateException.class,
            e -> assertThat(e.kind()).isEqualTo(CrawlStateException.Kind.UNREADABLE))
        .hasMessageContaining("version 99")
        .hasMessageContaining("reads version 1");
    // The lock was released: a correct config may still fail, but not as IN_USE.
    assertThatThrownBy(() -> CrawlState.open(dir, config()))
        .isInstanceOfSatisfying(
            CrawlStateException.class,
            e -> assertThat(e.kind()).isEqualTo(CrawlStateException.Kind.UNREADABLE));
  }

  @Test
  void aResumeWithOtherLimitsFailsNamingTheFieldAndChangesNothing() throws IOException {
    CrawlState first = CrawlState.open(dir, config());
    site.crawl(session(first, config()), 10);
    first.abandon();
    List<String> before = listing();

    CrawlConfig otherLimit = config().toBuilder().maxPages(500).build();
    assertThatThrownBy(() -> CrawlState.open(dir, otherLimit))
        .isInstanceOfSatisfying(
            CrawlStateException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(CrawlStateException.Kind.CONFLICT);
              assertThat(e.field()).contains("maxPages");
            })
        .hasMessageStartingWith("maxPages differs")
        .hasMessageContaining("1000 there, 500 now");
    CrawlConfig otherSeeds = config().toBuilder().seeds(List.of("http://other.test/")).build();
    assertThatThrownBy(() -> CrawlState.open(dir, otherSeeds))
        .isInstanceOfSatisfying(
            CrawlStateException.class, e -> assertThat(e.field()).contains("seeds"));
    assertThat(listing()).isEqualTo(before);
  }

  @Test
  void aResumeWithOtherConcurrencyAndTimeoutsIsAllowed() {
    CrawlState first = CrawlState.open(dir, config());
    site.crawl(session(first, config()), 10);
    first.abandon();
    CrawlConfig faster =
        config().toBuilder()
            .concurrency(64)
            .perHostConcurrency(4)
            .requestTimeout(java.time.Duration.ofSeconds(3))
            .build();
    try (CrawlState second = CrawlState.open(dir, faster)) {
      CrawlSession session = session(second, faster);
      site.crawl(session, Integer.MAX_VALUE);
      assertThat(second.cumulative(session.finish()).fetched()).isEqualTo(200);
    }
  }

  @Test
  void aSecondOpenOfADirectoryInUseIsRefused() {
    try (CrawlState first = CrawlState.open(dir, config())) {
      assertThatThrownBy(() -> CrawlState.open(dir, config()))
          .isInstanceOfSatisfying(
              CrawlStateException.class,
              e -> assertThat(e.kind()).isEqualTo(CrawlStateException.Kind.IN_USE))
          .hasMessageContaining("in use by another crawl");
    }
    CrawlState.open(dir, config()).close();
  }

  @Test
  void aFileWhereTheDirectoryShouldBeIsAClearError() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> CrawlState.open(file, config()))
        .isInstanceOfSatisfying(
            CrawlStateException.class,
            e -> assertThat(e.kind()).isEqualTo(CrawlStateException.Kind.UNWRITABLE))
        .hasMessageContaining("not a directory");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void stateOnDiskIsAtMost64BytesPerSeenUrl() throws IOException {
    try (CrawlState state = CrawlState.open(dir, config())) {
      CrawlSession session = session(state, config());
      site.crawl(session, 120);
      session.finish();
    }
    long bytes;
    try (Stream<Path> files = Files.list(dir)) {
      bytes = files.mapToLong(p -> p.toFile().length()).sum();
    }
    // 120 done, 80 queued (their URL strings kept), config and framing included.
    assertThat(bytes / 200.0).isLessThanOrEqualTo(64);
  }

  @Test
  void aJournalFoldedWhileTheCrawlRunsStaysSmallAndKillsDuringOrAfterAFoldLoseNothing()
      throws IOException {
    ScriptedSite big = new ScriptedSite(1_000);
    CrawlConfig config = config().toBuilder().maxPages(2_000).build();
    long folds = 0;
    long largestJournal = 0;
    // Kill points between pages, while folds of a 1 KiB journal are running on their thread or
    // just done: a kill during a fold leaves a .tmp snapshot or the older files, after it both.
    for (int pages : new int[] {90, 170, 230, 310, 400}) {
      CrawlState run = CrawlState.open(dir, config, DAY, 1024);
      big.crawl(run.sessions().open("test", config, listener), pages);
      if (pages % 20 == 10) {
        run.awaitFolds(); // killed after the folds; otherwise perhaps in the middle of one
      }
      folds += run.folds();
      // The rotation size grows with the snapshot, so folding stays proportional to writing.
      largestJournal = Math.max(largestJournal, largest("journal-") - largest("snapshot-"));
      run.abandon();
    }
    try (CrawlState last = CrawlState.open(dir, config, DAY, 1024)) {
      CrawlSession session = last.sessions().open("test", config, listener);
      big.crawl(session, Integer.MAX_VALUE);
      CrawlReport total = last.cumulative(session.finish());
      assertThat(total.fetched()).isEqualTo(1_000);
      assertThat(total.balanced()).isTrue();
    }
    assertThat(folds).as("folds during the runs").isPositive();
    // One rotation size plus what one outcome's write (its page's links and its DONE) adds.
    assertThat(largestJournal).isLessThan(1024 + 512);
    assertThat(big.fetched).hasSize(1_000).doesNotHaveDuplicates();
  }

  @Test
  void aHalfWrittenSnapshotOfAKilledFoldIsIgnored() throws IOException {
    CrawlState first = CrawlState.open(dir, config());
    site.crawl(session(first, config()), 30);
    first.abandon();
    Path tmp = dir.resolve(StateFormat.snapshotName(99) + ".tmp");
    Files.write(tmp, new byte[] {0x44, 0x43, 0x53, 0x4E, 0, 0, 0, 1, 0, 0});
    try (CrawlState second = CrawlState.open(dir, config())) {
      assertThat(second.doneBefore()).isEqualTo(30);
    }
    assertThat(tmp).doesNotExist();
  }

  @Test
  void aUrlRetriedBeforeAKillKeepsItsAttemptsSoACrashLoopCannotRetryItForever() {
    String busy = ScriptedSite.url(5);
    site.unavailable.add(busy);
    RetryPolicy threeRetries =
        new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 1.0, Set.of(503), false, Duration.ZERO);
    CrawlConfig config = config().toBuilder().retry(threeRetries).build();
    // Killed right after every attempt at the busy URL, ten times over.
    for (int run = 0; run < 10; run++) {
      CrawlState state = CrawlState.open(dir, config);
      site.crawlUntilFetched(session(state, config), busy);
      state.abandon();
    }
    try (CrawlState last = CrawlState.open(dir, config)) {
      CrawlSession session = session(last, config);
      site.crawl(session, Integer.MAX_VALUE);
      CrawlReport total = last.cumulative(session.finish());
      assertThat(total.failed()).isEqualTo(1);
      assertThat(total.fetched()).isEqualTo(total.accepted() - 1); // its subtree is never linked
      assertThat(total.pending()).isZero();
      assertThat(total.balanced()).isTrue();
    }
    // The first attempt and three retries, across all the runs: not four per run.
    assertThat(site.fetched.stream().filter(busy::equals)).hasSize(4);
  }

  @Test
  void aJournalWriteThatFailsStopsTheCrawlAndTheStateResumesWhereTheLastWholeRecordLeftIt()
      throws IOException {
    CrawlState first = CrawlState.open(dir, config());
    CrawlSession session = session(first, config());
    site.crawl(session, 20);
    // The disk fills up: the journal's file is closed under it, so its next write fails.
    first.failNextWriteForTests();
    site.crawl(session, 5);
    assertThat(first.failure())
        .hasValueSatisfying(
            e -> {
              assertThat(e.kind()).isEqualTo(CrawlStateException.Kind.UNWRITABLE);
              assertThat(e).hasMessageStartingWith("cannot write state directory " + dir);
            });
    assertThat(session.isDone()).isTrue(); // cancelled
    session.finish();
    first.close(); // no snapshot over a failed journal
    try (CrawlState second = CrawlState.open(dir, config())) {
      assertThat(second.doneBefore()).isEqualTo(20);
      CrawlSession again = session(second, config());
      site.crawl(again, Integer.MAX_VALUE);
      assertThat(second.cumulative(again.finish()).fetched()).isEqualTo(200);
    }
  }

  @Test
  void aDoneRedirectTargetIsSkippedOverWhenLoadingAndTheRequestsAfterItReadWhole()
      throws IOException {
    CrawlRequest doneTarget =
        new CrawlRequest(
            "http://site.test/b", "site.test:80", 1, 0, List.of("http://site.test/a", "http://x/"));
    CrawlRequest queuedTarget =
        new CrawlRequest("http://site.test/d", "site.test:80", 2, 1, List.of("http://site.test/c"));
    long[] done = {Frontier.fingerprint(doneTarget.url())};
    StateFiles.writeSnapshot(
        dir,
        1,
        java.util.Map.of("seeds", ScriptedSite.ROOT),
        done,
        new long[StateFormat.reasonCount()],
        List.of(doneTarget, queuedTarget));
    StateFiles.Loaded loaded = StateFiles.load(dir);
    assertThat(loaded.queued()).containsExactly(queuedTarget); // chain and attempt kept
  }

  private long largest(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .mapToLong(p -> p.toFile().length())
          .max()
          .orElse(0);
    }
  }

  private Path onlyFile(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> matching =
          files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
      assertThat(matching).hasSize(1);
      return matching.get(0);
    }
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName() + ":" + p.toFile().length()).sorted().toList();
    }
  }
}
