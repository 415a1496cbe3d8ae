package io.duocrawl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where a crawl starts: URLs on the command line and/or a seed file. Seeds are passed to the core
 * as typed: a malformed one is the core's to reject (counted as {@code MALFORMED}, one warning line
 * each), so one bad line does not stop the others.
 */
final class Seeds {
  /** A scheme and {@code ://}: what a URL passed where a file was expected starts with. */
  private static final Pattern URL_LIKE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

  @Option(
      names = "--seeds",
      paramLabel = "FILE",
      description =
          "A file of seed URLs: one per line (UTF-8, with or without BOM, LF or CRLF); '#'"
              + " comments and blank lines are ignored. A URL given here is taken as a seed URL.")
  String file;

  @Parameters(paramLabel = "URL", arity = "0..*", description = "Seed URLs.")
  List<String> urls = new ArrayList<>();

  /**
   * The seeds, file lines first.
   *
   * @throws UsageException if the file cannot be read, or there is no seed at all
   */
  List<String> load() {
    List<String> seeds = new ArrayList<>();
    if (file != null) {
      if (URL_LIKE.matcher(file.strip()).find()) {
        // Kept as typed: a Path would turn "http://host/" into "http:/host".
        seeds.add(file.strip());
      } else {
        seeds.addAll(readFile(Path.of(file)));
      }
    }
    seeds.addAll(urls);
    if (seeds.isEmpty()) {
      throw new UsageException(
          file == null
              ? "no seeds: give seed URLs or --seeds FILE"
              : "no seeds: " + file + " holds no URL");
    }
    return seeds;
  }

  /**
   * The URLs of a seed file as editors save it: one per line (LF, CRLF or CR), a leading UTF-8 byte
   * order mark dropped, surrounding white space stripped, comments and blank lines left out.
   */
  static List<String> readFile(Path file) {
    if (Files.isDirectory(file)) {
      throw new UsageException("cannot read seed file " + file + ": is a directory");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UsageException("cannot read seed file " + file + ": no such file");
    } catch (IOException e) {
      throw new UsageException("cannot read seed file " + file + ": " + describe(e));
    }
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        seeds.add(s);
      }
    }
    return seeds;
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.charset.CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
