package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.Section;
import io.duocrawl.fixtures.SiteSpec;
import io.duocrawl.fixtures.junit.FixtureSiteExtension;
import io.duocrawl.warc.ArchivedRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code duocrawl crawl --warc DIR}: the files a crawl writes pass jwarc and an independent reader,
 * webrecorder's warcio.js ({@code npm} package {@code warcio}); a directory that cannot be written
 * stops the command before any fetch.
 *
 * <p>warcio is installed with npm into {@code target/warcio} on first use. Without node and npm the
 * warcio check is skipped with one line on stderr, except under {@code CI=true}, where it fails.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WarcCommandTest {
  static final String WARCIO = "warcio@2.4.11";

  @RegisterExtension
  static final FixtureSiteExtension SITE =
      FixtureSiteExtension.of(
          SiteSpec.builder()
              .pages(60)
              .with(Section.REDIRECTS, Section.ROBOTS, Section.RESOURCES)
              .build());

  @TempDir Path dir;

  private FixtureSite site;

  @BeforeEach
  void site() {
    site = SITE.site();
  }

  @Test
  void aCrawlWithWarcWritesFilesThatJwarcAndWarcioBothRead() throws Exception {
    Path warc = dir.resolve("warc");
    Path pages = dir.resolve("pages.jsonl");
    Cli.Result result =
        Cli.ok(
            "crawl",
            "--engine=threads",
            "--warc=" + warc,
            "--out=" + pages,
            site.rootUrl().toString());

    assertThat(result.err()).contains("duocrawl: WARC: ").contains(warc.toString());
    List<Path> files = CliFiles.list(warc);
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString()).matches("duocrawl-\\d{17}-00000\\.warc\\.gz");
    List<ArchivedRecord> records = ArchivedRecord.readAll(files);
    long responses = records.stream().filter(r -> r.type().equals("response")).count();
    long answered =
        Files.readAllLines(pages, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.contains("\"status\":0,"))
            .count();
    assertThat(responses).isEqualTo(answered + 1); // + robots.txt

    Path warcio = warcio();
    List<String> index = run(List.of(warcio.toString(), "index", files.get(0).toString()));
    assertThat(index).hasSize(records.size());
    assertThat(index.stream().filter(l -> l.contains("\"warc-type\":\"response\"")).count())
        .isEqualTo(responses);
    List<String> cdx = run(List.of(warcio.toString(), "cdx-index", files.get(0).toString()));
    assertThat(cdx).hasSizeGreaterThanOrEqualTo((int) responses);
    assertThat(cdx.get(0)).contains("\"status\"");
  }

  @Test
  void aWarcDirectoryThatCannotBeWrittenIsAnErrorBeforeAnyFetch() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    int before = site.requestLog().size();

    Cli.Result result =
        Cli.run("crawl", "--engine=threads", "--warc=" + file, site.rootUrl().toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.FAILURE);
    assertThat(result.err().strip())
        .startsWith("duocrawl: error: cannot write WARC files in " + file + ": ");
    assertThat(site.requestLog()).hasSize(before);
  }

  /** The warcio command, installed into target/warcio once; skips (not under CI) without npm. */
  private static Path warcio() throws IOException, InterruptedException {
    Path prefix = Path.of("target", "warcio").toAbsolutePath();
    Path bin = prefix.resolve("node_modules/.bin/warcio");
    if (Files.isExecutable(bin)) {
      return bin;
    }
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (!onPath("node") || !onPath("npm")) {
      if (ci) {
        throw new AssertionError("CI=true but node or npm is missing: warcio cannot check WARCs");
      }
      System.err.println("WarcCommandTest: node/npm not found, warcio check skipped");
      assumeTrue(false, "node/npm not found");
    }
    Files.createDirectories(prefix);
    run(
        List.of(
            "npm", "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund", WARCIO));
    assertThat(bin).isExecutable();
    return bin;
  }

  private static boolean onPath(String command) {
    for (String part : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(part, command))) {
        return true;
      }
    }
    return false;
  }

  /** Runs a command to its end; its stdout lines; fails on a non-zero exit with its output. */
  private static List<String> run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (var out = process.inputReader(StandardCharsets.UTF_8)) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
    return lines;
  }
}
