package io.duocrawl.common.session;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.fetch.ResponseHead;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a completed request into an {@link Exchange} for the session's {@link ExchangeListener}.
 * Kept apart from {@link CrawlSession} so the session stays about dispatch: this only describes
 * what went over the wire. Thread-safe.
 */
final class ExchangeTap {
  private static final Logger log = LoggerFactory.getLogger(ExchangeTap.class);

  private final CrawlConfig config;
  private final String acceptEncoding;
  private final boolean proxied;
  private volatile ExchangeListener listener = ExchangeListener.NONE;

  ExchangeTap(CrawlConfig config) {
    this.config = config;
    this.acceptEncoding = config.fetch().acceptEncodingHeader();
    this.proxied = config.request().proxy().isPresent();
  }

  void listener(ExchangeListener listener) {
    this.listener = listener;
  }

  /** Whether a listener is set: without one, the session skips the tap entirely. */
  boolean active() {
    return listener != ExchangeListener.NONE;
  }

  /**
   * Hands the exchange to the listener when there is one and a response came back; a listener that
   * throws is logged, never lets the page be lost.
   */
  void tap(FetchRequest request, FetchResponse response, long latencyNanos, long bodyLimit) {
    ExchangeListener current = listener;
    if (current == ExchangeListener.NONE || response.error().isPresent()) {
      return;
    }
    try {
      current.onExchange(exchange(request, response, latencyNanos, bodyLimit));
    } catch (RuntimeException e) {
      log.warn("exchange listener threw for {}: {}", request.url(), e.toString());
    }
  }

  private Exchange exchange(
      FetchRequest request, FetchResponse response, long latencyNanos, long bodyLimit) {
    ResponseHead head =
        response.headers() instanceof ResponseHead h
            ? h
            : new ResponseHead("HTTP/1.1", response.status(), "", response.headers().all());
    boolean truncated = response.truncated() || (bodyLimit == 0 && mayHaveBody(head));
    return new Exchange(
        request.kind(),
        request.url(),
        Instant.now().minusNanos(latencyNanos),
        // Through a proxy, the address connected to is the proxy's, not the origin server's.
        proxied ? Optional.empty() : request.remoteAddress(),
        requestHeaders(request.url()),
        head,
        response.body(),
        response.length(),
        truncated);
  }

  /** Whether a response whose body the core did not read had one (RFC 9112 §6.3). */
  private static boolean mayHaveBody(ResponseHead head) {
    int status = head.status();
    if (status < 200 || status == 204 || status == 304) {
      return false;
    }
    return !head.header("Content-Length").map(String::strip).orElse("").equals("0");
  }

  private List<Map.Entry<String, String>> requestHeaders(String url) {
    return List.of(
        Map.entry("Host", authority(url)),
        Map.entry("User-Agent", config.userAgent()),
        Map.entry("Accept-Encoding", acceptEncoding));
  }

  private static String authority(String url) {
    int start = url.indexOf("://") + 3;
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    return url.substring(start, end);
  }
}
