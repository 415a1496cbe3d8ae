package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --frontier} usage and a cluster that does not answer, without a cluster. */
class SharedFrontierCliTest {
  @Test
  void aClusterThatDoesNotAnswerAtStartIsOneLineAndExit1() {
    Cli.Result r =
        Cli.run(
            "crawl",
            "--engine=threads",
            "--frontier=redis://127.0.0.1:1",
            "--crawl-id=nowhere",
            "http://127.0.0.1:9/");
    assertThat(r.exitCode()).isEqualTo(ExitCode.FAILURE);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith("duocrawl: error: cannot reach the Redis Cluster at redis://127.0.0.1:1");
  }

  @Test
  void frontierWithoutACrawlIdIsAUsageError() {
    Cli.Result r =
        Cli.run("crawl", "--engine=threads", "--frontier=redis://127.0.0.1:1", "http://a.test/");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("--frontier needs --crawl-id NAME");
  }

  @Test
  void aMalformedFrontierAddressIsAUsageError() {
    Cli.Result r =
        Cli.run(
            "crawl",
            "--engine=threads",
            "--frontier=localhost:7000",
            "--crawl-id=x",
            "http://a.test/");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("frontier must look like redis://HOST:PORT");
  }
}
