package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed files as editors save them, and URLs given where a file was expected. */
class SeedsTest {
  @TempDir Path dir;

  @Test
  void aSeedFileWithByteOrderMarkCrlfAndSurroundingSpacesYieldsEveryUrl() throws IOException {
    Path file = dir.resolve("seeds.txt");
    Files.write(
        file,
        "\uFEFFhttp://a.test/\r\n  http://b.test/  \r\n# comment\r\n\r\n\thttp://c.test/\r\n"
            .getBytes(StandardCharsets.UTF_8));

    assertThat(Seeds.readFile(file))
        .containsExactly("http://a.test/", "http://b.test/", "http://c.test/");
  }

  @Test
  void aUrlGivenToSeedsIsTakenAsASeedUrl() {
    Seeds seeds = new Seeds();
    seeds.file = "http://host.test/";
    seeds.urls = List.of("http://other.test/");

    assertThat(seeds.load()).containsExactly("http://host.test/", "http://other.test/");
  }

  @Test
  void theCliCrawlsAUrlGivenToSeeds() {
    Cli.Result result =
        Cli.run("crawl", "--engine=threads", "--no-robots", "--seeds=http://127.0.0.1:9/");

    assertThat(result.err()).doesNotContain("cannot read seed file");
    assertThat(result.exitCode()).isNotEqualTo(ExitCode.USAGE);
  }
}
