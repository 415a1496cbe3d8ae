package io.duocrawl.threads;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.fetch.FetchPolicy;
import io.duocrawl.common.fetch.ResponseHead;
import io.duocrawl.common.fetch.UnsupportedPolicyException;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchError;
import io.duocrawl.common.session.FetchRequest;
import io.duocrawl.common.session.FetchResponse;
import io.duocrawl.common.session.HeaderLookup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * The blocking fetch both thread engines share: one OkHttp client per crawl, one GET per {@link
 * FetchRequest}, the body read up to the session's limit. Thread-safe; {@link #fetch} blocks its
 * caller for the length of one request (bounded by the call timeout).
 *
 * <p>The client does nothing on its own that the core decides: no redirects (the core routes them
 * through the frontier), no silent retries (the core's retry policy), no per-host limits (the
 * frontier's). It does transparent gzip: OkHttp asks for gzip and inflates while we read, so the
 * body cap counts decompressed bytes.
 */
final class OkHttpFetcher implements AutoCloseable {
  /**
   * A response whose body the core does not want is drained (keeping its connection for reuse) only
   * when it declares a length up to this; otherwise the call is cancelled, which closes the
   * connection instead of reading an unknown or large body just to throw it away.
   */
  static final long DRAIN_LIMIT = 64 * 1024;

  /** The first body buffer when the length is unknown; it doubles up to the limit. */
  private static final int INITIAL_BUFFER = 16 * 1024;

  private final CrawlSession session;
  private final OkHttpClient client;
  private final ExecutorService dispatcherExecutor;
  private final String userAgent;
  private final @Nullable String acceptEncoding;
  private final int maxHeaderBytes;
  private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  private OkHttpFetcher(
      CrawlSession session, OkHttpClient client, ExecutorService dispatcherExecutor) {
    this.session = session;
    this.client = client;
    this.dispatcherExecutor = dispatcherExecutor;
    this.userAgent = session.config().userAgent();
    FetchPolicy policy = session.config().fetch();
    // OkHttp asks for gzip and decodes it by itself when no Accept-Encoding is set.
    this.acceptEncoding = policy.acceptEncodings().isEmpty() ? "identity" : null;
    this.maxHeaderBytes = policy.maxHeaderBytes();
  }

  private static List<InetAddress> lookup(Dns dns, String host) {
    try {
      return dns.lookup(host);
    } catch (UnknownHostException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A fetcher for one crawl. Its client derives from {@code base} (so an embedder's interceptors,
   * proxy and TLS settings apply) with its own connection pool and dispatcher, sized for the crawl,
   * which {@link #close()} releases.
   *
   * <p>One client for all workers, not one per worker. JFR shows threads queueing on the monitors
   * OkHttp takes per call (each pooled connection's while the pool is scanned, the dispatcher's); a
   * client per worker removes that, but OkHttp's shared TaskRunner then keeps one cleanup queue per
   * pool in a list it scans under one lock every time a connection goes idle, and at N = 1,024 that
   * cost more than it saved (docs/benchmarks-threads.md, "lanes").
   */
  static OkHttpFetcher create(OkHttpClient base, CrawlSession session, String threadPrefix) {
    CrawlConfig config = session.config();
    FetchPolicy policy = config.fetch();
    // The dispatcher runs only async calls; we use execute(), so this executor should never start
    // a thread. It is ours anyway, so that close() can shut it down whatever an interceptor does.
    ThreadPoolExecutor dispatcherExecutor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            Thread.ofPlatform().name(threadPrefix + "okhttp-", 0).daemon(true).factory());
    OkHttpClient.Builder client =
        base.newBuilder()
            .dispatcher(new Dispatcher(dispatcherExecutor))
            // One idle connection per worker, so keep-alive survives a full pool of workers.
            .connectionPool(new ConnectionPool(config.concurrency(), 5, TimeUnit.MINUTES))
            .connectTimeout(config.connectTimeout())
            .readTimeout(config.readTimeout())
            .writeTimeout(config.readTimeout())
            // The whole request, connect to last body byte: this is what ends a dribbled body.
            .callTimeout(config.requestTimeout())
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false);
    config
        .request()
        .proxy()
        .ifPresent(
            proxy ->
                client.proxy(
                    new Proxy(
                        Proxy.Type.HTTP,
                        InetSocketAddress.createUnresolved(proxy.host(), proxy.port()))));
    if (!policy.hosts().isEmpty()) {
      Dns dns = base.dns();
      client.dns(
          host -> policy.fixedAddress(host).map(List::of).orElseGet(() -> lookup(dns, host)));
    }
    return new OkHttpFetcher(session, client.build(), dispatcherExecutor);
  }

  /**
   * Throws if this fetcher cannot honour {@code policy}: OkHttp decodes gzip only. Called before a
   * crawl opens its session.
   */
  static void checkPolicy(String engine, FetchPolicy policy) {
    if (policy.acceptEncodings().contains("deflate")) {
      throw new UnsupportedPolicyException(
          engine,
          "fetch.acceptEncodings",
          "OkHttp decodes gzip only, asked " + policy.acceptEncodings());
    }
  }

  /**
   * Fetches one request and returns what came of it; never throws for a network failure (it becomes
   * {@link FetchResponse#error}). Runtime exceptions from OkHttp or this code propagate, and the
   * engine turns them into an {@code IO_ERROR}.
   */
  FetchResponse fetch(FetchRequest request) {
    Request.Builder builder =
        new Request.Builder().url(request.url()).header("User-Agent", userAgent);
    if (acceptEncoding != null) {
      builder.header("Accept-Encoding", acceptEncoding);
    }
    for (Map.Entry<String, String> header : request.headers()) {
      builder.addHeader(header.getKey(), header.getValue());
    }
    Request httpRequest = builder.get().build();
    Call call = client.newCall(httpRequest);
    inFlight.add(call);
    try {
      // cancelAll() sets the flag before it walks the set: a call registered too late for the
      // walk sees the flag here, so no call escapes a cancel.
      if (cancelled) {
        call.cancel();
      }
      return execute(request, call);
    } finally {
      inFlight.remove(call);
    }
  }

  private FetchResponse execute(FetchRequest request, Call call) {
    boolean bodyPhase = false;
    try (Response response = call.execute()) {
      int status = response.code();
      ResponseHead headers = head(response);
      if (headerBytes(response.headers()) > maxHeaderBytes) {
        call.cancel();
        return FetchResponse.error(
            FetchError.PROTOCOL_ERROR,
            "response header section larger than " + maxHeaderBytes + " bytes");
      }
      long limit = session.bodyLimit(request, status, headers);
      ResponseBody body = response.body();
      if (limit == 0) {
        long declared = body.contentLength();
        if (declared < 0 || declared > DRAIN_LIMIT) {
          call.cancel();
        }
        return FetchResponse.withoutBody(status, headers);
      }
      bodyPhase = true;
      return readBody(call, status, headers, body, limit);
    } catch (IOException e) {
      return FetchResponse.error(OkHttpErrors.classify(e, bodyPhase), e.toString());
    }
  }

  /** The status line and headers in order; OkHttp's {@code header(name)} would give the last. */
  private static ResponseHead head(Response response) {
    Headers headers = response.headers();
    List<Map.Entry<String, String>> list = new ArrayList<>(headers.size());
    for (int i = 0; i < headers.size(); i++) {
      list.add(Map.entry(headers.name(i), headers.value(i)));
    }
    return new ResponseHead(
        response.protocol().toString().toUpperCase(Locale.ROOT),
        response.code(),
        response.message(),
        list);
  }

  /** The header section's size as {@link FetchPolicy#maxHeaderBytes()} counts it. */
  private static long headerBytes(Headers headers) {
    long bytes = 0;
    for (int i = 0; i < headers.size(); i++) {
      bytes += headers.name(i).length() + 2 + headers.value(i).length();
    }
    return bytes;
  }

  /**
   * Reads at most {@code limit + 1} bytes from the (already decompressed) body source. The source
   * inflates at most one 8 KiB segment per read, so a gzip bomb never grows past the limit plus one
   * segment in memory.
   */
  private static FetchResponse readBody(
      Call call, int status, HeaderLookup headers, ResponseBody body, long limit)
      throws IOException {
    long want = limit == Long.MAX_VALUE ? limit : limit + 1;
    long declared = body.contentLength();
    int capacity =
        (int)
            Math.min(
                Math.min(want, Integer.MAX_VALUE - 8),
                declared >= 0 ? declared + 1 : INITIAL_BUFFER);
    byte[] buffer = new byte[Math.max(capacity, 1)];
    int length = 0;
    BufferedSource source = body.source();
    while (length < want) {
      if (length == buffer.length) {
        if (buffer.length >= Integer.MAX_VALUE - 8) {
          break;
        }
        int grown = (int) Math.min(Math.min(want, Integer.MAX_VALUE - 8), buffer.length * 2L);
        buffer = Arrays.copyOf(buffer, grown);
      }
      int n = source.read(buffer, length, buffer.length - length);
      if (n == -1) {
        return FetchResponse.of(status, headers, buffer, length);
      }
      length += n;
    }
    // Over the limit: stop here and drop the connection rather than drain the rest of the body.
    call.cancel();
    return FetchResponse.tooLarge(status, headers, length);
  }

  /**
   * Stops every call in flight and makes later calls fail at once: their threads return promptly
   * with an error, which the cancelled session drops. Idempotent.
   */
  void cancelAll() {
    cancelled = true;
    for (Call call : inFlight) {
      call.cancel();
    }
  }

  /** Calls in flight now; for tests. */
  int inFlight() {
    return inFlight.size();
  }

  /**
   * Releases the client's resources: idle connections closed, the dispatcher's executor shut down.
   * Call after every fetch has returned.
   */
  @Override
  public void close() {
    client.connectionPool().evictAll();
    dispatcherExecutor.shutdownNow();
  }
}
