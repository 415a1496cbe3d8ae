package io.duocrawl.reactive;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.fetch.FetchPolicy;
import io.duocrawl.common.fetch.ResponseHead;
import io.duocrawl.common.session.FetchError;
import io.duocrawl.common.session.FetchRequest;
import io.duocrawl.common.session.FetchResponse;
import io.duocrawl.common.session.HeaderLookup;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The non-blocking HTTP side of one crawl: a Reactor Netty {@link HttpClient} over its own
 * connection pool and event loops, both sized for the crawl and disposed with it.
 *
 * <p>Per request: a plain GET with the config's User-Agent, no redirect following (the core decides
 * about redirects), gzip accepted and decoded, the body cap applied to decoded bytes while reading,
 * a read timeout between network reads, and a timeout on the whole exchange that also ends a body
 * dribbled slowly enough to beat the read timeout. Every outcome, failures included, is a {@link
 * FetchResponse}: the returned Mono never errors.
 */
final class HttpFetcher {
  /**
   * How long an idle pooled connection is kept: below the keep-alive of common servers (5 s for
   * Apache httpd and Node.js), so the pool closes it before the server does and a request is never
   * written into a connection the server is closing.
   */
  static final Duration MAX_IDLE = Duration.ofSeconds(4);

  private static final AtomicInteger IDS = new AtomicInteger();

  /** How many body bytes to read for a response, decided from its status and headers. */
  @FunctionalInterface
  interface BodyLimit {
    long bodyLimit(int status, HeaderLookup headers);

    /** The IP address the response came from (for WARC-IP-Address); by default ignored. */
    default void remoteAddress(String address) {}
  }

  private final ConnectionProvider provider;
  private final LoopResources loops;
  private final HttpClient client;
  private final Duration requestTimeout;

  private HttpFetcher(
      ConnectionProvider provider,
      LoopResources loops,
      HttpClient client,
      Duration requestTimeout) {
    this.provider = provider;
    this.loops = loops;
    this.client = client;
    this.requestTimeout = requestTimeout;
  }

