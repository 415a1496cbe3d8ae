package io.duocrawl.common.session;

import java.util.Objects;
import java.util.Optional;

/**
 * What came back for a {@link FetchRequest}: a status with (part of) a body, or an error. Build it
 * with the static factories; the core reads only the headers it needs.
 *
 * <pre>{@code
 * FetchResponse ok = FetchResponse.of(200, headers, bytes, length);
 * FetchResponse big = FetchResponse.tooLarge(200, headers, bytesSeen);
 * FetchResponse noBody = FetchResponse.of(301, headers, new byte[0], 0);
 * FetchResponse reset = FetchResponse.error(FetchError.CONNECTION_RESET, e.toString());
 * }</pre>
 *
 * @param status the HTTP status; 0 for an error
 * @param contentType the {@code Content-Type} header, empty when absent
 * @param location the {@code Location} header
 * @param retryAfter the {@code Retry-After} header
 * @param body the body bytes read; only the first {@code length} count
 * @param length body bytes read
 * @param truncated the body was longer than the limit and was not read to its end
 * @param error why there is no usable response
 * @param detail a human-readable detail for an error (an exception message); empty otherwise
 * @param headers every response header as the engine received it (a {@link
 *     io.duocrawl.common.fetch.ResponseHead}, with the status line, from every engine); {@link
 *     HeaderLookup#NONE} for an error
 */
public record FetchResponse(
    int status,
    String contentType,
    Optional<String> location,
    Optional<String> retryAfter,
    byte[] body,
    int length,
    boolean truncated,
    Optional<FetchError> error,
    String detail,
    HeaderLookup headers) {

  private static final byte[] EMPTY = new byte[0];

  /** Checks the fields. The body array is not copied: do not change it after handing it over. */
  public FetchResponse {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(headers, "headers");
    if (length < 0 || length > body.length) {
      throw new IllegalArgumentException("length must be in 0.." + body.length + ", was " + length);
    }
  }

  /** A response with its whole body (or no body, for statuses whose body the core did not want). */
  public static FetchResponse of(int status, HeaderLookup headers, byte[] body, int length) {
    return new FetchResponse(
        status,
        headers.header("Content-Type").orElse(""),
        headers.header("Location"),
        headers.header("Retry-After"),
        body,
        length,
        false,
        Optional.empty(),
        "",
        headers);
  }

  /** A response without body bytes. */
  public static FetchResponse withoutBody(int status, HeaderLookup headers) {
    return of(status, headers, EMPTY, 0);
  }

  /**
   * A response whose body passed the limit {@link CrawlSession#bodyLimit} gave: reading stopped
   * there.
   */
  public static FetchResponse tooLarge(int status, HeaderLookup headers, long bytesSeen) {
    return new FetchResponse(
        status,
        headers.header("Content-Type").orElse(""),
        Optional.empty(),
        Optional.empty(),
        EMPTY,
        0,
        true,
        Optional.empty(),
        "body exceeded the limit after " + bytesSeen + " bytes",
        headers);
  }

  /** No usable response. */
  public static FetchResponse error(FetchError error, String detail) {
    return new FetchResponse(
        0,
        "",
        Optional.empty(),
        Optional.empty(),
        EMPTY,
        0,
        false,
        Optional.of(error),
        detail,
        HeaderLookup.NONE);
  }
}
