package io.duocrawl.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The pipeline's fan-out keeps flatMap's contract: bounded, backpressured, cancellable. */
class BoundedMergeTest {
  private static final Duration VERIFY = Duration.ofSeconds(10);

  @Test
  void emitsOneValuePerItemAndCompletesWhenSourceAndInnersAreDone() {
    Flux<Integer> merged = new BoundedMerge<>(Flux.range(0, 1_000), i -> Mono.just(i * 2), 16);

    StepVerifier.create(merged.collectList())
        .assertNext(
            values ->
                assertThat(values)
                    .hasSize(1_000)
                    .containsExactlyInAnyOrderElementsOf(
                        Flux.range(0, 1_000).map(i -> i * 2).toIterable()))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void neverHasMoreThanMaxConcurrencyInnersActiveAtOnceWithInnersFinishingOnOtherThreads() {
    AtomicInteger active = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Flux<Integer> merged =
        new BoundedMerge<>(
            Flux.range(0, 2_000),
            i ->
                Mono.fromCallable(
                        () -> {
                          peak.accumulateAndGet(active.incrementAndGet(), Math::max);
                          return i;
                        })
                    .subscribeOn(Schedulers.parallel())
                    .doOnNext(ignored -> active.decrementAndGet()),
            8);

    StepVerifier.create(merged.count()).expectNext(2_000L).expectComplete().verify(VERIFY);
    assertThat(peak.get()).isBetween(1, 8);
  }

  @Test
  void aFinishedInnerKeepsItsSlotUntilDownstreamTakesItsValue() {
    AtomicInteger subscribed = new AtomicInteger();
    Flux<Integer> merged =
        new BoundedMerge<>(
            Flux.range(0, 100),
            i -> Mono.just(i).doOnSubscribe(s -> subscribed.incrementAndGet()),
            4);

    StepVerifier.create(merged, 0)
        .then(() -> assertThat(subscribed).hasValue(4))
        .thenRequest(2)
        .expectNextCount(2)
        .then(() -> assertThat(subscribed).hasValue(6))
        .thenCancel()
        .verify(VERIFY);
  }

  @Test
  void anInnerThatCompletesEmptyGivesItsSlotBackAtOnce() {
    Flux<Integer> merged =
        new BoundedMerge<>(
            Flux.range(0, 10), i -> i % 2 == 0 ? Mono.<Integer>empty() : Mono.just(i), 2);

    StepVerifier.create(merged.collectList())
        .assertNext(values -> assertThat(values).containsExactlyInAnyOrder(1, 3, 5, 7, 9))
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void cancellingCancelsTheSourceAndEveryActiveInner() {
    List<Sinks.One<Integer>> pending = new ArrayList<>();
    AtomicInteger innerCancels = new AtomicInteger();
    AtomicInteger sourceCancels = new AtomicInteger();
    Flux<Integer> merged =
        new BoundedMerge<>(
            Flux.range(0, 100).doOnCancel(sourceCancels::incrementAndGet),
            i -> {
              Sinks.One<Integer> sink = Sinks.one();
              pending.add(sink);
              return sink.asMono().doOnCancel(innerCancels::incrementAndGet);
            },
            3);

    StepVerifier.create(merged)
        .then(() -> assertThat(pending).hasSize(3))
        .thenCancel()
        .verify(VERIFY);
    assertThat(sourceCancels).hasValue(1);
    assertThat(innerCancels).hasValue(3);
  }

  @Test
  void anInnerErrorCancelsTheRestAndReachesTheSubscriber() {
    AtomicInteger innerCancels = new AtomicInteger();
    Flux<Integer> merged =
        new BoundedMerge<>(
            Flux.range(0, 10),
            i ->
                i == 2
                    ? Mono.error(new IllegalStateException("boom"))
                    : Mono.<Integer>never().doOnCancel(innerCancels::incrementAndGet),
            4);

    StepVerifier.create(merged).expectErrorMessage("boom").verify(VERIFY);
    assertThat(innerCancels).hasValue(2);
  }

  @Test
  void aSourceErrorIsEmittedOnceTheDrainGetsToIt() {
    Flux<Integer> merged =
        new BoundedMerge<>(
            Flux.just(1, 2).concatWith(Flux.error(new IllegalStateException("source"))),
            Mono::just,
            4);

    StepVerifier.create(merged).expectNextCount(2).expectErrorMessage("source").verify(VERIFY);
  }

  @Test
  void aConcurrencyBelowOneIsRefusedNamingTheValue() {
    assertThatThrownBy(() -> new BoundedMerge<>(Flux.just(1), Mono::just, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrency must be > 0, was 0");
  }
}
