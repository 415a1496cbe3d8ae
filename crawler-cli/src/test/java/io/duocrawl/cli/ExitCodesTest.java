package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExitCodesTest {
  @TempDir static Path dir;

  @BeforeAll
  static void seedFiles() throws IOException {
    Files.writeString(dir.resolve("comments-only.txt"), "# nothing here\n\n");
  }

  static Stream<Arguments> badInputs() {
    String seed = "http://127.0.0.1:9/";
    return Stream.of(
        Arguments.of(
            "missing seed file",
            new String[] {"crawl", "--engine=threads", "--seeds=" + dir.resolve("nope.txt")},
            "cannot read seed file"),
        Arguments.of(
            "seed file is a directory",
            new String[] {"crawl", "--engine=threads", "--seeds=" + dir},
            "is a directory"),
        Arguments.of(
            "seed file without URLs",
            new String[] {
              "crawl", "--engine=threads", "--seeds=" + dir.resolve("comments-only.txt")
            },
            "no seeds"),
        Arguments.of("no seeds at all", new String[] {"crawl", "--engine=threads"}, "no seeds"),
        Arguments.of(
            "unknown engine",
            new String[] {"crawl", "--engine=fibers", seed},
            "unknown engine 'fibers'"),
        Arguments.of(
            "negative concurrency",
            new String[] {"crawl", "--engine=threads", "--concurrency=-3", seed},
            "--concurrency must be > 0, was -3"),
        Arguments.of(
            "zero max pages",
            new String[] {"crawl", "--engine=threads", "--max-pages=0", seed},
            "--max-pages must be > 0, was 0"),
        Arguments.of(
            "zero per-host",
            new String[] {"crawl", "--engine=threads", "--per-host=0", seed},
            "--per-host must be > 0, was 0"),
        Arguments.of(
            "zero timeout",
            new String[] {"crawl", "--engine=threads", "--timeout=0", seed},
            "--timeout must be > 0"),
        Arguments.of(
            "not a number",
            new String[] {"crawl", "--engine=threads", "--concurrency=many", seed},
            "'many' is not an int"),
        Arguments.of(
            "unknown option",
            new String[] {"crawl", "--engine=threads", "--turbo", seed},
            "Unknown option: '--turbo'"),
        Arguments.of(
            "bad duration",
            new String[] {"crawl", "--engine=threads", "--delay=10 parsecs", seed},
            "is not a duration"),
        Arguments.of(
            "negative duration",
            new String[] {"crawl", "--engine=threads", "--delay=-1s", seed},
            "must be >= 0, was -1s"),
        Arguments.of(
            "bad size",
            new String[] {"crawl", "--engine=threads", "--max-body=lots", seed},
            "is not a size"),
        Arguments.of(
            "bad regex",
            new String[] {"crawl", "--engine=threads", "--include=[", seed},
            "--include holds an invalid regular expression"),
        Arguments.of(
            "bad scope",
            new String[] {"crawl", "--engine=threads", "--scope=planet", seed},
            "not a scope"),
        Arguments.of(
            "compare: zero in the concurrency list",
            new String[] {"compare", "--concurrency=16,0", seed},
            "--concurrency must be > 0, was 0"),
        Arguments.of(
            "compare: unknown engine",
            new String[] {"compare", "--engines=threads,fibers", seed},
            "unknown engine 'fibers'"),
        Arguments.of(
            "compare: zero repeat",
            new String[] {"compare", "--repeat=0", seed},
            "--repeat must be > 0"),
        Arguments.of(
            "bench: zero pages", new String[] {"bench", "--pages=0"}, "--pages must be > 0"),
        Arguments.of(
            "bench: unknown latency model",
            new String[] {"bench", "--latency=gaussian:5ms"},
            "is not a latency"),
        Arguments.of(
            "fixture serve: bad port",
            new String[] {"fixture", "serve", "--port=70000"},
            "--port must be in [0, 65535]"),
        Arguments.of("unknown command", new String[] {"scrape"}, "Unmatched argument"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputIsOneLineOnStderrAndExitCode2(String name, String[] args, String message) {
    Cli.Result result = Cli.run(args);

    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err().lines().toList())
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("duocrawl: ").contains(message));
    assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void helpListsTheExitCodes() {
    Cli.Result result = Cli.run("crawl", "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Exit codes:").contains("130").contains("Usage error");
  }

  @Test
  void noCommandPrintsUsageAndExitCode2() {
    Cli.Result result = Cli.run();

    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("Usage: duocrawl");
  }
}
