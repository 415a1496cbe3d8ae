package io.duocrawl.common.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What every engine adds to the requests of a crawl: headers for every request and per request,
 * cookies, an {@code Authorization}, and an HTTP proxy. Decided in the core: the session computes
 * each request's extra headers ({@link io.duocrawl.common.session.FetchRequest#headers()}), so the
 * engines send the same bytes; each engine routes through {@link #proxy()} with its own client.
 *
 * <pre>{@code
 * RequestOptions options = RequestOptions.NONE
 *     .withHeader("Accept-Language", "en")
 *     .withCookie("consent", "yes")
 *     .withBearerToken("s3cret")
 *     .withPerRequest(url -> url.contains("/api/")
 *         ? List.of(Map.entry("Accept", "application/json")) : List.of());
 * CrawlConfig config = CrawlConfig.builder().seed("https://example.com/").request(options).build();
 * }</pre>
 *
 * <p>Headers, cookies and the authorization go to every host the crawl fetches, robots.txt
 * included: to send credentials to one host only, use {@link #withPerRequest}, which sees the URL.
 * {@code User-Agent} ({@link io.duocrawl.common.CrawlConfig#userAgent()}), {@code Accept-Encoding}
 * ({@link FetchPolicy#acceptEncodings()}) and the framing headers ({@code Host}, {@code
 * Content-Length}, {@code Transfer-Encoding}, {@code Connection}) are the engine's and cannot be
 * set here. Immutable and thread-safe; the per-request function must be thread-safe too.
 *
 * @param headers name-value pairs sent with every request, in order; a name may repeat. Default
 *     none.
 * @param cookies cookies sent with every request as one {@code Cookie} header, in order. Default
 *     none. (Cookies the server sets are not kept: a crawl is stateless.)
 * @param authorization the {@code Authorization} value, from {@link #withBasicAuth} or {@link
 *     #withBearerToken}. Default none.
 * @param proxy the HTTP proxy every request goes through. Default none (direct).
 * @param perRequest headers for one request, asked with its URL each time it is fetched. Default
 *     none.
 */
public record RequestOptions(
    List<Map.Entry<String, String>> headers,
    Map<String, String> cookies,
    Optional<String> authorization,
    Optional<Proxy> proxy,
    PerRequest perRequest) {

  /** No extra header, no proxy: what a crawl sends by default. */
  public static final RequestOptions NONE =
      new RequestOptions(List.of(), Map.of(), Optional.empty(), Optional.empty(), PerRequest.NONE);

  /** Header names the engines own. */
  private static final Set<String> RESERVED =
      Set.of(
          "user-agent",
          "accept-encoding",
          "host",
          "content-length",
          "transfer-encoding",
          "connection");

  /**
   * Headers for one request, decided from its URL.
   *
   * <pre>{@code
   * PerRequest apiKey = url -> url.startsWith("https://api.example.com/")
   *     ? List.of(Map.entry("X-Api-Key", key)) : List.of();
   * }</pre>
   */
  @FunctionalInterface
  public interface PerRequest {
    /** No header for any request. */
    PerRequest NONE = url -> List.of();

    /**
     * The headers to add to the request for {@code url}; the same rules as {@link #headers()}
     * (names the engine owns, line breaks) apply, and a bad one fails that request as {@code
     * IO_ERROR}, never silently sent.
     */
    List<Map.Entry<String, String>> headers(String url);
  }

  /**
   * An HTTP proxy. Plain {@code http} URLs are sent to it in absolute form (the threads engines) or
   * through a {@code CONNECT} tunnel (the reactive engine), {@code https} ones always through a
   * tunnel.
   *
   * @param host the proxy's host name or address
   * @param port its port, 1–65535
   */
  public record Proxy(String host, int port) {
    /** Validates. */
    public Proxy {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("proxy.host must not be blank");
      }
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("proxy.port must be in 1..65535, was " + port);
      }
    }
  }

  /** Validates and copies; a message names the field and the bad value. */
  public RequestOptions {
    headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
    headers.forEach(h -> checkHeader("headers", h.getKey(), h.getValue()));
    cookies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cookies));
    cookies.forEach(RequestOptions::checkCookie);
    Objects.requireNonNull(authorization, "authorization");
    authorization.ifPresent(a -> checkHeader("authorization", "Authorization", a));
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(perRequest, "perRequest");
  }

  /** A copy that also sends {@code name: value} with every request. */
  public RequestOptions withHeader(String name, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(headers);
    more.add(Map.entry(name, value));
    return new RequestOptions(more, cookies, authorization, proxy, perRequest);
  }

  /** A copy that also sends cookie {@code name=value} with every request. */
  public RequestOptions withCookie(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(cookies);
    more.put(name, value);
    return new RequestOptions(headers, more, authorization, proxy, perRequest);
  }

  /** A copy that sends {@code Authorization: Basic …} (RFC 7617, UTF-8) with every request. */
  public RequestOptions withBasicAuth(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("basic auth user must not hold ':', was '" + user + "'");
    }
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    return withAuthorization("Basic " + token);
  }

  /** A copy that sends {@code Authorization: Bearer token} (RFC 6750) with every request. */
  public RequestOptions withBearerToken(String token) {
    Objects.requireNonNull(token, "token");
    return withAuthorization("Bearer " + token);
  }

  /** A copy that sends {@code Authorization: value} with every request. */
  public RequestOptions withAuthorization(String value) {
    return new RequestOptions(headers, cookies, Optional.of(value), proxy, perRequest);
  }

  /** A copy whose requests go through the HTTP proxy at {@code host:port}. */
  public RequestOptions withProxy(String host, int port) {
    return new RequestOptions(
        headers, cookies, authorization, Optional.of(new Proxy(host, port)), perRequest);
  }

  /** A copy that also asks {@code perRequest} for headers, after any earlier one. */
  public RequestOptions withPerRequest(PerRequest perRequest) {
    Objects.requireNonNull(perRequest, "perRequest");
    PerRequest earlier = this.perRequest;
    PerRequest both =
        earlier == PerRequest.NONE
            ? perRequest
            : url -> {
              List<Map.Entry<String, String>> all = new ArrayList<>(earlier.headers(url));
              all.addAll(perRequest.headers(url));
              return all;
            };
    return new RequestOptions(headers, cookies, authorization, proxy, both);
  }

  /** Whether requests carry no extra header (the proxy aside). */
  public boolean addsNoHeaders() {
    return headers.isEmpty()
        && cookies.isEmpty()
        && authorization.isEmpty()
        && perRequest == PerRequest.NONE;
  }

  /**
   * Every extra header of the request for {@code url}, in the order sent: {@link #headers()}, then
   * {@code Cookie}, then {@code Authorization}, then the per-request ones.
   *
   * @throws IllegalArgumentException when the per-request function gives a header the engine owns
   *     or one holding a line break
   */
  public List<Map.Entry<String, String>> headersFor(String url) {
    if (addsNoHeaders()) {
      return List.of();
    }
    List<Map.Entry<String, String>> all = new ArrayList<>(headers);
    if (!cookies.isEmpty()) {
      StringBuilder cookie = new StringBuilder();
      cookies.forEach(
          (name, value) -> {
            if (!cookie.isEmpty()) {
              cookie.append("; ");
            }
            cookie.append(name).append('=').append(value);
          });
      all.add(Map.entry("Cookie", cookie.toString()));
    }
    authorization.ifPresent(a -> all.add(Map.entry("Authorization", a)));
    for (Map.Entry<String, String> h : perRequest.headers(url)) {
      checkHeader("perRequest", h.getKey(), h.getValue());
      all.add(Map.entry(h.getKey(), h.getValue()));
    }
    return List.copyOf(all);
  }

  private static void checkHeader(String field, String name, String value) {
    Objects.requireNonNull(name, field + " name");
    Objects.requireNonNull(value, field + " value");
    if (name.isEmpty() || !name.chars().allMatch(RequestOptions::isTokenChar)) {
      throw new IllegalArgumentException(field + " holds an invalid header name '" + name + "'");
    }
    if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          field + " must not set " + name + ": the engine sends it (see RequestOptions)");
    }
    if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
      throw new IllegalArgumentException(
          field + " holds a line break or NUL in the value of " + name);
    }
  }

  private static void checkCookie(String name, String value) {
    if (name.isEmpty() || !name.chars().allMatch(RequestOptions::isTokenChar)) {
      throw new IllegalArgumentException("cookies holds an invalid cookie name '" + name + "'");
    }
    if (value.chars().anyMatch(c -> c < 0x21 || c == ';' || c == ',' || c == '"' || c == 0x7f)) {
      throw new IllegalArgumentException(
          "cookies holds an invalid value for cookie " + name + ": '" + value + "'");
    }
  }

  private static boolean isTokenChar(int c) {
    return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
  }
}
