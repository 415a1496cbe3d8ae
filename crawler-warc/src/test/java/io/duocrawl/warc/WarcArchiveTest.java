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
  void aDirectoryThatCannotBeWrittenFailsAtOpenWithTheReason() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> WarcArchive.open(file, 1024, "t/1"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot write WARC files in " + file + ": ");
  }
}
