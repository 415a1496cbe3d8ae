package io.duocrawl.warc;

import io.duocrawl.common.session.Exchange;
import io.duocrawl.common.session.ExchangeListener;
import io.duocrawl.warc.WarcEncoder.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.Deflater;
import org.jspecify.annotations.Nullable;
import org.netpreserve.jwarc.MessageVersion;
import org.netpreserve.jwarc.Warcinfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every exchange of one crawl into gzip-compressed WARC files of a directory: a {@code
 * warcinfo} record at the head of each file, then a {@code request} and a {@code response} record
 * per exchange (robots.txt and sitemaps included). Hang it on a session with {@code
 * session.onExchange(archive)}; close it after the crawl.
 *
 * <pre>{@code
 * try (WarcArchive archive = WarcArchive.open(Path.of("warc"), WarcArchive.DEFAULT_MAX_FILE_BYTES, "duocrawl/0.1")) {
 *   SessionOpener sessions = (engine, config, listener) -> {
 *     CrawlSession session = CrawlSession.open(engine, config, listener);
 *     session.onExchange(archive);
 *     return session;
 *   };
 *   crawler.start(config, listener, sessions).await();
 * }
 * }</pre>
 *
 * <p>Files are named {@code duocrawl-<yyyyMMddHHmmssSSS>-<serial>.warc.gz} ({@code .warc} with
 * {@link Compression#NONE}): the UTC time the archive was opened, and a five-digit serial from
 * {@code 00000}. A new file starts when the next pair of records would take the current one past
 * {@code maxFileBytes} (a single pair larger than that gets a file of its own). Records are
 * WARC/1.1 (its {@code WARC-Date} keeps milliseconds). Every record is its own gzip member, so
 * files can be read from any record offset.
 *
 * <p>Thread-safe, and built for many crawl threads: {@link #onExchange} digests and compresses on
 * the calling thread (with an encoder borrowed from a small pool: no shared lock), then queues the
 * records for one writer thread that appends them in batches, so crawl threads never wait on a file
 * lock and the compression's CPU is shared like the rest of the crawl's. The queue is bounded by
 * the bytes it holds ({@link Options#queueBytes()}): when it is full, {@link #onExchange} waits for
 * room (backpressure, nothing dropped). {@link #flush()} and {@link #close()} wait until everything
 * queued is written; a killed process loses at most what was queued. The first I/O error stops the
 * writing (the crawl goes on) and is kept in {@link #failure()}.
 */
public final class WarcArchive implements ExchangeListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WarcArchive.class);

  /** The default size after which a new file starts: 1 GiB, as Heritrix and Common Crawl use. */
  public static final long DEFAULT_MAX_FILE_BYTES = 1L << 30;

  /** The default bound of the queue, in record bytes: 16 MiB, about 4,000 pages of 8 KB. */
  public static final long DEFAULT_QUEUE_BYTES = 16L << 20;

  /** What a queued pair of records counts besides its bytes. */
  private static final int OVERHEAD = 64;

  /** Idle encoders kept for reuse; more are made while more threads encode at once. */
  private static final int MAX_IDLE_ENCODERS =
      Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  /** Batched file writes reach the file at this size, and whenever the queue runs empty. */
  private static final int FLUSH_BYTES = 256 * 1024;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

  /**
   * The gzip level of the records. {@link #FAST} is the default: measured by {@code WarcBenchmark}
   * (docs/warc.md), it costs a fraction of the CPU of the others for files a little larger.
   */
  public enum Compression {
    /**
     * No compression: {@code .warc} files, records one after the other. The cheapest by far, for
     * files about twice as large as {@link #FAST}'s on HTML.
     */
    NONE(Deflater.NO_COMPRESSION),
    /** {@link Deflater#BEST_SPEED}, level 1: the default. */
    FAST(Deflater.BEST_SPEED),
    /** zlib's default, level 6. */
    DEFAULT(6),
    /** {@link Deflater#BEST_COMPRESSION}, level 9: what jwarc's own writer uses. */
    BEST(Deflater.BEST_COMPRESSION);

    private final int level;

    Compression(int level) {
      this.level = level;
    }

    /** The zlib level, 1 to 9; 0 for {@link #NONE}. */
    public int level() {
      return level;
    }
  }

  /**
   * How an archive writes.
   *
   * @param maxFileBytes the size after which a new file starts; > 0. Default {@link
   *     #DEFAULT_MAX_FILE_BYTES}
   * @param software the {@code software} field of the {@code warcinfo} records, e.g. {@code
   *     duocrawl/0.1}
   * @param compression the gzip level. Default {@link Compression#FAST}
   * @param queueBytes the most record bytes waiting for the writer thread; > 0. Default {@link
   *     #DEFAULT_QUEUE_BYTES}
   */
  public record Options(
      long maxFileBytes, String software, Compression compression, long queueBytes) {
    /** Checks the fields. */
    public Options {
      Objects.requireNonNull(software, "software");
      Objects.requireNonNull(compression, "compression");
      if (maxFileBytes <= 0) {
        throw new IllegalArgumentException("maxFileBytes must be > 0, was " + maxFileBytes);
      }
      if (queueBytes <= 0) {
        throw new IllegalArgumentException("queueBytes must be > 0, was " + queueBytes);
      }
    }

    /** The defaults, with {@code software} as the {@code warcinfo} software. */
    public static Options of(String software) {
      return new Options(DEFAULT_MAX_FILE_BYTES, software, Compression.FAST, DEFAULT_QUEUE_BYTES);
    }

    /** A copy with {@code compression}. */
    public Options withCompression(Compression compression) {
      return new Options(maxFileBytes, software, compression, queueBytes);
    }

    /** A copy with {@code maxFileBytes}. */
    public Options withMaxFileBytes(long maxFileBytes) {
      return new Options(maxFileBytes, software, compression, queueBytes);
    }

    /** A copy with {@code queueBytes}. */
    public Options withQueueBytes(long queueBytes) {
      return new Options(maxFileBytes, software, compression, queueBytes);
    }
  }

  private final Path dir;
  private final Options options;
  private final String stamp;

  /** Idle encoders: crawl threads borrow one per exchange. */
  private final Queue<WarcEncoder> encoders = new ConcurrentLinkedQueue<>();

  private final AtomicInteger idleEncoders = new AtomicInteger();
  private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
  private final Semaphore room;
  private final int queuePermits;
  private final Thread writer;
  private final Bytes pending = new Bytes(FLUSH_BYTES + 64 * 1024);
  private final List<Path> files = new CopyOnWriteArrayList<>();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();

  /** Exchanges the writer took whose bytes reached the file (or were dropped); writer-written. */
  private volatile long reached;

  /** Exchanges the writer took; the writer's own. */
  private long taken;

  private volatile boolean idle;
  private volatile boolean closing;
  private @Nullable FileChannel channel;
  private long fileBytes;
  private int pairsInFile;
  private volatile @Nullable IOException failure;

  private WarcArchive(Path dir, Options options) {
    this.dir = dir;
    this.options = options;
    this.stamp = STAMP.format(Instant.now());
    this.queuePermits = (int) Math.min(options.queueBytes(), Integer.MAX_VALUE);
    this.room = new Semaphore(queuePermits);
    this.writer = new Thread(this::writeLoop, "duocrawl-warc-writer");
    this.writer.setDaemon(true);
  }

  /**
   * Opens an archive in {@code dir} with the default options but these; see {@link #open(Path,
   * Options)}.
   */
  public static WarcArchive open(Path dir, long maxFileBytes, String software) {
    return open(dir, Options.of(software).withMaxFileBytes(maxFileBytes));
  }

  /**
   * Opens an archive in {@code dir} (created if missing), writes its first file's {@code warcinfo}
   * record, so that a directory that cannot be written fails here, before any crawl, and starts its
   * writer thread.
   *
   * @throws UncheckedIOException when the directory cannot be made or written, with the reason
   */
  public static WarcArchive open(Path dir, Options options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    WarcArchive archive = new WarcArchive(dir, options);
    try {
      Files.createDirectories(dir);
      archive.startFile();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write WARC files in " + dir + ": " + describe(e), e);
    }
    archive.writer.start();
    return archive;
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }

  /**
   * Encodes the exchange on the calling thread and queues its records for the writer thread; waits
   * while the queue is full. Never throws (see {@link #failure}); an exchange handed over after
   * {@link #close} is not archived.
   */
  @Override
  public void onExchange(Exchange exchange) {
    if (failure != null || closing) {
      return;
    }
    byte[] pair;
    WarcEncoder encoder = take();
    try {
      Optional<ByteBuffer> encoded = encoder.encode(exchange);
      if (encoded.isEmpty()) {
        // Normalized URLs are valid URIs; one that is not cannot be a WARC-Target-URI.
        skipped.incrementAndGet();
        log.debug("not archived, not a URI: {}", exchange.url());
        return;
      }
      ByteBuffer bytes = encoded.get();
      pair = new byte[bytes.remaining()];
      bytes.get(pair);
    } finally {
      release(encoder);
    }
    int cost = cost(pair);
    try {
      while (!room.tryAcquire(cost, 100, TimeUnit.MILLISECONDS)) {
        if (failure != null || !writer.isAlive()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // A cancelled crawl interrupts its workers: this exchange is not archived.
      Thread.currentThread().interrupt();
      skipped.incrementAndGet();
      return;
    }
    queued.incrementAndGet();
    queue.offer(pair);
    if (idle) {
      LockSupport.unpark(writer);
    }
  }

  /** Keeps a few idle encoders (a deflater holds 256 KiB of native memory); frees the rest. */
  private void release(WarcEncoder encoder) {
    if (idleEncoders.incrementAndGet() <= MAX_IDLE_ENCODERS && !closing) {
      encoders.offer(encoder);
    } else {
      idleEncoders.decrementAndGet();
      encoder.close();
    }
  }

  private WarcEncoder take() {
    WarcEncoder encoder = encoders.poll();
    if (encoder == null) {
      return WarcEncoder.create(options.compression());
    }
    idleEncoders.decrementAndGet();
    return encoder;
  }

  private int cost(byte[] pair) {
    return (int) Math.min((long) pair.length + OVERHEAD, queuePermits);
  }

  /** The writer thread: appends queued records until closed and the queue is empty. */
  private void writeLoop() {
    while (true) {
      byte[] pair = queue.poll();
      if (pair == null) {
        flushPending();
        if (closing && queue.isEmpty()) {
          break;
        }
        idle = true;
        if (queue.isEmpty() && !closing) {
          LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
        }
        idle = false;
        continue;
      }
      try {
        if (failure == null) {
          append(pair);
        }
      } finally {
        room.release(cost(pair));
        taken++;
      }
    }
    closeFile();
  }

  private void append(byte[] pair) {
    try {
      if (pairsInFile > 0 && fileBytes + pair.length > options.maxFileBytes()) {
        flushPending();
        closeChannel();
        startFile();
      }
      fileBytes += pair.length;
      pairsInFile++;
      records.addAndGet(2);
      if (pending.size() + pair.length > FLUSH_BYTES) {
        writeFully(pending.size());
        pending.clear();
        reached = taken;
      }
      if (pair.length > FLUSH_BYTES) {
        writeFully(pair);
        reached = taken + 1;
      } else {
        pending.write(pair, 0, pair.length);
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void flushPending() {
    if (pending.size() > 0 && failure == null) {
      try {
        writeFully(pending.size());
      } catch (IOException e) {
        fail(e);
      }
    }
    pending.clear();
    reached = taken;
  }

  /** Writes the first {@code length} pending bytes to the current file. */
  private void writeFully(int length) throws IOException {
    writeFully(ByteBuffer.wrap(pending.array(), 0, length));
  }

  private void writeFully(byte[] bytes) throws IOException {
    writeFully(ByteBuffer.wrap(bytes));
  }

  private void writeFully(ByteBuffer buffer) throws IOException {
    FileChannel current = channel;
    if (current == null) {
      throw new IOException("no open WARC file");
    }
    while (buffer.hasRemaining()) {
      current.write(buffer);
    }
  }

  /** Opens the next file and writes its warcinfo record (through the pending bytes, empty here). */
  private void startFile() throws IOException {
    String name =
        String.format(
            "duocrawl-%s-%05d.%s",
            stamp, files.size(), options.compression() == Compression.NONE ? "warc" : "warc.gz");
    Path file = dir.resolve(name);
    FileChannel next =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    files.add(file);
    channel = next;
    Map<String, List<String>> fields = new LinkedHashMap<>();
    fields.put("software", List.of(options.software()));
    fields.put("format", List.of("WARC File Format 1.1"));
    fields.put(
        "description",
        List.of("HTTP payloads decoded (gzip, chunks); wire framing headers renamed X-Crawler-*"));
    Warcinfo info =
        new Warcinfo.Builder()
            .version(MessageVersion.WARC_1_1)
            .date(Instant.now())
            .filename(name)
            .fields(fields)
            .build();
    // The pair that made the file rotate, if any, waits after the warcinfo record.
    Bytes head = new Bytes(1024);
    WarcEncoder encoder = take();
    try {
      encoder.warcinfo(info, head);
    } finally {
      release(encoder);
    }
    ByteBuffer buffer = ByteBuffer.wrap(head.array(), 0, head.size());
    while (buffer.hasRemaining()) {
      next.write(buffer);
    }
    fileBytes = head.size();
    pairsInFile = 0;
    records.incrementAndGet();
  }

  private void closeChannel() throws IOException {
    FileChannel current = channel;
    channel = null;
    if (current != null) {
      current.close();
    }
  }

  /** At the end of the writer thread: the last file reaches the disk. */
  private void closeFile() {
    try {
      FileChannel current = channel;
      if (current != null && failure == null) {
        current.force(false);
      }
      closeChannel();
    } catch (IOException e) {
      fail(e);
    } finally {
      for (WarcEncoder idle = encoders.poll(); idle != null; idle = encoders.poll()) {
        idle.close();
      }
    }
  }

  private void fail(IOException e) {
    synchronized (this) {
      if (failure == null) {
        failure = e;
        log.error("WARC writing stopped: {}", describe(e));
      }
    }
  }

  /** The first I/O error met, after which nothing more was written; empty while all is well. */
  public Optional<IOException> failure() {
    return Optional.ofNullable(failure);
  }

  /** The files written so far, in order. */
  public List<Path> files() {
    return List.copyOf(files);
  }

  /** Records written so far, {@code warcinfo} records included. */
  public long records() {
    return records.get();
  }

  /** Exchanges not archived because their URL is not a valid URI, or arrived when cancelled. */
  public long skipped() {
    return skipped.get();
  }

  /**
   * Waits until as many exchanges as were queued before this call are written to their files
   * (handed to the operating system, not forced to the disk): with no exchange handed over
   * meanwhile, exactly those. Returns at once after {@link #close}. Call it when a crawl ends,
   * before its report is written, so that the report is not ahead of the files.
   */
  public void flush() {
    long target = queued.get();
    while (reached < target && writer.isAlive()) {
      LockSupport.unpark(writer);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /**
   * Writes everything queued, then flushes and closes the current file and stops the writer thread.
   * Idempotent.
   */
  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(writer);
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
