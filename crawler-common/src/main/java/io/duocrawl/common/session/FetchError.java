package io.duocrawl.common.session;

import io.duocrawl.common.Reason;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Why a fetch produced no usable response. Engines map their client's exceptions to one of these
 * (client-specific types first, then {@link #classify(Throwable)} for the JDK's own); the core
 * turns it into a {@link Reason} and decides about retries.
 */
public enum FetchError {
  /** See {@link Reason#UNKNOWN_HOST}. */
  UNKNOWN_HOST(Reason.UNKNOWN_HOST),
  /** See {@link Reason#CONNECT_FAILED}. */
  CONNECT_FAILED(Reason.CONNECT_FAILED),
  /** See {@link Reason#CONNECT_TIMEOUT}. */
  CONNECT_TIMEOUT(Reason.CONNECT_TIMEOUT),
  /** See {@link Reason#READ_TIMEOUT}. */
  READ_TIMEOUT(Reason.READ_TIMEOUT),
  /** See {@link Reason#REQUEST_TIMEOUT}. */
  REQUEST_TIMEOUT(Reason.REQUEST_TIMEOUT),
  /** See {@link Reason#CONNECTION_RESET}. */
  CONNECTION_RESET(Reason.CONNECTION_RESET),
  /** See {@link Reason#EMPTY_RESPONSE}. */
  EMPTY_RESPONSE(Reason.EMPTY_RESPONSE),
  /** See {@link Reason#PROTOCOL_ERROR}. */
  PROTOCOL_ERROR(Reason.PROTOCOL_ERROR),
  /** See {@link Reason#IO_ERROR}. */
  IO_ERROR(Reason.IO_ERROR);

  private final Reason reason;

  FetchError(Reason reason) {
    this.reason = reason;
  }

  /** The failure reason a URL gets when its last attempt ended with this error. */
  public Reason reason() {
    return reason;
  }

  /**
   * Classifies the JDK's own I/O exceptions (and a cause chain of them); anything unknown is {@link
   * #IO_ERROR}. A {@code SocketTimeoutException} is a read timeout unless its message says
   * "connect".
   */
  public static FetchError classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (t instanceof UnknownHostException) {
        return UNKNOWN_HOST;
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return message.contains("timed out") ? CONNECT_TIMEOUT : CONNECT_FAILED;
      }
      if (t instanceof SocketTimeoutException) {
        return message.contains("connect") ? CONNECT_TIMEOUT : READ_TIMEOUT;
      }
      if (t instanceof ProtocolException) {
        return PROTOCOL_ERROR;
      }
      if (t instanceof EOFException) {
        return message.contains("\\n not found") || message.contains("unexpected end of stream")
            ? EMPTY_RESPONSE
            : CONNECTION_RESET;
      }
      if (t instanceof SocketException) {
        return CONNECTION_RESET;
      }
      if (t instanceof InterruptedIOException && message.contains("timeout")) {
        return REQUEST_TIMEOUT;
      }
    }
    return IO_ERROR;
  }
}
