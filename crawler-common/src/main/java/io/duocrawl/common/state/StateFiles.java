package io.duocrawl.common.state;

import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the files of a state directory (format: {@link StateFormat}). {@link #load}
 * folds the newest complete snapshot and the journals after it into one {@link Loaded} state;
 * {@link #writeSnapshot} writes one atomically. Holds no state itself.
 */
final class StateFiles {
  private static final Logger log = LoggerFactory.getLogger(StateFiles.class);

  private StateFiles() {}

  /**
   * The state folded from the files.
   *
   * @param generation the newest generation found (snapshot or journal); 0 for an empty directory
   * @param config the CONFIG fields; empty for an empty directory
   * @param done fingerprints of URLs done, sorted, without repeats
   * @param doneSet the same, for lookups
   * @param reasonCounts URLs done by reason code
   * @param queued URLs accepted and not done, in accept order
   * @param tornBytes bytes cut from torn journal tails
   * @param journalsReplayed whether journals after the snapshot were read (a fold would change
   *     something)
   */
  record Loaded(
      long generation,
      Map<String, String> config,
      long[] done,
      FingerprintSet doneSet,
      long[] reasonCounts,
      List<CrawlRequest> queued,
      long tornBytes,
      boolean journalsReplayed) {
    boolean isEmpty() {
      return generation == 0;
    }

    long seen() {
      return done.length + queued.size();
    }
  }

  /** Generations of the snapshots and journals in {@code dir}; deletes leftover temporary files. */
  private static void list(Path dir, TreeSet<Long> snapshots, TreeSet<Long> journals)
      throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(file);
        } else if (name.matches("snapshot-\\d{8}\\.dcs")) {
          snapshots.add(Long.parseLong(name.substring(9, 17)));
        } else if (name.matches("journal-\\d{8}\\.dcj")) {
          journals.add(Long.parseLong(name.substring(8, 16)));
        }
      }
    }
  }

  static Loaded load(Path dir) throws IOException {
    return load(dir, Long.MAX_VALUE);
  }

  /**
   * The state as of the end of journal {@code upTo}: the newest snapshot not after it and the
   * journals from that snapshot's generation to {@code upTo} (a running crawl compacts the journals
   * it has closed, not the one it writes).
   */
  static Loaded load(Path dir, long upTo) throws IOException {
    TreeSet<Long> snapshots = new TreeSet<>();
    TreeSet<Long> journals = new TreeSet<>();
    list(dir, snapshots, journals);
    snapshots.removeIf(g -> g > upTo);
    journals.removeIf(g -> g > upTo);
    if (snapshots.isEmpty() && journals.isEmpty()) {
      return new Loaded(
          0,
          Map.of(),
          new long[0],
          new FingerprintSet(new long[0]),
          new long[StateFormat.reasonCount()],
          List.of(),
          0,
          false);
    }
    if (snapshots.isEmpty()) {
      throw CrawlStateException.unreadable(
          dir + " holds journals but no snapshot; it was not made by this duocrawl");
    }
    long base = snapshots.last();
    long newest = Math.max(base, journals.isEmpty() ? base : journals.last());
    Path snapshot = dir.resolve(StateFormat.snapshotName(base));
    List<Path> replay = new ArrayList<>();
    for (long g : journals.tailSet(base, true)) {
      replay.add(dir.resolve(StateFormat.journalName(g)));
    }

    // Pass 1: what is done (and by which reason), and the config.
    Map<String, String> config = new TreeMap<>();
    long[] counts = new long[StateFormat.reasonCount()];
    LongList done = new LongList();
    Map<Long, Integer> attempts = new HashMap<>();
    long[] ends = {-1, -1};
    long[] queuedInSnapshot = {0};
    RecordScanner.Scan scan =
        RecordScanner.scan(
            snapshot,
            StateFormat.SNAPSHOT_MAGIC,
            (type, in) -> {
              switch (type) {
                case StateFormat.CONFIG -> {
                  int n = in.getCount();
                  for (int i = 0; i < n; i++) {
                    config.put(in.getString(), in.getString());
                  }
                }
                case StateFormat.COUNTS -> {
                  int n = in.getCount();
                  for (int i = 0; i < n; i++) {
                    int code = in.getByte();
                    long count = in.getVarint();
                    if (code < counts.length) {
                      counts[code] += count;
                    }
                  }
                }
                case StateFormat.SEEN -> {
                  int n = in.getCount();
                  for (int i = 0; i < n; i++) {
                    done.add(in.getLong());
                  }
                }
                case StateFormat.QUEUED -> queuedInSnapshot[0] += in.getCount();
                case StateFormat.ATTEMPTS -> {
                  int n = in.getCount();
                  for (int i = 0; i < n; i++) {
                    attempts.put(in.getLong(), (int) in.getVarint());
                  }
                }
                case StateFormat.END -> {
                  ends[0] = in.getLong();
                  ends[1] = in.getLong();
                }
                default -> throw unknownType(snapshot, type);
              }
            });
    if (scan.tornBytes() != 0 || ends[0] != done.size() || ends[1] != queuedInSnapshot[0]) {
      // Snapshots are renamed into place only when whole, so this is damage, not a kill.
      throw CrawlStateException.unreadable(snapshot + " is incomplete or damaged");
    }
    long torn = 0;
    for (Path journal : replay) {
      RecordScanner.Scan js =
          RecordScanner.scan(
              journal,
              StateFormat.JOURNAL_MAGIC,
              (type, in) -> {
                if (type == StateFormat.DONE) {
                  done.add(in.getLong());
                  int code = in.getByte();
                  if (code < counts.length) {
                    counts[code]++;
                  }
                } else if (type == StateFormat.RETRY) {
                  attempts.put(in.getLong(), (int) in.getVarint());
                } else if (type != StateFormat.ACCEPTED) {
                  throw unknownType(journal, type);
                }
              });
      if (js.tornBytes() > 0) {
        log.warn(
            "state {}: torn tail of {} bytes cut at offset {} (a kill during a write)",
            journal,
            js.tornBytes(),
            js.wholeBytes());
        torn += js.tornBytes();
      }
    }
    long[] doneSorted = done.sortedUnique();
    FingerprintSet doneSet = new FingerprintSet(doneSorted);

    // Pass 2: what is queued — accepted and not done — in the order it was accepted.
    List<CrawlRequest> queued = new ArrayList<>();
    RecordScanner.Visitor keepQueued =
        (type, in) -> {
          // A URL queued in the snapshot may be done in a journal after it.
          int n = type == StateFormat.QUEUED ? in.getCount() : type == StateFormat.ACCEPTED ? 1 : 0;
          for (int i = 0; i < n; i++) {
            in.getRequestUnless(doneSet::contains)
                .map(r -> attempts.isEmpty() ? r : withAttempt(r, attempts))
                .ifPresent(queued::add);
          }
        };
    RecordScanner.scan(snapshot, StateFormat.SNAPSHOT_MAGIC, keepQueued);
    for (Path journal : replay) {
      RecordScanner.scan(journal, StateFormat.JOURNAL_MAGIC, keepQueued);
    }
    return new Loaded(newest, config, doneSorted, doneSet, counts, queued, torn, !replay.isEmpty());
  }

  private static CrawlRequest withAttempt(CrawlRequest request, Map<Long, Integer> attempts) {
    Integer attempt = attempts.get(Frontier.fingerprint(request.url()));
    return attempt == null || attempt <= request.attempt()
        ? request
        : new CrawlRequest(
            request.url(), request.hostKey(), request.depth(), attempt, request.redirectChain());
  }

  private static CrawlStateException unknownType(Path file, int type) {
    return CrawlStateException.unreadable(
        file
            + " holds a record of unknown type "
            + type
            + " for format version "
            + StateFormat.VERSION);
  }

  /**
   * Writes {@code state} as snapshot {@code generation}: to a temporary file, forced to disk, then
   * renamed into place, so a kill leaves either the whole snapshot or none. Returns its size in
   * bytes.
   */
  static long writeSnapshot(
      Path dir,
      long generation,
      Map<String, String> config,
      long[] done,
      long[] reasonCounts,
      List<CrawlRequest> queued)
      throws IOException {
    Path target = dir.resolve(StateFormat.snapshotName(generation));
    Path tmp = dir.resolve(StateFormat.snapshotName(generation) + ".tmp");
    long size;
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      RecordBuffer buffer = new RecordBuffer(1 << 16);
      buffer.fileHeader(StateFormat.SNAPSHOT_MAGIC);
      buffer.begin(StateFormat.CONFIG).putVarint(config.size());
      config.forEach((k, v) -> buffer.putString(k).putString(v));
      buffer.end();
      int nonZero = 0;
      for (long c : reasonCounts) {
        nonZero += c == 0 ? 0 : 1;
      }
      buffer.begin(StateFormat.COUNTS).putVarint(nonZero);
      for (int code = 0; code < reasonCounts.length; code++) {
        if (reasonCounts[code] != 0) {
          buffer.putByte(code).putVarint(reasonCounts[code]);
        }
      }
      buffer.end();
      for (int from = 0; from < done.length; from += StateFormat.SEEN_BLOCK) {
        int to = Math.min(done.length, from + StateFormat.SEEN_BLOCK);
        buffer.begin(StateFormat.SEEN).putVarint(to - from);
        for (int i = from; i < to; i++) {
          buffer.putLong(done[i]);
        }
        buffer.end();
        buffer.writeTo(out);
      }
      int block = 512;
      for (int from = 0; from < queued.size(); from += block) {
        int to = Math.min(queued.size(), from + block);
        buffer.begin(StateFormat.QUEUED).putVarint(to - from);
        for (int i = from; i < to; i++) {
          buffer.putRequest(queued.get(i));
        }
        buffer.end();
        buffer.writeTo(out);
      }
      List<CrawlRequest> retried = queued.stream().filter(r -> r.attempt() > 0).toList();
      for (int from = 0; from < retried.size(); from += StateFormat.SEEN_BLOCK) {
        int to = Math.min(retried.size(), from + StateFormat.SEEN_BLOCK);
        buffer.begin(StateFormat.ATTEMPTS).putVarint(to - from);
        for (int i = from; i < to; i++) {
          CrawlRequest r = retried.get(i);
          buffer.putLong(Frontier.fingerprint(r.url())).putVarint(r.attempt());
        }
        buffer.end();
        buffer.writeTo(out);
      }
      buffer.begin(StateFormat.END).putLong(done.length).putLong(queued.size()).end();
      buffer.writeTo(out);
      out.force(true);
      size = out.size();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(dir);
    return size;
  }

  /** Deletes the snapshots and journals older than {@code generation}. */
  static void deleteBefore(Path dir, long generation) throws IOException {
    TreeSet<Long> snapshots = new TreeSet<>();
    TreeSet<Long> journals = new TreeSet<>();
    list(dir, snapshots, journals);
    for (long g : snapshots.headSet(generation)) {
      Files.deleteIfExists(dir.resolve(StateFormat.snapshotName(g)));
    }
    for (long g : journals.headSet(generation)) {
      Files.deleteIfExists(dir.resolve(StateFormat.journalName(g)));
    }
  }

  /** Makes a rename durable: on Linux a directory can be opened and forced like a file. */
  static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not every platform can open a directory; the rename is then as durable as the OS makes it.
    }
  }

  /** A growable array of longs, for loading. */
  static final class LongList {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int size() {
      return size;
    }

    long[] sortedUnique() {
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      int n = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (i == 0 || sorted[i] != sorted[i - 1]) {
          sorted[n++] = sorted[i];
        }
      }
      return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
    }
  }
}
