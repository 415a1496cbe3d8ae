package io.duocrawl.threads;

import io.duocrawl.common.session.FetchError;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import okhttp3.internal.http2.StreamResetException;

/**
 * Maps OkHttp's exceptions to {@link FetchError}: OkHttp's own shapes first (they are not JDK
 * types, or are JDK types whose meaning only OkHttp's message gives), then {@link
 * FetchError#classify} for the JDK's.
 */
final class OkHttpErrors {
  private OkHttpErrors() {}

  /**
   * Classifies {@code error}.
   *
   * @param bodyPhase whether the error came while reading the body, after the status line and
   *     headers had arrived
   */
  static FetchError classify(IOException error, boolean bodyPhase) {
    if (error instanceof StreamResetException) {
      return FetchError.CONNECTION_RESET;
    }
    String message = String.valueOf(error.getMessage());
    // The call timeout (AsyncTimeout) ends the call with InterruptedIOException("timeout"), caused
    // by whatever the cancelled socket threw; a socket timeout is the subclass
    // SocketTimeoutException.
    if (error.getClass() == InterruptedIOException.class && message.equals("timeout")) {
      return FetchError.REQUEST_TIMEOUT;
    }
    if (error instanceof SocketTimeoutException) {
      return message.toLowerCase(java.util.Locale.ROOT).contains("connect")
          ? FetchError.CONNECT_TIMEOUT
          : FetchError.READ_TIMEOUT;
    }
    if (error instanceof ProtocolException && message.startsWith("unexpected end of stream")) {
      // A fixed-length or chunked body that stopped early: the peer closed mid-response.
      return FetchError.CONNECTION_RESET;
    }
    if (!bodyPhase && message.startsWith("unexpected end of stream on")) {
      // No complete status line and headers. Okio's EOFException says what it did read:
      // "\n not found: limit=0 content=…" is nothing at all; any bytes without a line end are
      // garbage where a status line should have been.
      for (Throwable t = error.getCause(); t != null; t = t.getCause()) {
        if (t instanceof EOFException) {
          return readNothing(String.valueOf(t.getMessage()))
              ? FetchError.EMPTY_RESPONSE
              : FetchError.PROTOCOL_ERROR;
        }
      }
    }
    return FetchError.classify(error);
  }

  private static boolean readNothing(String eofMessage) {
    int content = eofMessage.indexOf("content=");
    return content < 0 || eofMessage.substring(content + "content=".length()).equals("…");
  }
}
