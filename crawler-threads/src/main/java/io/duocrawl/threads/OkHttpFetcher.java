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
import okhttp3.internal.concurrent.TaskRunner;
import okhttp3.internal.connection.ConnectionListener;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * The blocking fetch both thread engines share: OkHttp clients (lanes) per crawl, one GET per
 * {@link FetchRequest}, the body read up to the session's limit. Thread-safe; {@link #fetch} blocks
 * its caller for the length of one request (bounded by the call timeout).
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

  /**
   * Workers per client lane: each lane is a client with its own connection pool, dispatcher and
   * task runner, so a call scans (and locks) the connections of its lane only.
   */
  static final int LANE_WORKERS = 16;

  /** The most lanes a crawl gets; above that a lane holds more than {@link #LANE_WORKERS}. */
  static final int MAX_LANES = 32;

  private final CrawlSession session;
  private final OkHttpClient[] lanes;
  private final List<LaneTaskBackend> taskBackends;
  private final ExecutorService dispatcherExecutor;
  private final String userAgent;
  private final @Nullable String acceptEncoding;
  private final int maxHeaderBytes;
  private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  private OkHttpFetcher(
      CrawlSession session,
      OkHttpClient[] lanes,
      List<LaneTaskBackend> taskBackends,
      ExecutorService dispatcherExecutor) {
    this.session = session;
    this.lanes = lanes;
    this.taskBackends = taskBackends;
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
   * A fetcher for one crawl. Its clients derive from {@code base} (so an embedder's interceptors,
   * proxy and TLS settings apply), each with its own connection pool and dispatcher, sized for the
   * crawl, which {@link #close()} releases.
   *
   * <p>One client lane per {@link #LANE_WORKERS} workers (at most {@link #MAX_LANES}), each call on
   * the lane of its thread. JFR at N = 1,024 (docs/engines-profile.md): with one client, half the
   * crawler's CPU went to OkHttp's pool, which scans every pooled connection under that
   * connection's monitor to find a free one (O(N) monitors per call, 2,300 contended enters in 10
   * s) and, on every release, schedules its cleanup task under the one lock of the shared {@code
   * TaskRunner} (1,200 contended enters). A lane's pool holds about {@code N / lanes} connections,
   * and its own {@code TaskRunner} (so the cleanup queues of many pools are not scanned under one
   * lock, which is what made a client per worker slower than one client), whose backend does not
   * wake its thread for each release ({@link LaneTaskBackend}).
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
    OkHttpClient.Builder shared =
        base.newBuilder()
            .connectTimeout(config.connectTimeout())
            .readTimeout(config.readTimeout())
            .writeTimeout(config.readTimeout())
            // The whole request, connect to last body byte: this is what ends a dribbled body.
            .callTimeout(config.requestTimeout())
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            // The address each request went to, for WARC-IP-Address: only the network layer sees
            // the connection; the request's tag carries it back.
            .addNetworkInterceptor(
                chain -> {
                  FetchRequest tagged = chain.request().tag(FetchRequest.class);
                  okhttp3.Connection connection = chain.connection();
                  if (tagged != null && connection != null) {
                    tagged.remoteAddress(
                        connection.route().socketAddress().getAddress().getHostAddress());
                  }
                  return chain.proceed(chain.request());
                });
    config
        .request()
        .proxy()
        .ifPresent(
            proxy ->
                shared.proxy(
                    new Proxy(
                        Proxy.Type.HTTP,
                        InetSocketAddress.createUnresolved(proxy.host(), proxy.port()))));
    if (!policy.hosts().isEmpty()) {
      Dns dns = base.dns();
      shared.dns(
          host -> policy.fixedAddress(host).map(List::of).orElseGet(() -> lookup(dns, host)));
    }
    int n = config.concurrency();
    int laneCount = laneCount(n);
    // One idle connection per worker of the lane (twice, for the unevenness of thread ids), so
    // keep-alive survives a full lane of workers.
    int idlePerLane = Math.min(n, 2 * ceilDiv(n, laneCount));
    OkHttpClient[] lanes = new OkHttpClient[laneCount];
    List<LaneTaskBackend> backends = new ArrayList<>(laneCount);
    for (int i = 0; i < laneCount; i++) {
      LaneTaskBackend backend =
          new LaneTaskBackend(
              Thread.ofPlatform()
                  .name(threadPrefix + "okhttp-tasks-" + i + "-", 0)
                  .daemon(true)
                  .factory());
      backends.add(backend);
      TaskRunner tasks = new TaskRunner(backend, TaskRunner.Companion.getLogger());
      lanes[i] =
          shared
              .dispatcher(new Dispatcher(dispatcherExecutor))
              .connectionPool(
                  new ConnectionPool(
                      idlePerLane,
                      5,
                      TimeUnit.MINUTES,
                      tasks,
                      ConnectionListener.Companion.getNONE()))
              .build();
    }
    return new OkHttpFetcher(session, lanes, backends, dispatcherExecutor);
  }

  /** How many client lanes a crawl of concurrency {@code n} gets. */
  static int laneCount(int n) {
    return Math.max(1, Math.min(MAX_LANES, ceilDiv(n, LANE_WORKERS)));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
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
        new Request.Builder()
            .url(request.url())
            .header("User-Agent", userAgent)
            .tag(FetchRequest.class, request);
    if (acceptEncoding != null) {
      builder.header("Accept-Encoding", acceptEncoding);
    }
    for (Map.Entry<String, String> header : request.headers()) {
      builder.addHeader(header.getKey(), header.getValue());
    }
    Request httpRequest = builder.get().build();
    // The lane of this thread: platform workers keep theirs; virtual threads (one per request)
    // take the lanes in turn.
    OkHttpClient client = lanes[(int) (Thread.currentThread().threadId() % lanes.length)];
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
    for (OkHttpClient lane : lanes) {
      lane.connectionPool().evictAll();
    }
    for (LaneTaskBackend backend : taskBackends) {
      backend.shutdown();
    }
    dispatcherExecutor.shutdownNow();
  }
}
