package io.duocrawl.common.session;

import io.duocrawl.common.fetch.RequestOptions;
import io.duocrawl.common.frontier.CrawlRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request an engine is to make, handed out by {@link CrawlSession#next()} and handed back with
 * its response to {@link CrawlSession#complete}. Engines read {@link #url()} and fetch it with a
 * plain GET (no redirect following, the session's user agent), adding {@link #headers()}, and may
 * report the address they connected to ({@link #remoteAddress(String)}, for WARC records); they
 * need nothing else.
 */
public final class FetchRequest {
  /** What the request is for. */
  public enum Kind {
    /** A page URL from the frontier. */
    PAGE,
    /** A host's {@code /robots.txt}. */
    ROBOTS,
    /** A sitemap (from robots.txt or the config); its URLs are offered like links. */
    SITEMAP
  }

  private final String url;
  private final Kind kind;
  private final CrawlRequest request;
  private final String hostKey;
  private final long dispatchedAt;
  private final RequestOptions options;
  private volatile String remoteAddress = "";

  FetchRequest(String url, Kind kind, CrawlRequest request, String hostKey, long dispatchedAt) {
    this(url, kind, request, hostKey, dispatchedAt, RequestOptions.NONE);
  }

  FetchRequest(
      String url,
      Kind kind,
      CrawlRequest request,
      String hostKey,
      long dispatchedAt,
      RequestOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.url = Objects.requireNonNull(url, "url");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.request = request;
    this.hostKey = hostKey;
    this.dispatchedAt = dispatchedAt;
  }

  /** The absolute URL to GET. */
  public String url() {
    return url;
  }

  /**
   * The headers to add to the GET besides {@code User-Agent} and {@code Accept-Encoding}, in order:
   * those of the crawl's {@link io.duocrawl.common.CrawlConfig#request()} for this URL. Usually
   * empty. Computed on each call; an engine calls it once, inside its fetch, so that an exception
   * from an embedder's per-request function fails this request as {@code IO_ERROR}.
   *
   * @throws IllegalArgumentException when a per-request function gives a header it may not
   */
  public List<Map.Entry<String, String>> headers() {
    return options.headersFor(url);
  }

  /** Page or robots.txt. */
  public Kind kind() {
    return kind;
  }

  /**
   * Records the IP address the engine connected to for this request (for the WARC record); an
   * engine calls it once it knows, before {@link CrawlSession#complete}. Optional.
   */
  public void remoteAddress(String address) {
    this.remoteAddress = java.util.Objects.requireNonNull(address, "address");
  }

  /** The IP address the engine reported through {@link #remoteAddress(String)}, if it did. */
  public java.util.Optional<String> remoteAddress() {
    return remoteAddress.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(remoteAddress);
  }

  CrawlRequest request() {
    return request;
  }

  String hostKey() {
    return hostKey;
  }

  long dispatchedAt() {
    return dispatchedAt;
  }

  @Override
  public String toString() {
    return kind + " " + url;
  }
}
