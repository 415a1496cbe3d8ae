package io.duocrawl.common.url;

import io.duocrawl.common.Rejection;

/**
 * Thrown inside this package when a URL cannot be canonicalized, and always caught at the public
 * boundary and turned into {@link UrlCheck.Invalid}. An exception rather than a return code keeps
 * the parsing code straight; it has no stack trace because it is control flow, not a bug report,
 * and bad links are common enough on the web that filling stack traces would show in profiles.
 */
final class UrlSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Rejection reason;

  UrlSyntaxException(Rejection reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  static UrlSyntaxException malformed(String message) {
    return new UrlSyntaxException(Rejection.MALFORMED, message);
  }

  Rejection reason() {
    return reason;
  }
}
