package io.duocrawl.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchError;
import io.duocrawl.common.session.FetchRequest;
import io.duocrawl.common.session.FetchResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding example, kept compiling and passing: a scraper that brings its own HTTP
 * client (the JDK's) and lets crawler-common do everything else — robots.txt, scope, dedup,
 * politeness, redirects, retries, parsing and the report.
 */
class EmbeddingExampleTest {
  private HttpServer server;
  private String root;

  @BeforeEach
  void startSite() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String html =
              switch (path) {
                case "/" -> "<title>Home</title><a href=/a>a</a> <a href=/b>b</a>";
                case "/a" -> "<title>A</title><a href=/>home</a>";
                case "/b" -> "<title>B</title><a href=/a>a</a>";
                default -> null;
              };
          byte[] body = html == null ? new byte[0] : html.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(
              html == null ? 404 : 200, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    root = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @AfterEach
  void stopSite() {
    server.stop(0);
  }

  @Test
  void aScraperWithItsOwnHttpClientCrawlsTheSite() throws Exception {
    // --- README example starts here ---
    List<String> titles = new CopyOnWriteArrayList<>();
    CrawlConfig config = CrawlConfig.builder().seed(root).maxPages(100).build();
    CrawlSession session = CrawlSession.open("jdk-http", config, page -> titles.add(page.title()));
    HttpClient http = HttpClient.newHttpClient();

    while (!session.isDone()) {
      Optional<FetchRequest> next = session.next();
      if (next.isEmpty()) {
        // One request at a time, so nothing is in flight: wait for politeness or a retry.
        long nanos = session.nanosUntilReady().orElse(TimeUnit.MILLISECONDS.toNanos(10));
        LockSupport.parkNanos(nanos);
        continue;
      }
      FetchRequest request = next.get();
      FetchResponse response;
      try {
        HttpResponse<InputStream> r =
            http.send(
                HttpRequest.newBuilder(URI.create(request.url()))
                    .header("User-Agent", config.userAgent())
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long limit = session.bodyLimit(request, r.statusCode(), r.headers()::firstValue);
        try (InputStream in = r.body()) {
          byte[] body = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
          response =
              body.length > limit
                  ? FetchResponse.tooLarge(r.statusCode(), r.headers()::firstValue, body.length)
                  : FetchResponse.of(r.statusCode(), r.headers()::firstValue, body, body.length);
        }
      } catch (IOException e) {
        response = FetchResponse.error(FetchError.classify(e), e.toString());
      }
      session.complete(request, response);
    }
    CrawlReport report = session.finish();
    // --- README example ends here ---

    assertThat(titles).containsExactlyInAnyOrder("Home", "A", "B");
    assertThat(report.fetched()).isEqualTo(3);
    assertThat(report.robotsFetches()).isEqualTo(1);
    assertThat(report.balanced()).isTrue();
  }
}
