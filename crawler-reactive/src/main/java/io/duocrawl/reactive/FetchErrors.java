package io.duocrawl.reactive;

import io.duocrawl.common.session.FetchError;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Maps what Netty and Reactor Netty throw to a {@link FetchError}: their own exception types first,
 * then {@link FetchError#classify} for the JDK's. No rule about retries lives here; the core
 * decides what to do with each error.
 */
final class FetchErrors {
  private FetchErrors() {}

  /**
   * The error a failed exchange ends with.
   *
   * @param error what the exchange failed with
   * @param responded whether a status line had arrived before the failure
   */
  static FetchError classify(Throwable error, boolean responded) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        // Mono.timeout on the whole exchange (and the pool's acquire timeout, which is set to the
        // same duration and so never fires first).
        return FetchError.REQUEST_TIMEOUT;
      }
      if (t instanceof ReadTimeoutException) {
        return FetchError.READ_TIMEOUT;
      }
      if (t instanceof ConnectTimeoutException) {
        return FetchError.CONNECT_TIMEOUT;
      }
      if (t instanceof PrematureCloseException || t instanceof ClosedChannelException) {
        return responded ? FetchError.CONNECTION_RESET : FetchError.EMPTY_RESPONSE;
      }
      if (t instanceof AbortedException) {
        return FetchError.CONNECTION_RESET;
      }
      if (isDecoderFailure(t)) {
        return FetchError.PROTOCOL_ERROR;
      }
      if (isNativeReset(t)) {
        return FetchError.CONNECTION_RESET;
      }
    }
    return FetchError.classify(error);
  }

  /**
   * Netty's HTTP decoder reports a malformed status line, header or chunk size as the cause of a
   * failed {@code DecoderResult}, which is not always a {@link DecoderException} (a bad chunk size
   * is a {@code NumberFormatException}, a bad version an {@code IllegalArgumentException}); where
   * it was thrown tells them apart from our own argument errors.
   */
  private static boolean isDecoderFailure(Throwable t) {
    if (t instanceof DecoderException || t instanceof TooLongFrameException) {
      return true;
    }
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, 8); i++) {
      if (frames[i].getClassName().startsWith("io.netty.handler.codec.")) {
        return true;
      }
    }
    return false;
  }

  /**
   * With the native epoll transport a reset arrives as {@code Errors.NativeIoException}, a plain
   * {@code IOException} rather than the JDK's {@code SocketException}.
   */
  private static boolean isNativeReset(Throwable t) {
    if (!t.getClass().getName().startsWith("io.netty.channel.unix.")) {
      return false;
    }
    String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("reset") || message.contains("broken pipe");
  }

  /** A one-line detail for the report: the exception's type and message. */
  static String detail(Throwable error) {
    String message = error.getMessage();
    String type = error.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
