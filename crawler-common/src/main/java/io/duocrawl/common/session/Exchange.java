package io.duocrawl.common.session;

import io.duocrawl.common.fetch.ResponseHead;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP exchange as it happened on the wire, handed to an {@link ExchangeListener} (a WARC
 * writer) for every request that got a response, robots.txt and sitemaps included.
 *
 * <p>The body is what the core read: decoded (gzip inflated, chunks joined) by the engine, at most
 * the limit {@link CrawlSession#bodyLimit} gave. When the server sent more than that (a body over
 * the cap, or a body the core does not read at all, such as a redirect's or an image's), {@link
 * #truncated()} is true and the body holds what was kept (possibly nothing).
 *
 * @param kind page, robots.txt or sitemap
 * @param url the URL fetched
 * @param captured when the request was dispatched (wall clock): the WARC capture time
 * @param remoteAddress the IP address of the server, when the engine reported the address it
 *     connected to; empty when requests go through a proxy ({@code RequestOptions.proxy}), whose
 *     address that would be
 * @param requestHeaders the request headers the core asks every engine to send, in order ({@code
 *     Host}, {@code User-Agent}, {@code Accept-Encoding}); a client may add connection headers
 * @param response the status line and every response header, in order
 * @param body the body bytes; only the first {@code length} count. Not copied: read, never change
 * @param length body bytes kept
 * @param truncated whether the body is shorter than what the server sent
 */
public record Exchange(
    FetchRequest.Kind kind,
    String url,
    Instant captured,
    Optional<String> remoteAddress,
    List<Map.Entry<String, String>> requestHeaders,
    ResponseHead response,
    byte[] body,
    int length,
    boolean truncated) {

  /** Checks the fields; copies the header list. */
  public Exchange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(captured, "captured");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    requestHeaders = List.copyOf(requestHeaders);
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(body, "body");
    if (length < 0 || length > body.length) {
      throw new IllegalArgumentException("length must be in 0.." + body.length + ", was " + length);
    }
  }
}
