package io.duocrawl.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The suite's guards catch what they are there to catch (else "no leaks" would prove nothing). */
class TestGuardsTest {

  @Test
  void theLeakDetectorReportsABufferThatWasNeverReleased() {
    int before = TestGuards.LEAKS.size();
    leakOneBuffer();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              TestGuards.provokeLeakReports();
              return TestGuards.LEAKS.size() > before;
            });
    forget(TestGuards.LEAKS, before);
  }

  private static void leakOneBuffer() {
    PooledByteBufAllocator.DEFAULT.buffer(64).writeLong(42);
  }

  @Test
  void blockHoundReportsABlockingCallOnANonBlockingThread() {
    int before = TestGuards.BLOCKING_CALLS.size();
    StepVerifier.create(Mono.fromRunnable(Thread::yield).subscribeOn(Schedulers.parallel()))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
    assertThat(TestGuards.BLOCKING_CALLS.subList(before, TestGuards.BLOCKING_CALLS.size()))
        .anySatisfy(call -> assertThat(call).startsWith("parallel-").contains("yield"));
    forget(TestGuards.BLOCKING_CALLS, before);
  }

  private static void forget(List<String> records, int keep) {
    while (records.size() > keep) {
      records.remove(records.size() - 1);
    }
  }
}