  /** A client for {@code config}: pool, timeouts, User-Agent. */
  static HttpFetcher create(CrawlConfig config) {
    int n = config.concurrency();
    FetchPolicy policy = config.fetch();
    String name = "duocrawl-reactive-" + IDS.incrementAndGet();
    ConnectionProvider provider =
        ConnectionProvider.builder(name)
            // One pool per remote host, each allowed the whole concurrency: the frontier already
            // caps a host at perHostConcurrency, and the pipeline caps everything at N, so the
            // pool never becomes the limit (Reactor Netty's default is 2 x cores, 16 here).
            .maxConnections(n)
            // At most N requests are in flight, so at most N can wait for a connection; more
            // would mean an engine bug, and then an error is better than an unbounded queue.
            .pendingAcquireMaxCount(n)
            // The whole-request timeout covers the wait for a connection; this one only backs it.
            .pendingAcquireTimeout(config.requestTimeout())
            .maxIdleTime(MAX_IDLE)
            .evictInBackground(MAX_IDLE)
            // A crawl of many hosts leaves many pools behind; drop the ones unused for a while.
            .disposeInactivePoolsInBackground(Duration.ofSeconds(30), Duration.ofSeconds(30))
            .build();
    // Our own event loops, one per core (the global default is max(cores, 4)), daemon threads,
    // disposed with the crawl. Java NIO rather than native epoll: measured on Netty 4.2.17 with
    // Reactor Netty 1.3.7, every connection of the crawl landed on one epoll loop (colocated or
    // not, pooled or not), capping all network I/O at one core, while NIO spreads connections
    // round-robin over the loops (see docs/benchmarks-reactive.md).
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    LoopResources loops = LoopResources.create(name, cores, true);
    // Start the loop threads now rather than on each loop's first connection, so the first
    // requests of a crawl do not wait for a thread to start (a politeness gap measured at the
    // server would otherwise shrink by that much).
    for (EventExecutor loop : loops.onClient(false)) {
      loop.execute(() -> {});
    }
    HttpClient client =
        HttpClient.create(provider)
            .runOn(loops, false)
            .protocol(HttpProtocol.HTTP11)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis(config.connectTimeout()))
            .responseTimeout(config.readTimeout())
            .compress(!policy.acceptEncodings().isEmpty())
            .httpResponseDecoder(spec -> spec.maxHeaderSize(policy.maxHeaderBytes()))
            .followRedirect(false)
            // Retries are decided by the core's retry policy, once, for every engine.
            .disableRetry(true)
            .doOnConnected(
                connection -> {
                  TruncatedChunkLine.install(connection.channel());
                  InterimResponses.install(connection.channel());
                })
            .headers(
                headers ->
                    headers
                        .set(HttpHeaderNames.USER_AGENT, config.userAgent())
                        .set(HttpHeaderNames.ACCEPT_ENCODING, policy.acceptEncodingHeader()));
    client = RequestHeaders.proxy(client, config.request());
    if (!policy.hosts().isEmpty()) {
      client = client.resolver(new FixedHosts(policy, client.configuration().resolver()));
    }
    return new HttpFetcher(provider, loops, client, config.requestTimeout());
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
  }

  /**
   * GETs {@code url}. Emits exactly one response, on a Netty event loop (or the timer thread for a
   * timeout); never errors. Cancelling it aborts the exchange and closes its connection.
   */
  Mono<FetchResponse> fetch(String url, BodyLimit limit) {
    return fetch(url, List::of, limit);
  }

  /**
   * GETs the request's URL with its {@link FetchRequest#headers()}, as {@link #fetch(String,
   * BodyLimit)}.
   */
  Mono<FetchResponse> fetch(FetchRequest request, BodyLimit limit) {
    return fetch(request.url(), request::headers, limit);
  }

  private Mono<FetchResponse> fetch(
      String url, Supplier<List<Map.Entry<String, String>>> extraHeaders, BodyLimit limit) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(limit, "limit");
    return Mono.defer(
        () -> {
          AtomicBoolean responded = new AtomicBoolean();
          HttpClient perRequest;
          try {
            perRequest = RequestHeaders.apply(client, extraHeaders.get());
          } catch (RuntimeException e) {
            // An embedder's per-request headers function failed: this request fails, not the crawl.
            return Mono.just(FetchResponse.error(FetchError.IO_ERROR, e.toString()));
          }
          Mono<FetchResponse> exchange =
              perRequest
                  .get()
                  .uri(url)
                  .response(
                      (response, body) -> {
                        responded.set(true);
                        int status = response.status().code();
                        HttpHeaders nettyHeaders = response.responseHeaders();
                        ResponseHead headers = head(response, nettyHeaders);
                        // The response is its connection's operations in Reactor Netty.
                        if (response instanceof Connection connection
                            && connection.channel().remoteAddress()
                                instanceof InetSocketAddress remote
                            && remote.getAddress() != null) {
                          limit.remoteAddress(remote.getAddress().getHostAddress());
                        }
                        long max = limit.bodyLimit(status, headers);
                        if (max <= 0) {
                          // The body is not subscribed to; Reactor Netty discards it when this
                          // Mono completes, closing the connection if the body had not fully
                          // arrived, so the slot is released either way.
                          return Mono.just(FetchResponse.withoutBody(status, headers));
                        }
                        long expected = contentLength(nettyHeaders);
                        return BodyAggregator.aggregate(body, max, expected)
                            .map(
                                b ->
                                    b.truncated()
                                        ? FetchResponse.tooLarge(status, headers, b.seen())
                                        : FetchResponse.of(status, headers, b.bytes(), b.length()));
                      })
                  .single();
          return guard(exchange, requestTimeout, responded::get);
        });
  }

  /**
   * Bounds {@code exchange} by the whole-request timeout (cancelling it aborts the exchange and
   * closes its connection) and turns every failure into an error response.
   *
   * @param responded whether a status line had arrived, asked when a failure happens
   */
  static Mono<FetchResponse> guard(
      Mono<FetchResponse> exchange, Duration timeout, BooleanSupplier responded) {
    // timeout(Publisher, fallback) rather than timeout(Duration): the latter names its source
    // with Scannable for the TimeoutException message at every subscription, building a string
    // per request (2.7 % of the crawler's samples at C = 10,000); this message is built only when
    // the timeout fires. Same timer (Schedulers.parallel()), same TimeoutException.
    return exchange
        .timeout(
            Mono.delay(timeout),
            Mono.error(
                () ->
                    new TimeoutException(
                        "no complete response within "
                            + timeout.toMillis()
                            + " ms (the whole-request timeout)")))
        .onErrorResume(
            error ->
                Mono.just(
                    FetchResponse.error(
                        FetchErrors.classify(error, responded.getAsBoolean()),
                        FetchErrors.detail(error))));
  }

  /** The status line and every header, in order. */
  private static ResponseHead head(HttpClientResponse response, HttpHeaders headers) {
    List<Map.Entry<String, String>> list = new ArrayList<>(headers.size());
    for (Iterator<Map.Entry<String, String>> i = headers.iteratorAsString(); i.hasNext(); ) {
      Map.Entry<String, String> header = i.next();
      list.add(Map.entry(header.getKey(), header.getValue()));
    }
    return new ResponseHead(
        response.version().text(),
        response.status().code(),
        response.status().reasonPhrase(),
        list);
  }

  /** The decoded body length when the server declared it and did not compress. */
  private static long contentLength(HttpHeaders headers) {
    if (headers.contains(HttpHeaderNames.CONTENT_ENCODING)) {
      return -1;
    }
    String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Closes every pooled connection, then stops the event loops. */
  Mono<Void> disposeLater() {
    return provider
        .disposeLater()
        .then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)))
        .onErrorResume(e -> Mono.empty());
  }
}
