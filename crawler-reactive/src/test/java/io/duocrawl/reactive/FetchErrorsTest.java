package io.duocrawl.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.common.session.FetchError;
import io.duocrawl.common.session.FetchResponse;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Netty and Reactor exceptions become the core's FetchError. */
class FetchErrorsTest {
  private static final Duration VERIFY = Duration.ofSeconds(5);

  @Test
  void aSilentExchangeEndsWithARequestTimeoutAfterTheConfiguredTime() {
    StepVerifier.withVirtualTime(
            () -> HttpFetcher.guard(Mono.never(), Duration.ofSeconds(60), () -> false))
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(59))
        .thenAwait(Duration.ofSeconds(1))
        .assertNext(response -> assertThat(response.error()).contains(FetchError.REQUEST_TIMEOUT))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aFailedExchangeBecomesAnErrorResponseNotAnError() {
    StepVerifier.create(
            HttpFetcher.guard(
                Mono.<FetchResponse>error(ReadTimeoutException.INSTANCE),
                Duration.ofSeconds(60),
                () -> true))
        .assertNext(
            response -> {
              assertThat(response.error()).contains(FetchError.READ_TIMEOUT);
              assertThat(response.detail()).isEqualTo("ReadTimeoutException");
            })
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void nettyTimeoutsAreTold() {
    assertThat(FetchErrors.classify(ReadTimeoutException.INSTANCE, true))
        .isEqualTo(FetchError.READ_TIMEOUT);
    assertThat(FetchErrors.classify(new ConnectTimeoutException("connection timed out"), false))
        .isEqualTo(FetchError.CONNECT_TIMEOUT);
    assertThat(FetchErrors.classify(new TimeoutException("Did not observe any item"), true))
        .isEqualTo(FetchError.REQUEST_TIMEOUT);
  }

  @Test
  void decoderFailuresAreProtocolErrors() {
    assertThat(FetchErrors.classify(new TooLongHttpLineException("line too long"), true))
        .isEqualTo(FetchError.PROTOCOL_ERROR);
    assertThat(FetchErrors.classify(new TooLongFrameException("frame"), false))
        .isEqualTo(FetchError.PROTOCOL_ERROR);
  }

  @Test
  void theJdksOwnExceptionsAreLeftToTheCore() {
    assertThat(FetchErrors.classify(new UnknownHostException("nowhere.test"), false))
        .isEqualTo(FetchError.UNKNOWN_HOST);
    assertThat(FetchErrors.classify(new ConnectException("Connection refused"), false))
        .isEqualTo(FetchError.CONNECT_FAILED);
    assertThat(FetchErrors.classify(new IllegalStateException("something else"), false))
        .isEqualTo(FetchError.IO_ERROR);
  }
}
