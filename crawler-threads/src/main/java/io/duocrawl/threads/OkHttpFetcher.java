package io.duocrawl.threads;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchRequest;
import io.duocrawl.common.session.FetchResponse;
import io.duocrawl.common.session.HeaderLookup;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

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
  private final OkHttpClient[] lanes;
  private final ExecutorService dispatcherExecutor;
  private final String userAgent;
  private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  private OkHttpFetcher(
      CrawlSession session, OkHttpClient[] lanes, ExecutorService dispatcherExecutor) {
    this.session = session;
    this.lanes = lanes;
    this.dispatcherExecutor = dispatcherExecutor;
    this.userAgent = session.config().userAgent();
  }

  /**
   * A fetcher for one crawl with a single lane; see {@link #create(OkHttpClient, CrawlSession,
   * String, int)}.
   */
  static OkHttpFetcher create(OkHttpClient base, CrawlSession session, String threadPrefix) {
    return create(base, session, threadPrefix, 1);
  }

  /**
   * A fetcher for one crawl. Its clients derive from {@code base} (so an embedder's interceptors,
   * proxy and TLS settings apply), with the crawl's timeouts and, per lane, a connection pool and
   * dispatcher of their own, which {@link #close()} releases.
   *
   * <p>Why lanes: OkHttp's connection pool is one list that every call scans, taking each
   * connection's monitor, to find an idle connection to its host; its dispatcher takes a monitor
   * twice per call. With hundreds of threads calling one host that is where they queue (JFR:
   * contended monitor enters in {@code RealConnectionPool.callAcquirePooledConnection}). Giving
   * each worker (or each permit of the virtual engine) a lane, that is a client with its own small
   * pool, removes the sharing: a worker reuses its own keep-alive connections. The lanes share the
   * TLS setup and the one (idle) dispatcher executor.
   *
   * @param lanes how many clients; callers pick a lane per call with {@link #fetch(FetchRequest,
   *     int)}
   */
  static OkHttpFetcher create(
      OkHttpClient base, CrawlSession session, String threadPrefix, int lanes) {
    CrawlConfig config = session.config();
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
    // Keep-alive for every worker of the lane, and a spare for a second host.
    int idlePerLane = Math.max(2, (config.concurrency() + lanes - 1) / lanes);
    OkHttpClient first =
        base.newBuilder()
            .dispatcher(new Dispatcher(dispatcherExecutor))
            .connectionPool(new ConnectionPool(idlePerLane, 5, TimeUnit.MINUTES))
            .connectTimeout(config.connectTimeout())
            .readTimeout(config.readTimeout())
            .writeTimeout(config.readTimeout())
            // The whole request, connect to last body byte: this is what ends a dribbled body.
            .callTimeout(config.requestTimeout())
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            .build();
    OkHttpClient[] clients = new OkHttpClient[lanes];
    clients[0] = first;
    for (int i = 1; i < lanes; i++) {
      // Derived from the first client, not from base: it carries the TLS socket factory built
      // once, instead of building one per lane.
      clients[i] =
          first
              .newBuilder()
              .dispatcher(new Dispatcher(dispatcherExecutor))
              .connectionPool(new ConnectionPool(idlePerLane, 5, TimeUnit.MINUTES))
              .build();
    }
    return new OkHttpFetcher(session, clients, dispatcherExecutor);
  }

  /** How many lanes (clients) this fetcher has. */
  int lanes() {
    return lanes.length;
  }

  /** Fetches on lane 0; see {@link #fetch(FetchRequest, int)}. */
  FetchResponse fetch(FetchRequest request) {
    return fetch(request, 0);
  }

  /**
   * Fetches one request and returns what came of it; never throws for a network failure (it becomes
   * {@link FetchResponse#error}). Runtime exceptions from OkHttp or this code propagate, and the
   * engine turns them into an {@code IO_ERROR}.
   */
  FetchResponse fetch(FetchRequest request, int lane) {
    Request httpRequest =
        new Request.Builder().url(request.url()).header("User-Agent", userAgent).get().build();
    Call call = lanes[lane % lanes.length].newCall(httpRequest);
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
      HeaderLookup headers = name -> Optional.ofNullable(response.header(name));
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
    for (OkHttpClient lane : lanes) {
      lane.connectionPool().evictAll();
    }
    dispatcherExecutor.shutdownNow();
  }
}
