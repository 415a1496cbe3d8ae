package io.duocrawl.common;

/**
 * Why a URL ended in its {@link Outcome}. Each constant belongs to exactly one outcome, given by
 * {@link #outcome()}.
 */
public enum Reason {
  /** Fetched: a 2xx HTML page. */
  OK(Outcome.FETCHED),
  /** Redirected: a 3xx with a usable {@code Location}. */
  REDIRECT(Outcome.REDIRECTED),

  /** Failed: 404 or 410. */
  NOT_FOUND(Outcome.FAILED),
  /** Failed: another 4xx. */
  HTTP_CLIENT_ERROR(Outcome.FAILED),
  /** Failed: 429 on every attempt the retry policy allowed. */
  TOO_MANY_REQUESTS(Outcome.FAILED),
  /** Failed: 5xx on every attempt the retry policy allowed. */
  HTTP_SERVER_ERROR(Outcome.FAILED),
  /** Failed: a status code outside 200–599 or an unusable response line. */
  UNEXPECTED_STATUS(Outcome.FAILED),
  /** Failed: the host name did not resolve. */
  UNKNOWN_HOST(Outcome.FAILED),
  /** Failed: the TCP connection was refused or could not be made. */
  CONNECT_FAILED(Outcome.FAILED),
  /** Failed: the connect timeout passed. */
  CONNECT_TIMEOUT(Outcome.FAILED),
  /** Failed: no byte arrived within the read timeout. */
  READ_TIMEOUT(Outcome.FAILED),
  /** Failed: the whole-request timeout passed (for example a body dribbled too slowly). */
  REQUEST_TIMEOUT(Outcome.FAILED),
  /** Failed: the peer reset or closed the connection before a complete response. */
  CONNECTION_RESET(Outcome.FAILED),
  /** Failed: the connection closed without any response bytes. */
  EMPTY_RESPONSE(Outcome.FAILED),
  /** Failed: the response broke HTTP framing (for example a malformed chunk). */
  PROTOCOL_ERROR(Outcome.FAILED),
  /** Failed: any other I/O error. */
  IO_ERROR(Outcome.FAILED),
  /** Failed: a redirect pointed back into its own chain. */
  REDIRECT_LOOP(Outcome.FAILED),
  /** Failed: a redirect chain longer than {@code maxRedirects}. */
  TOO_MANY_REDIRECTS(Outcome.FAILED),
  /** Failed: a 3xx without a usable {@code Location} header. */
  BAD_REDIRECT(Outcome.FAILED),
  /** Failed: the page could not be parsed. */
  PARSE_ERROR(Outcome.FAILED),
  /**
   * Failed, not fetched: the host's robots.txt could not be had (5xx or a network error on every
   * attempt, an unknown host, or a file too large to read), so nothing of the host is fetched. The
   * detail says why, e.g. {@code robots.txt: 503 after 3 attempts}.
   */
  ROBOTS_UNAVAILABLE(Outcome.FAILED),
  /**
   * Failed, not fetched: the host was given up after {@code hostFailureThreshold} consecutive
   * timeouts or connection failures; the detail names the count and the last error.
   */
  HOST_UNRESPONSIVE(Outcome.FAILED),
  /**
   * Failed: the server answered with a {@code Retry-After} longer than {@code retry.maxRetryAfter};
   * the URL is not retried earlier than the server asked.
   */
  RETRY_AFTER_TOO_LONG(Outcome.FAILED),

  /** Skipped: the host's robots.txt disallows the URL. */
  ROBOTS_DISALLOWED(Outcome.SKIPPED),
  /** Skipped: the body was larger than {@code maxBodyBytes}; it was not read past the cap. */
  TOO_LARGE(Outcome.SKIPPED),
  /** Skipped: the content type is not HTML; the body was not read. */
  UNSUPPORTED_CONTENT_TYPE(Outcome.SKIPPED);

  private final Outcome outcome;

  Reason(Outcome outcome) {
    this.outcome = outcome;
  }

  /** The outcome this reason explains. */
  public Outcome outcome() {
    return outcome;
  }
}
