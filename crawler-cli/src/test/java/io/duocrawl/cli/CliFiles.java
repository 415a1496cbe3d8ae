package io.duocrawl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** What a {@code duocrawl crawl} run left on disk, read back for the command tests. */
final class CliFiles {
  private CliFiles() {}

  /** The records of a pages JSON Lines file ({@code --out}), in file order. */
  static List<JsonNode> pages(Path jsonl) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
      records.add(ReportJson.MAPPER.readTree(line));
    }
    return records;
  }

  /** The URL paths of the {@code FETCHED} records of a pages file, sorted. */
  static Set<String> fetchedPaths(Path jsonl) throws IOException {
    Set<String> paths = new TreeSet<>();
    for (JsonNode page : pages(jsonl)) {
      if (page.get("outcome").asText().equals("FETCHED")) {
        paths.add(URI.create(page.get("url").asText()).getPath());
      }
    }
    return paths;
  }

  /** The files of a directory a crawl wrote ({@code --warc DIR}), sorted by name. */
  static List<Path> list(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
