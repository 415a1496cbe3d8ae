package io.duocrawl.common.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction while a crawl runs: receives each journal file the {@link Journal} rotated away from
 * and, on its own daemon thread, forces and closes it, then folds the newest snapshot and the
 * journals up to it into the next snapshot and deletes the files before that. The engines' threads
 * only pay for the rotation itself (a file creation under the journal's lock); the load, sort and
 * write of the state happen here.
 *
 * <p>A rotation that comes while an earlier one waits makes the earlier fold redundant: only the
 * newest is folded (it covers the earlier journals too). A fold that fails (disk full) is logged
 * and leaves the files as they were: the journals stay, and the next fold or the next open covers
 * them. A kill at any moment leaves files that load to the same state (see {@link StateFormat},
 * Generations).
 */
final class Compactor {
  private static final Logger log = LoggerFactory.getLogger(Compactor.class);

  private final Path dir;
  private final Map<String, String> identity;
  private final Journal journal;
  private final long minRotateBytes;
  private final ExecutorService thread;
  private final ConcurrentLinkedQueue<FileChannel> unclosed = new ConcurrentLinkedQueue<>();
  private final AtomicLong newestRotated = new AtomicLong(-1);
  private final AtomicLong folds = new AtomicLong();
  private final AtomicLong longestFoldNanos = new AtomicLong();

  Compactor(Path dir, Map<String, String> identity, Journal journal, long minRotateBytes) {
    this.dir = dir;
    this.identity = identity;
    this.journal = journal;
    this.minRotateBytes = minRotateBytes;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "duocrawl-state-compactor");
              t.setDaemon(true);
              return t;
            });
    journal.rotateAt(minRotateBytes, this::rotated);
  }

  /** The last snapshot is {@code snapshotBytes}: rotate no sooner than a journal as large. */
  void grewTo(long snapshotBytes) {
    journal.rotateAt(Math.max(minRotateBytes, snapshotBytes));
  }

  /** Called by the journal, under its lock: must not block. */
  private void rotated(FileChannel full, long generation) {
    unclosed.add(full);
    newestRotated.set(generation);
    thread.execute(() -> forceAndFold(full, generation));
  }

  /**
   * Folds the files up to journal {@code generation} (those a resume loaded) into the next snapshot
   * on the compactor's thread.
   */
  void foldLater(long generation) {
    newestRotated.set(generation);
    thread.execute(() -> fold(generation));
  }

  private void forceAndFold(FileChannel full, long generation) {
    try {
      full.force(false);
    } catch (IOException e) {
      log.error("state journal {} cannot be forced: {}", generation, e.toString());
    } finally {
      close(full);
    }
    StateFiles.forceDirectory(dir); // the new journal's name
    fold(generation);
  }

  private void fold(long generation) {
    if (newestRotated.get() != generation || journal.failure().isPresent()) {
      return; // a later fold covers this journal; or the state failed and is left as it is
    }
    long start = System.nanoTime();
    try {
      StateFiles.Loaded loaded = StateFiles.load(dir, generation);
      long next = generation + 1;
      long bytes =
          StateFiles.writeSnapshot(
              dir, next, identity, loaded.done(), loaded.reasonCounts(), loaded.queued());
      StateFiles.deleteBefore(dir, next);
      grewTo(bytes);
      long nanos = System.nanoTime() - start;
      folds.incrementAndGet();
      longestFoldNanos.accumulateAndGet(nanos, Math::max);
      log.info(
          "state {}: journals up to {} folded into snapshot {} ({} URLs done, {} queued) in {} ms",
          dir,
          generation,
          next,
          loaded.done().length,
          loaded.queued().size(),
          nanos / 1_000_000);
    } catch (IOException | RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        return; // abandoned, as a kill
      }
      log.error(
          "state {}: cannot fold journal {} into a snapshot, the journals stay: {}",
          dir,
          generation,
          e.toString());
    }
  }

  private void close(FileChannel channel) {
    unclosed.remove(channel);
    try {
      channel.close();
    } catch (IOException e) {
      // forced or not, nothing more goes through it
    }
  }

  /** Waits for the fold under way (the newest rotation's), and stops the thread. */
  void stop() {
    thread.shutdown();
    try {
      while (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        log.info("state {}: waiting for a snapshot being written", dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
    if (folds.get() > 0) {
      log.info(
          "state {}: {} folds during the run, the longest {} ms; the longest rotation held the"
              + " journal {} us",
          dir,
          folds.get(),
          longestFoldNanos.get() / 1_000_000,
          journal.longestRotationNanos() / 1_000);
    }
  }

  /** For tests: stops at once, as a kill (a fold under way is interrupted mid-write). */
  void abandon() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    FileChannel channel;
    while ((channel = unclosed.poll()) != null) {
      close(channel);
    }
  }

  /** Waits for the folds asked for so far (tests). */
  void awaitIdle() {
    try {
      thread.submit(() -> {}).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Folds done during the run (tests). */
  long folds() {
    return folds.get();
  }
}
