package io.duocrawl.warc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.common.fetch.ResponseHead;
import io.duocrawl.common.session.Exchange;
import io.duocrawl.common.session.FetchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.WarcTruncationReason;

class WarcArchiveTest {
  @TempDir Path dir;

  private static Exchange exchange(String url, String body, boolean truncated) {
    byte[] bytes = body.getBytes(UTF_8);
    return new Exchange(
        FetchRequest.Kind.PAGE,
        url,
        Instant.parse("2026-12-02T00:00:00.123Z"),
        Optional.of("127.0.0.1"),
        List.of(Map.entry("Host", "a.test"), Map.entry("User-Agent", "duocrawl/0.1")),
        new ResponseHead(
            "HTTP/1.1",
            200,
            "OK",
            List.of(
                Map.entry("Content-Type", "text/html"),
                Map.entry("Content-Encoding", "gzip"),
                Map.entry("Transfer-Encoding", "chunked"))),
        bytes,
        bytes.length,
        truncated);
  }

  @Test
  void everyExchangeBecomesARequestAndAResponseWithDigestsThatVerify() throws IOException {
    List<Path> files;
    try (WarcArchive archive = WarcArchive.open(dir, WarcArchive.DEFAULT_MAX_FILE_BYTES, "t/1")) {
      archive.onExchange(exchange("http://a.test/x?q=1", "<p>hello</p>", false));
      archive.onExchange(exchange("http://a.test/big", "<p>cut", true));
      archive.flush();
      files = archive.files();
      assertThat(archive.failure()).isEmpty();
    }
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString()).matches("duocrawl-\\d{17}-00000\\.warc\\.gz");
    List<ArchivedRecord> records = ArchivedRecord.readAll(files);
    assertThat(records)
        .extracting(ArchivedRecord::type)
        .containsExactly("warcinfo", "request", "response", "request", "response");
    ArchivedRecord request = records.get(1);
    assertThat(request.httpTarget()).isEqualTo("/x?q=1");
    assertThat(request.ipAddress()).isEqualTo("127.0.0.1");
    ArchivedRecord response = records.get(2);
    assertThat(request.concurrentTo()).containsExactly(response.id());
    assertThat(response.date()).isEqualTo(Instant.parse("2026-12-02T00:00:00.123Z"));
    assertThat(response.target()).isEqualTo("http://a.test/x?q=1");
    assertThat(response.ipAddress()).isEqualTo("127.0.0.1");
    assertThat(response.truncated()).isEqualTo(WarcTruncationReason.NOT_TRUNCATED);
    assertThat(new String(response.payload(), UTF_8)).isEqualTo("<p>hello</p>");
    assertThat(response.httpHeader("X-Crawler-Content-Encoding")).contains("gzip");
    assertThat(response.httpHeader("X-Crawler-Transfer-Encoding")).contains("chunked");
    assertThat(response.httpHeader("Content-Encoding")).isEmpty();
    assertThat(response.httpHeader("Content-Length")).contains("12");
    assertThat(records.get(4).truncated()).isEqualTo(WarcTruncationReason.LENGTH);
  }

  @Test
  void aNewFileStartsWhenTheNextPairWouldPassTheSizeAndEachStartsWithWarcinfo() throws IOException {
    List<Path> files;
    try (WarcArchive archive = WarcArchive.open(dir, 1, "t/1")) {
      for (int i = 0; i < 3; i++) {
        archive.onExchange(exchange("http://a.test/" + i, "page " + i, false));
      }
      archive.flush();
      files = archive.files();
      assertThat(archive.records()).isEqualTo(3 + 6);
    }
    assertThat(files).hasSize(3);
    assertThat(files.get(2).getFileName().toString()).endsWith("-00002.warc.gz");
    for (Path file : files) {
      List<ArchivedRecord> records = ArchivedRecord.readAll(List.of(file));
      assertThat(records.get(0).type()).isEqualTo("warcinfo");
      assertThat(records).hasSize(3);
    }
  }

  @Test
  void manyThreadsPastAFullQueueLoseNothingAndCloseWritesWhatWasQueued() throws Exception {
    int threads = 8;
    int each = 200;
    List<Path> files;
    // A queue of 8 KiB holds about one exchange: every thread meets the backpressure.
    WarcArchive.Options options = WarcArchive.Options.of("t/1").withQueueBytes(8 * 1024);
    try (WarcArchive archive = WarcArchive.open(dir, options)) {
      List<Thread> crawlers = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        crawlers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < each; i++) {
                        archive.onExchange(
                            exchange("http://a.test/" + thread + "/" + i, "x".repeat(3000), false));
                      }
                    }));
      }
      for (Thread crawler : crawlers) {
        crawler.join();
      }
      archive.close();
      files = archive.files();
      assertThat(archive.records()).isEqualTo(1 + 2L * threads * each);
      assertThat(archive.failure()).isEmpty();
    }
    List<ArchivedRecord> records = ArchivedRecord.readAll(files);
    assertThat(
            records.stream().filter(r -> r.type().equals("response")).map(ArchivedRecord::target))
        .hasSize(threads * each)
        .doesNotHaveDuplicates();
  }

  @Test
  void everyCompressionLevelWritesFilesJwarcReadsAndNoneWritesPlainWarc() throws IOException {
    for (WarcArchive.Compression compression : WarcArchive.Compression.values()) {
      Path levelDir = dir.resolve(compression.name());
      List<Path> files;
      try (WarcArchive archive =
          WarcArchive.open(levelDir, WarcArchive.Options.of("t/1").withCompression(compression))) {
        archive.onExchange(exchange("http://a.test/", "<p>" + "hello ".repeat(500), false));
        archive.close();
        files = archive.files();
      }
      assertThat(files.get(0).getFileName().toString())
          .endsWith(compression == WarcArchive.Compression.NONE ? ".warc" : ".warc.gz");
      List<ArchivedRecord> records = ArchivedRecord.readAll(files);
      assertThat(records)
          .extracting(ArchivedRecord::type)
          .containsExactly("warcinfo", "request", "response");
      assertThat(new String(records.get(2).payload(), UTF_8)).startsWith("<p>hello hello");
    }
  }

  @Test
  void anExchangeWithoutARemoteAddressHasNoWarcIpAddress() throws IOException {
    Exchange proxied = exchange("http://a.test/", "<p>via a proxy", false);
    proxied =
        new Exchange(
            proxied.kind(),
            proxied.url(),
            proxied.captured(),
            Optional.empty(),
            proxied.requestHeaders(),
            proxied.response(),
            proxied.body(),
            proxied.length(),
            false);
    List<Path> files;
    try (WarcArchive archive = WarcArchive.open(dir, WarcArchive.DEFAULT_MAX_FILE_BYTES, "t/1")) {
      archive.onExchange(proxied);
      archive.close();
      files = archive.files();
    }
    List<ArchivedRecord> records = ArchivedRecord.readAll(files);
    assertThat(records.get(1).ipAddress()).isEmpty();
    assertThat(records.get(2).ipAddress()).isEmpty();
  }

  @Test
  void aUrlThatCannotBeAWarcTargetUriIsSkippedAndAnEmptyPathIsSlash() throws IOException {
    List<Path> files;
    try (WarcArchive archive = WarcArchive.open(dir, WarcArchive.DEFAULT_MAX_FILE_BYTES, "t/1")) {
      archive.onExchange(exchange("http://a.test/a b", "x", false));
      archive.onExchange(exchange("http://a.test/x\r\nWARC-Type: evil", "x", false));
      archive.onExchange(exchange("http://a.test", "x", false));
      archive.close();
      files = archive.files();
      assertThat(archive.skipped()).isEqualTo(2);
    }
    List<ArchivedRecord> records = ArchivedRecord.readAll(files);
    assertThat(records).hasSize(3);
    assertThat(records.get(1).httpTarget()).isEqualTo("/");
    assertThat(records.get(2).target()).isEqualTo("http://a.test");
  }

  @Test
  void aDirectoryThatCannotBeWrittenFailsAtOpenWithTheReason() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> WarcArchive.open(file, 1024, "t/1"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot write WARC files in " + file + ": ");
  }
}
