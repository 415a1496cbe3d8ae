package io.duocrawl.reactive.bench;

import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.LatencyModel;
import io.duocrawl.fixtures.SiteSpec;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The benchmark's site, run in its own JVM (so the crawler's RSS, CPU time and file descriptors are
 * its own): a generated site served by Reactor Netty, non-blocking, so ten thousand connections
 * each waiting out a latency cost the server timers, not threads.
 *
 * <p>{@code /l<ms>/p/<i>}: page {@code i} of {@code pages}, about {@code bytes} long, answered
 * after {@code ms} milliseconds, linking to pages {@code i*k+1 .. i*k+k} (a tree: a breadth-first
 * crawl from page 0 widens by k per level) plus page {@code i/2} (a duplicate). Links keep the
 * latency prefix, so one server serves every latency.
 *
 * <p>Usage: {@code BenchServer <pages> <links> <bytes>}; prints {@code PORT <n>}, serves until its
 * standard input closes (the parent exits or closes it), then stops.
 */
public final class BenchServer {
  private final int pages;
  private final int links;
  private final String filler;

  private BenchServer(int pages, int links, int bytes) {
    this.pages = pages;
    this.links = links;
    this.filler = "<p>" + "lorem ipsum dolor sit amet ".repeat(Math.max(1, bytes / 27)) + "</p>";
  }

  /**
   * {@code BenchServer netty <pages> <links> <bytes> <latencyMs>} or {@code BenchServer fixture
   * <pages> <links> <bytes> <latencyMs>}; prints {@code SEED <url>} and serves until its standard
   * input closes.
   */
  public static void main(String[] args) throws IOException {
    int pages = Integer.parseInt(args[1]);
    int links = Integer.parseInt(args[2]);
    int bytes = Integer.parseInt(args[3]);
    int latencyMs = Integer.parseInt(args[4]);
    AutoCloseable server;
    String seed;
    if (args[0].equals("fixture")) {
      // The shared WireMock fixture site, so the numbers compare with the other engines' benches.
      FixtureSite site =
          FixtureSite.start(
              SiteSpec.builder()
                  .pages(pages)
                  .linksPerPage(links)
                  .pageBytes(bytes)
                  .latency(LatencyModel.fixed(Duration.ofMillis(latencyMs)))
                  .build());
      server = site;
      seed = site.rootUrl().toString();
    } else {
      BenchServer site = new BenchServer(pages, links, bytes);
      DisposableServer netty =
          HttpServer.create()
              .host("127.0.0.1")
              .port(0)
              // A burst of thousands of connects overflows a short accept queue, and every
              // dropped SYN costs the client a one-second retransmit. The kernel caps this at
              // somaxconn.
              .option(ChannelOption.SO_BACKLOG, 65_535)
              .route(routes -> routes.get("/l{ms}/p/{i}", site::page))
              .bindNow();
      server = () -> netty.disposeNow(Duration.ofSeconds(5));
      seed = "http://127.0.0.1:" + netty.port() + "/l" + latencyMs + "/p/0";
    }
    System.out.println("SEED " + seed);
    System.out.flush();
    // Serve until the parent closes our stdin (or dies): the server never outlives the bench.
    while (System.in.read() >= 0) {
      // ignore input
    }
    try {
      server.close();
    } catch (Exception e) {
      System.err.println("bench server did not close cleanly: " + e);
    }
  }

  private Publisher<Void> page(HttpServerRequest req, HttpServerResponse res) {
    long ms = Long.parseLong(req.param("ms"));
    int i = Integer.parseInt(req.param("i"));
    if (i < 0 || i >= pages) {
      return res.status(404).send();
    }
    String prefix = "/l" + ms + "/p/";
    StringBuilder html = new StringBuilder(filler.length() + 64 * (links + 2));
    html.append("<!doctype html><html><head><title>page ")
        .append(i)
        .append("</title></head><body>");
    for (int k = 1; k <= links; k++) {
      long target = (long) i * links + k;
      if (target < pages) {
        html.append("<a href=\"").append(prefix).append(target).append("\">next</a>\n");
      }
    }
    html.append("<a href=\"").append(prefix).append(i / 2).append("\">up</a>\n");
    html.append(filler).append("</body></html>");
    byte[] body = html.toString().getBytes(StandardCharsets.UTF_8);
    Mono<Void> send =
        Mono.defer(
            () ->
                Mono.from(
                    res.header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                        .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length))
                        .sendByteArray(Mono.just(body))));
    if (ms == 0) {
      return send;
    }
    // Wait out the latency on the connection's own event loop (Netty's timer wheel), so the
    // response is written where Netty expects it, without a hop through a Reactor timer thread.
    Mono<Void> delay =
        Mono.create(
            sink -> {
              EventLoop[] loop = new EventLoop[1];
              res.withConnection(connection -> loop[0] = connection.channel().eventLoop());
              ScheduledFuture<?> timer =
                  loop[0].schedule((Runnable) sink::success, ms, TimeUnit.MILLISECONDS);
              sink.onCancel(() -> timer.cancel(false));
            });
    return delay.then(send);
  }
}
