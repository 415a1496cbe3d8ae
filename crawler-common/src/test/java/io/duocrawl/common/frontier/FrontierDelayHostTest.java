package io.duocrawl.common.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.common.CrawlConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Frontier#delayHost}: a hold on one host, beside politeness and pauses. */
class FrontierDelayHostTest {
  private static final long MS = 1_000_000L;

  private final AtomicLong now = new AtomicLong(1_000 * MS);

  private Frontier frontier(Duration delay) {
    CrawlConfig config =
        CrawlConfig.builder()
            .seed("http://a.test/")
            .perHostConcurrency(10)
            .politenessDelay(delay)
            .build();
    return Frontier.inMemory(config, now::get);
  }

  private static CrawlRequest req(String host, String path) {
    return CrawlRequest.of("http://" + host + ".test/" + path, host + ".test:80", 1);
  }

  @Test
  void aHeldHostDispatchesNothingUntilTheHoldEndsWhileOtherHostsGoOn() {
    Frontier f = frontier(Duration.ZERO);
    f.offer(req("a", "1"));
    f.offer(req("b", "1"));

    f.delayHost("a.test:80", now.get() + 500 * MS);

    assertThat(f.poll().orElseThrow().url()).isEqualTo("http://b.test/1");
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).hasValue(500 * MS);
    now.addAndGet(500 * MS);
    assertThat(f.poll().orElseThrow().url()).isEqualTo("http://a.test/1");
  }

  @Test
  void aHoldOnlyLengthensAndAppliesToUrlsOfferedLater() {
    Frontier f = frontier(Duration.ZERO);
    f.delayHost("a.test:80", now.get() + 800 * MS);
    f.delayHost("a.test:80", now.get() + 100 * MS);
    f.offer(req("a", "1"));

    now.addAndGet(700 * MS);
    assertThat(f.poll()).isEmpty();
    now.addAndGet(100 * MS);
    assertThat(f.poll()).isPresent();
  }

  @Test
  void politenessStillAppliesAfterAHold() {
    Frontier f = frontier(Duration.ofMillis(300));
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    CrawlRequest first = f.poll().orElseThrow();
    f.complete(first);

    f.delayHost("a.test:80", now.get() + 100 * MS);

    now.addAndGet(100 * MS);
    assertThat(f.poll()).isEmpty();
    now.addAndGet(200 * MS);
    assertThat(f.poll()).isPresent();
  }

  @Test
  void aPausedHostStaysPausedPastItsHold() {
    Frontier f = frontier(Duration.ZERO);
    f.pauseHost("a.test:80");
    f.offer(req("a", "1"));
    f.delayHost("a.test:80", now.get() + 100 * MS);

    now.addAndGet(200 * MS);
    assertThat(f.poll()).isEmpty();
    f.resumeHost("a.test:80", Duration.ZERO);
    assertThat(f.poll()).isPresent();
  }
}
