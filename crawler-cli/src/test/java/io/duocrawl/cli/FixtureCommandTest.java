package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.fixtures.ServerKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class FixtureCommandTest {
  @Command(name = "probe")
  static final class Probe {
    @Mixin FixtureCommand.SiteOptions site;
  }

  private static FixtureCommand.SiteOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.site;
  }

  @Test
  void withoutServerOptionEachCommandGetsItsOwnDefault() {
    FixtureCommand.SiteOptions site = parse();

    assertThat(site.server).isNull();
    assertThat(site.server(ServerKind.NETTY)).isEqualTo(ServerKind.NETTY);
    assertThat(site.server(ServerKind.WIREMOCK)).isEqualTo(ServerKind.WIREMOCK);
    assertThat(site.args()).noneMatch(a -> a.startsWith("--server="));
    assertThat(site.args(ServerKind.NETTY)).contains("--server=netty", "--origins=1");
  }

  @Test
  void anExplicitServerWinsOverTheCommandDefault() {
    FixtureCommand.SiteOptions site = parse("--server", "WireMock", "--origins", "3");

    assertThat(site.server(ServerKind.NETTY)).isEqualTo(ServerKind.WIREMOCK);
    assertThat(site.args(ServerKind.NETTY)).contains("--server=wiremock", "--origins=3");
    assertThat(site.spec().build().origins()).isEqualTo(3);
  }

  @Test
  void anUnknownServerIsAUsageError() {
    Cli.Result result = Cli.run("fixture", "serve", "--server=jetty");

    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("expected netty or wiremock");
  }

  @Test
  void tooManyOriginsIsAUsageError() {
    Cli.Result result = Cli.run("fixture", "serve", "--origins=255");

    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("--origins must be in [1, 254], was 255");
  }

  @Test
  void sectionsWithSeveralOriginsIsAUsageError() {
    Cli.Result result = Cli.run("fixture", "serve", "--origins=2", "--sections");

    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("--sections needs --origins 1");
  }

  @Test
  void theLightServerInAChildJvmServesEveryOriginAndReportsItsCpuTime(@TempDir Path dir)
      throws Exception {
    List<String> args =
        parse("--server=netty", "--origins=2", "--pages=50", "--latency=0")
            .args(ServerKind.WIREMOCK);
    try (FixtureProcess server =
        FixtureProcess.start(args, dir.resolve("stderr.txt"), Duration.ofSeconds(60))) {
      URI root = server.url();
      assertThat(root.getHost()).isEqualTo("127.0.0.1");
      assertThat(get(root)).contains("/page/0");
      // Page 1 lives on the second origin, and its links point at each target's own origin.
      String page1 = get(URI.create("http://127.0.0.2:" + root.getPort() + "/page/1"));
      assertThat(page1).contains("href=\"http://127.0.0.1:" + root.getPort() + "/\"");
      assertThat(server.cpuTime()).hasValueSatisfying(cpu -> assertThat(cpu).isPositive());
    }
    assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("(netty)");
  }

  private static String get(URI uri) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    }
  }
}
