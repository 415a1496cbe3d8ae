package io.duocrawl.reactive;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyOutbound;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.tcp.TcpServer;

/**
 * A small non-blocking test server on 127.0.0.1 for the engine's own tests: a generated site (page
 * {@code i} links to pages {@code i*k+1 .. i*k+k}) plus one path per fault the fetcher must map.
 * Counts requests and open connections so tests can check that the engine releases them.
 *
 * <p>The scenario suite uses the shared WireMock fixture instead; this one exists for faults that
 * need byte-level control (a malformed chunk, a dribbled body, a 50 MB body streamed lazily).
 */
final class TestSite implements AutoCloseable {
  static final int BIG_BODY_BYTES = 50 * 1024 * 1024;

  private final int pages;
  private final int links;
  private final Duration latency;
  private final AtomicInteger pagesInProgress = new AtomicInteger();
  private final AtomicInteger peakPagesInProgress = new AtomicInteger();
  private final AtomicLong pageRequests = new AtomicLong();
  private final AtomicLong bigBytesSent = new AtomicLong();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final DisposableServer http;
  private final DisposableServer raw;
  private final byte[] gzipBomb =
      gzip("<p>a</p>".repeat(512 * 1024).getBytes(StandardCharsets.US_ASCII));

  private TestSite(int pages, int links, Duration latency) {
    this.pages = pages;
    this.links = links;
    this.latency = latency;
    this.http =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .doOnConnection(
                connection -> {
                  openConnections.incrementAndGet();
                  connection.onDispose(openConnections::decrementAndGet);
                })
            .route(
                routes ->
                    routes
                        .get("/robots.txt", (req, res) -> res.status(404).send())
                        .get("/site/{i}", this::page)
                        .get("/big", this::big)
                        .get("/gzip-bomb", this::gzipBomb)
                        .get("/redirect", (req, res) -> redirect(res))
                        .get("/dribble", (req, res) -> dribble(res))
                        .get("/stall-headers", (req, res) -> Mono.never())
                        .get("/stall-body", (req, res) -> stallBody(res))
                        .get("/exact/{n}", (req, res) -> exact(req, res))
                        .get(
                            "/echo-user-agent",
                            (req, res) ->
                                res.header(HttpHeaderNames.CONTENT_TYPE, "text/html")
                                    .sendString(
                                        Mono.just(
                                            String.valueOf(
                                                req.requestHeaders()
                                                    .get(HttpHeaderNames.USER_AGENT))))))
            .bindNow();
    // Byte-level faults: the handler writes raw bytes, and the server closes the connection when
    // the handler completes.
    this.raw =
        TcpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (in, out) ->
                    in.receiveObject()
                        .cast(ByteBuf.class)
                        .next()
                        .map(request -> request.toString(StandardCharsets.US_ASCII))
                        .flatMap(request -> out.sendString(Mono.just(rawAnswer(request))).then()))
            .bindNow();
  }

  /** The raw bytes answered for a request line: a malformed chunk, a cut body, or nothing. */
  private static String rawAnswer(String request) {
    if (request.startsWith("GET /malformed-chunk ")) {
      return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\nZZ-not-hex\r\nworld\r\n0\r\n\r\n";
    }
    if (request.startsWith("GET /garbage-chunk-then-close ")) {
      // What WireMock's MALFORMED_RESPONSE_CHUNK sends: no CRLF after the garbage.
      return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "lskdu018973t09sylgasjkfg1][]'./.sdlv";
    }
    if (request.startsWith("GET /close-in-chunk-data ")) {
      return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "400\r\n<html><body>cut off in the middle of a chunk";
    }
    if (request.startsWith("GET /close-during-body ")) {
      return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
          + "<html><body>partial";
    }
    return "";
  }

  /** A site of {@code pages} pages with {@code links} links each. */
  static TestSite start(int pages, int links) {
    return new TestSite(pages, links, Duration.ZERO);
  }

  /** A site whose pages each take {@code latency} before their response starts. */
  static TestSite start(int pages, int links, Duration latency) {
    return new TestSite(pages, links, latency);
  }

  String url(String path) {
    return "http://127.0.0.1:" + http.port() + path;
  }

  /**
   * A URL on the raw server: {@code /malformed-chunk}, {@code /close-during-body}, or any other
   * path for a connection closed before any response.
   */
  String rawUrl(String path) {
    return "http://127.0.0.1:" + raw.port() + path;
  }

  long pageRequests() {
    return pageRequests.get();
  }

  long bigBytesSent() {
    return bigBytesSent.get();
  }

  int openConnections() {
    return openConnections.get();
  }

  int pages() {
    return pages;
  }

  /** The most page requests the server was working on at once. */
  int peakPagesInProgress() {
    return peakPagesInProgress.get();
  }

  private Mono<Void> page(HttpServerRequest req, HttpServerResponse res) {
    pageRequests.incrementAndGet();
    peakPagesInProgress.accumulateAndGet(pagesInProgress.incrementAndGet(), Math::max);
    Mono<Void> send = Mono.defer(() -> Mono.from(pageNow(req, res)));
    return (latency.isZero() ? send : onEventLoop(res, latency).then(send))
        .doFinally(signal -> pagesInProgress.decrementAndGet());
  }

  /**
   * Completes after {@code delay} on the connection's own event loop: the response is then written
   * where Netty expects it, not from a Reactor timer thread (where Netty's buffer allocator takes a
   * lock, which BlockHound rightly reports on a non-blocking thread).
   */
  static Mono<Void> onEventLoop(HttpServerResponse res, Duration delay) {
    return Mono.create(
        sink -> {
          EventLoop[] loop = new EventLoop[1];
          res.withConnection(connection -> loop[0] = connection.channel().eventLoop());
          ScheduledFuture<?> timer =
              loop[0].schedule((Runnable) sink::success, delay.toNanos(), TimeUnit.NANOSECONDS);
          sink.onCancel(() -> timer.cancel(false));
        });
  }

  private Publisher<Void> pageNow(HttpServerRequest req, HttpServerResponse res) {
    int i;
    try {
      i = Integer.parseInt(req.param("i"));
    } catch (NumberFormatException e) {
      return res.status(404).send();
    }
    if (i < 0 || i >= pages) {
      return res.status(404).send();
    }
    StringBuilder html =
        new StringBuilder("<!doctype html><html><head><title>page ")
            .append(i)
            .append("</title></head><body>");
    for (int k = 1; k <= links; k++) {
      long target = (long) i * links + k;
      if (target < pages) {
        html.append("<a href=\"/site/")
            .append(target)
            .append("\">p")
            .append(target)
            .append("</a> ");
      }
    }
    html.append("</body></html>");
    return res.header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
        .sendString(Mono.just(html.toString()));
  }

  /** 50 MB of HTML generated chunk by chunk as the client reads; never held in memory. */
  private NettyOutbound big(HttpServerRequest req, HttpServerResponse res) {
    int chunk = 64 * 1024;
    byte[] filler =
        "<p>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</p>\n"
            .repeat(chunk / 64)
            .getBytes(StandardCharsets.US_ASCII);
    Flux<ByteBuf> body =
        Flux.range(0, BIG_BODY_BYTES / chunk)
            .map(
                n -> {
                  bigBytesSent.addAndGet(chunk);
                  return Unpooled.wrappedBuffer(filler, 0, chunk);
                });
    return res.header(HttpHeaderNames.CONTENT_TYPE, "text/html")
        .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(BIG_BODY_BYTES))
        .send(body);
  }

  /** 4 MiB of HTML gzipped to a few KiB: small on the wire, large once decoded. */
  private NettyOutbound gzipBomb(HttpServerRequest req, HttpServerResponse res) {
    byte[] gzipped = gzipBomb;
    return res.header(HttpHeaderNames.CONTENT_TYPE, "text/html")
        .header(HttpHeaderNames.CONTENT_ENCODING, "gzip")
        .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(gzipped.length))
        .sendByteArray(Mono.just(gzipped));
  }

  private static NettyOutbound redirect(HttpServerResponse res) {
    return res.status(HttpResponseStatus.MOVED_PERMANENTLY)
        .header(HttpHeaderNames.LOCATION, "/site/0")
        .header(HttpHeaderNames.CONTENT_TYPE, "text/html")
        .sendString(Mono.just("<html><body>moved <a href=/site/0>here</a></body></html>"));
  }

  /** One byte every 50 ms: never silent long enough for a read timeout. Bounded to 10 minutes. */
  private static NettyOutbound dribble(HttpServerResponse res) {
    return res.header(HttpHeaderNames.CONTENT_TYPE, "text/html")
        .header(HttpHeaderNames.CONTENT_LENGTH, "12000")
        .sendString(
            Flux.range(0, 12_000)
                .concatMap(n -> onEventLoop(res, Duration.ofMillis(50)).thenReturn("x")));
  }

  private static NettyOutbound stallBody(HttpServerResponse res) {
    return res.header(HttpHeaderNames.CONTENT_TYPE, "text/html")
        .header(HttpHeaderNames.CONTENT_LENGTH, "1000")
        .sendString(Flux.just("<html>").concatWith(Flux.never()));
  }

  /** A page of exactly {@code n} bytes. */
  private static NettyOutbound exact(HttpServerRequest req, HttpServerResponse res) {
    int n = Integer.parseInt(req.param("n"));
    return res.header(HttpHeaderNames.CONTENT_TYPE, "text/html")
        .sendByteArray(Mono.just("a".repeat(n).getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    http.disposeNow(Duration.ofSeconds(5));
    raw.disposeNow(Duration.ofSeconds(5));
  }
}
