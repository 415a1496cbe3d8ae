package io.duocrawl.cli;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.SessionOpener;
import io.duocrawl.warc.WarcArchive;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/**
 * {@code crawl --warc DIR}: the archive of one crawl, opened before the crawl starts (so a
 * directory that cannot be written is an error before any fetch), hung on the crawl's session, and
 * closed after it with a one-line summary.
 */
final class WarcOutput {
  /** {@code --warc-compression none|fast|default|best}. */
  static final class CompressionConverter
      implements CommandLine.ITypeConverter<WarcArchive.Compression> {
    @Override
    public WarcArchive.Compression convert(String value) {
      for (WarcArchive.Compression c : WarcArchive.Compression.values()) {
        if (c.name().equalsIgnoreCase(value)) {
          return c;
        }
      }
      throw new CommandLine.TypeConversionException(
          "expected none, fast, default or best, was '" + value + "'");
    }
  }

  private final Path dir;
  private final WarcArchive archive;

  private WarcOutput(Path dir, WarcArchive archive) {
    this.dir = dir;
    this.archive = archive;
  }

  /**
   * Opens the archive in {@code dir}, or says why not on {@code err} and returns empty (the caller
   * exits with {@link ExitCode#FAILURE}).
   */
  static Optional<WarcOutput> open(
      Path dir, CrawlConfig config, WarcArchive.Compression compression, PrintStream err) {
    try {
      return Optional.of(
          new WarcOutput(
              dir,
              WarcArchive.open(
                  dir, WarcArchive.Options.of(config.userAgent()).withCompression(compression))));
    } catch (UncheckedIOException e) {
      err.println("duocrawl: error: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Sessions of {@code sessions} that also hand every exchange to the archive. */
  SessionOpener sessions(SessionOpener sessions) {
    return (engine, config, listener) -> {
      CrawlSession session = sessions.open(engine, config, listener);
      session.onExchange(archive);
      return session;
    };
  }

  /** Waits until everything handed to the archive's writer thread is written. */
  void flush() {
    archive.flush();
  }

  /**
   * Closes the archive; prints what was written, or the error that stopped the writing. Returns
   * whether all went well.
   */
  boolean close(PrintStream err) {
    archive.close();
    if (archive.failure().isPresent()) {
      err.println(
          "duocrawl: error: WARC writing in " + dir + " stopped: " + archive.failure().get());
      return false;
    }
    err.printf(
        "duocrawl: WARC: %,d records in %d file(s) in %s%n",
        archive.records(), archive.files().size(), dir);
    return true;
  }
}
