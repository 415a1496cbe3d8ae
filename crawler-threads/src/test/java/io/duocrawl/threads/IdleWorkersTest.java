package io.duocrawl.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Idle waits are bounded: readiness may change outside the process, with no local wake-up. */
class IdleWorkersTest {
  /** A session whose only URL is in flight: nothing ready, no deadline, not done. */
  private static CrawlSession sessionWithNothingReady() {
    CrawlSession session =
        CrawlSession.open(
            "threads",
            CrawlConfig.builder().seed("http://127.0.0.1:9/").robots(false).build(),
            PageListener.NONE);
    Optional<FetchRequest> seed = session.next();
    assertThat(seed).isPresent();
    assertThat(session.nanosUntilReady()).isEmpty();
    return session;
  }

  @ParameterizedTest
  @EnumSource(IdleWorkers.Policy.class)
  void everyWaiterLooksAgainWithoutAnyWakeUp(IdleWorkers.Policy policy) throws Exception {
    CrawlSession session = sessionWithNothingReady();
    IdleWorkers idle = new IdleWorkers(session, policy);
    AtomicInteger returned = new AtomicInteger();
    List<Thread> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiters.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      idle.await(idle.stamp());
                      returned.incrementAndGet();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    // Nobody calls wake(): only the bounded wait (50 ms, handed on from waiter to waiter) ends
    // them.
    await().atMost(Duration.ofSeconds(10)).until(() -> returned.get() == 3);
    for (Thread t : waiters) {
      t.join();
    }
    session.cancel();
  }
}
