package io.duocrawl.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** Aggregation of body chunks with the cap enforced while reading. */
class BodyAggregatorTest {
  private static final Duration VERIFY = Duration.ofSeconds(5);
  private final List<ByteBuf> chunks = new ArrayList<>();

  private ByteBuf chunk(String text) {
    ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    chunks.add(buf);
    return buf;
  }

  @AfterEach
  void chunksAreBorrowedNotKept() {
    // The aggregator copies and never retains or releases: the owner's refCnt is untouched.
    for (ByteBuf buf : chunks) {
      assertThat(buf.refCnt()).isEqualTo(1);
      buf.release();
    }
  }

  private static String text(BodyAggregator.Body body) {
    return new String(body.bytes(), 0, body.length(), StandardCharsets.US_ASCII);
  }

  @Test
  void chunksUnderTheLimitAreJoinedInOrder() {
    StepVerifier.create(
            BodyAggregator.aggregate(
                Flux.just(chunk("<html>"), chunk("hi"), chunk("</html>")), 100, -1))
        .assertNext(
            body -> {
              assertThat(text(body)).isEqualTo("<html>hi</html>");
              assertThat(body.truncated()).isFalse();
            })
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aBodyOfExactlyTheLimitIsNotTruncated() {
    StepVerifier.create(BodyAggregator.aggregate(Flux.just(chunk("12345"), chunk("67890")), 10, 10))
        .assertNext(
            body -> {
              assertThat(text(body)).isEqualTo("1234567890");
              assertThat(body.truncated()).isFalse();
            })
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void theByteAfterTheLimitStopsReadingAndCancelsTheBody() {
    TestPublisher<ByteBuf> body = TestPublisher.create();
    StepVerifier.create(BodyAggregator.aggregate(body.flux(), 10, -1))
        .then(() -> body.next(chunk("123456")))
        .then(() -> body.next(chunk("78901")))
        .assertNext(
            result -> {
              assertThat(result.truncated()).isTrue();
              assertThat(result.seen()).isEqualTo(11);
              assertThat(result.length()).isEqualTo(10);
            })
        .expectComplete()
        .verify(VERIFY);
    body.assertCancelled();
  }

  @Test
  void aLyingContentLengthDoesNotAllocateMoreThanTheLimit() {
    StepVerifier.create(BodyAggregator.aggregate(Flux.just(chunk("tiny")), 1_000, 5_000_000_000L))
        .assertNext(body -> assertThat(body.bytes().length).isLessThanOrEqualTo(1_000))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aBodyErrorIsPassedOn() {
    StepVerifier.create(
            BodyAggregator.aggregate(
                Flux.just(chunk("abc")).concatWith(Flux.error(new IllegalStateException("reset"))),
                100,
                -1))
        .expectErrorMessage("reset")
        .verify(VERIFY);
  }

  @Test
  void anEmptyBodyIsEmpty() {
    StepVerifier.create(BodyAggregator.aggregate(Flux.empty(), 100, 0))
        .assertNext(body -> assertThat(body.length()).isZero())
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void aLimitOfZeroIsAMisuse() {
    assertThatThrownBy(() -> BodyAggregator.aggregate(Flux.empty(), 0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }
}
