package io.duocrawl.common.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.frontier.Frontier.Counts;
import io.duocrawl.common.frontier.Frontier.Offer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryFrontierTest {
  private static final long MS = 1_000_000L;

  private final AtomicLong now = new AtomicLong(1_000 * MS);

  private Frontier frontier(int maxPages, int perHost, Duration delay) {
    CrawlConfig config =
        CrawlConfig.builder()
            .seed("http://a.test/")
            .maxPages(maxPages)
            .perHostConcurrency(perHost)
            .politenessDelay(delay)
            .build();
    return Frontier.inMemory(config, now::get);
  }

  private Frontier frontier() {
    return frontier(1_000, 100, Duration.ZERO);
  }

  private static CrawlRequest req(String host, String path) {
    return CrawlRequest.of("http://" + host + ".test/" + path, host + ".test:80", 1);
  }

  private static String pollUrl(Frontier f) {
    return f.poll().orElseThrow().url();
  }

  private static List<String> pollAll(Frontier f) {
    List<String> urls = new ArrayList<>();
    for (var next = f.poll(); next.isPresent(); next = f.poll()) {
      urls.add(next.get().url());
    }
    return urls;
  }

  private void advance(long nanos) {
    now.addAndGet(nanos);
  }

  // --- dedup and max pages ---

  @Test
  void offeringASeenUrlAgainReturnsDuplicateWhateverItsState() {
    Frontier f = frontier();
    assertThat(f.offer(req("a", "1"))).isEqualTo(Offer.ACCEPTED);
    assertThat(f.offer(req("a", "1"))).isEqualTo(Offer.DUPLICATE);
    CrawlRequest polled = f.poll().orElseThrow();
    assertThat(f.offer(req("a", "1"))).isEqualTo(Offer.DUPLICATE);
    f.complete(polled);
    assertThat(f.offer(req("a", "1"))).isEqualTo(Offer.DUPLICATE);
    // Dedup is by URL only: another depth or attempt is the same page.
    assertThat(f.offer(new CrawlRequest(polled.url(), polled.hostKey(), 3, 2, List.of())))
        .isEqualTo(Offer.DUPLICATE);
    assertThat(f.counts().accepted()).isEqualTo(1);
  }

  @Test
  void offersPastMaxPagesReturnMaxPagesAndDuplicatesStayDuplicates() {
    Frontier f = frontier(2, 2, Duration.ZERO);
    assertThat(f.offer(req("a", "1"))).isEqualTo(Offer.ACCEPTED);
    assertThat(f.offer(req("b", "1"))).isEqualTo(Offer.ACCEPTED);
    assertThat(f.offer(req("a", "2"))).isEqualTo(Offer.MAX_PAGES);
    assertThat(f.offer(req("a", "2"))).isEqualTo(Offer.MAX_PAGES);
    assertThat(f.offer(req("a", "1"))).isEqualTo(Offer.DUPLICATE);
    f.complete(f.poll().orElseThrow());
    assertThat(f.offer(req("c", "1"))).isEqualTo(Offer.MAX_PAGES);
    assertThat(f.counts().accepted()).isEqualTo(2);
  }

  @Test
  void offeringAListGivesEachUrlTheOutcomeItsOwnOfferWouldHaveInOrder() {
    Frontier f = frontier(3, 2, Duration.ZERO);
    f.offer(req("a", "0"));
    List<Offer> offers =
        f.offerAll(
            List.of(req("a", "1"), req("a", "0"), req("b", "1"), req("a", "1"), req("c", "1")));
    assertThat(offers)
        .containsExactly(
            Offer.ACCEPTED, Offer.DUPLICATE, Offer.ACCEPTED, Offer.DUPLICATE, Offer.MAX_PAGES);
    assertThat(f.counts().accepted()).isEqualTo(3);
    assertThat(f.counts().queued()).isEqualTo(3);
    assertThat(pollAll(f)).containsExactly("http://a.test/0", "http://b.test/1", "http://a.test/1");
    assertThat(f.offerAll(List.of())).isEmpty();
  }

  @Test
  void offeringAListMatchesTheDefaultOneByOneOffers() {
    Frontier batched = frontier(50, 2, Duration.ZERO);
    Frontier single = frontier(50, 2, Duration.ZERO);
    List<CrawlRequest> requests = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      requests.add(req("h" + (i % 7), "p" + (i % 60)));
    }
    List<Offer> expected = new ArrayList<>();
    for (CrawlRequest request : requests) {
      expected.add(single.offer(request));
    }
    assertThat(batched.offerAll(requests)).isEqualTo(expected);
    assertThat(pollAll(batched)).isEqualTo(pollAll(single));
  }

  @Test
  void aSeenUrlOfferedAgainIsADuplicateEvenWithTheBudgetSpent() {
    Frontier f = frontier(1, 2, Duration.ZERO);
    assertThat(f.offer(req("a", "1"))).isEqualTo(Offer.ACCEPTED);
    assertThat(f.offerAll(List.of(req("a", "1"), req("a", "2"))))
        .containsExactly(Offer.DUPLICATE, Offer.MAX_PAGES);
    assertThat(f.offer(req("a", "1"))).isEqualTo(Offer.DUPLICATE);
    assertThat(f.counts().accepted()).isEqualTo(1);
  }

  // --- order ---

  @Test
  void requestsOfOneHostComeOutInOfferOrder() {
    Frontier f = frontier();
    for (int i = 0; i < 5; i++) {
      f.offer(req("a", "p" + i));
    }
    assertThat(pollAll(f))
        .containsExactly(
            "http://a.test/p0",
            "http://a.test/p1",
            "http://a.test/p2",
            "http://a.test/p3",
            "http://a.test/p4");
  }

  @Test
  void hostsTakeTurnsRoundRobin() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.offer(req("a", "3"));
    f.offer(req("b", "1"));
    f.offer(req("b", "2"));
    f.offer(req("c", "1"));
    assertThat(pollAll(f))
        .containsExactly(
            "http://a.test/1",
            "http://b.test/1",
            "http://c.test/1",
            "http://a.test/2",
            "http://b.test/2",
            "http://a.test/3");
  }

  @Test
  void aHostThatRunsDryRejoinsAtTheBackOfTheRound() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    f.offer(req("b", "1"));
    f.offer(req("b", "2"));
    assertThat(pollUrl(f)).isEqualTo("http://a.test/1");
    f.offer(req("a", "2"));
    assertThat(pollAll(f)).containsExactly("http://b.test/1", "http://a.test/2", "http://b.test/2");
  }

  // --- politeness ---

  @Test
  void politenessDelayHoldsTheHostUntilExactlyTheDelayHasPassed() {
    Frontier f = frontier(100, 2, Duration.ofMillis(100));
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    CrawlRequest first = f.poll().orElseThrow();
    f.complete(first);
    advance(100 * MS - 1);
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).hasValue(1);
    advance(1);
    assertThat(f.nanosUntilReady()).hasValue(0);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/2");
  }

  @Test
  void politenessDelayCountsFromTheDispatchNotTheCompletion() {
    Frontier f = frontier(100, 2, Duration.ofMillis(100));
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    CrawlRequest first = f.poll().orElseThrow();
    advance(80 * MS);
    f.complete(first);
    assertThat(f.nanosUntilReady()).hasValue(20 * MS);
    advance(20 * MS);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/2");
  }

  @Test
  void politenessAppliesEvenWithFreeSlots() {
    Frontier f = frontier(100, 4, Duration.ofMillis(10));
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.offer(req("b", "1"));
    assertThat(pollUrl(f)).isEqualTo("http://a.test/1");
    assertThat(pollUrl(f)).isEqualTo("http://b.test/1");
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).hasValue(10 * MS);
  }

  @Test
  void politenessSurvivesTheClockWrappingAround() {
    now.set(Long.MAX_VALUE - 50);
    Frontier f = frontier(100, 2, Duration.ofNanos(100));
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.poll().orElseThrow();
    advance(99);
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).hasValue(1);
    advance(1);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/2");
  }

  // --- per-host cap ---

  @Test
  void perHostCapLimitsRequestsInFlightToOneHostOnly() {
    Frontier f = frontier(100, 2, Duration.ZERO);
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.offer(req("a", "3"));
    f.offer(req("b", "1"));
    CrawlRequest a1 = f.poll().orElseThrow();
    assertThat(pollUrl(f)).isEqualTo("http://b.test/1");
    assertThat(pollUrl(f)).isEqualTo("http://a.test/2");
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).isEmpty();
    f.complete(a1);
    assertThat(f.nanosUntilReady()).hasValue(0);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/3");
  }

  // --- pause and resume ---

  @Test
  void pausingAHostNotSeenYetHoldsItsFirstRequests() {
    Frontier f = frontier();
    f.pauseHost("a.test:80");
    f.offer(req("a", "1"));
    f.offer(req("b", "1"));
    assertThat(pollUrl(f)).isEqualTo("http://b.test/1");
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).isEmpty();
    assertThat(f.counts().queued()).isEqualTo(1);
    assertThat(f.isExhausted()).isFalse();
    f.resumeHost("a.test:80", Duration.ZERO);
    assertThat(f.nanosUntilReady()).hasValue(0);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/1");
  }

  @Test
  void pausingAReadyHostHoldsItUntilResumed() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    f.offer(req("b", "1"));
    f.pauseHost("a.test:80");
    assertThat(pollUrl(f)).isEqualTo("http://b.test/1");
    assertThat(f.poll()).isEmpty();
    f.resumeHost("a.test:80", Duration.ZERO);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/1");
  }

  @Test
  void pausingAHostInItsPolitenessDelayHoldsItPastTheDelay() {
    Frontier f = frontier(100, 2, Duration.ofMillis(100));
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.poll().orElseThrow();
    f.pauseHost("a.test:80");
    advance(500 * MS);
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).isEmpty();
    f.resumeHost("a.test:80", Duration.ZERO);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/2");
  }

  @Test
  void resumeSetsTheHostDelayToTheLargerOfConfigAndCrawlDelay() {
    Frontier f = frontier(100, 5, Duration.ofMillis(100));
    f.pauseHost("a.test:80");
    f.pauseHost("b.test:80");
    for (int i = 0; i < 2; i++) {
      f.offer(req("a", "" + i));
      f.offer(req("b", "" + i));
    }
    f.resumeHost("a.test:80", Duration.ofSeconds(2));
    f.resumeHost("b.test:80", Duration.ofMillis(10));
    assertThat(pollUrl(f)).isEqualTo("http://a.test/0");
    assertThat(pollUrl(f)).isEqualTo("http://b.test/0");
    advance(100 * MS);
    assertThat(pollUrl(f)).isEqualTo("http://b.test/1");
    assertThat(f.poll()).isEmpty();
    advance(1_900 * MS - 1);
    assertThat(f.nanosUntilReady()).hasValue(1);
    advance(1);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/1");
  }

  @Test
  void aLongerDelayGivenToAHostAlreadyReadyHoldsIt() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.poll().orElseThrow();
    // a is back in the ready ring; a crawl-delay arriving now must still apply to a/2.
    f.pauseHost("a.test:80");
    f.resumeHost("a.test:80", Duration.ofSeconds(1));
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).hasValue(1_000 * MS);
    advance(1_000 * MS);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/2");
  }

  @Test
  void aCrawlDelayArrivingAfterUndelayedDispatchesCountsFromTheResume() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.complete(f.poll().orElseThrow());
    advance(300 * MS);
    // Undelayed dispatches are not timed, so the delay runs from now: later, never earlier.
    f.resumeHost("a.test:80", Duration.ofSeconds(1));
    assertThat(f.nanosUntilReady()).hasValue(1_000 * MS);
  }

  @Test
  void resumeRejectsANegativeDelay() {
    Frontier f = frontier();
    assertThatThrownBy(() -> f.resumeHost("a.test:80", Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delay");
  }

  // --- retries ---

  @Test
  void retryLaterFreesTheHostSlotAtOnce() {
    Frontier f = frontier(100, 1, Duration.ZERO);
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    CrawlRequest a1 = f.poll().orElseThrow();
    assertThat(f.poll()).isEmpty();
    f.retryLater(a1.nextAttempt(), now.get() + 1_000 * MS);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/2");
    assertThat(f.counts()).isEqualTo(new Counts(2, 0, 1, 1, 0));
  }

  @Test
  void aRetryWaitsForItsNotBeforeTimeThenGoesFirstOnItsHost() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.offer(req("a", "3"));
    CrawlRequest a1 = f.poll().orElseThrow();
    f.retryLater(a1.nextAttempt(), now.get() + 500 * MS);
    assertThat(f.nanosUntilReady()).hasValue(0);
    f.complete(f.poll().orElseThrow());
    assertThat(f.counts().delayed()).isEqualTo(1);
    advance(499 * MS);
    CrawlRequest next = f.poll().orElseThrow();
    assertThat(next.url()).isEqualTo("http://a.test/3");
    f.retryLater(next.nextAttempt(), now.get() + 1_000 * MS);
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).hasValue(1 * MS);
    advance(1 * MS);
    CrawlRequest retried = f.poll().orElseThrow();
    assertThat(retried.url()).isEqualTo("http://a.test/1");
    assertThat(retried.attempt()).isEqualTo(1);
  }

  @Test
  void retriesDueAtOnceComeBackInTheOrderTheyWereScheduled() {
    Frontier f = frontier(100, 5, Duration.ZERO);
    f.offer(req("a", "1"));
    f.offer(req("b", "1"));
    CrawlRequest a1 = f.poll().orElseThrow();
    CrawlRequest b1 = f.poll().orElseThrow();
    f.retryLater(b1, now.get() + 10);
    f.retryLater(a1, now.get() + 10);
    advance(10);
    assertThat(pollAll(f)).containsExactly("http://b.test/1", "http://a.test/1");
  }

  @Test
  void aRetryIsNeitherANewAcceptNorDeduped() {
    Frontier f = frontier(1, 2, Duration.ZERO);
    f.offer(req("a", "1"));
    CrawlRequest a1 = f.poll().orElseThrow();
    f.retryLater(a1.nextAttempt(), now.get());
    assertThat(f.offer(req("a", "1"))).isEqualTo(Offer.DUPLICATE);
    assertThat(f.poll().orElseThrow().attempt()).isEqualTo(1);
    assertThat(f.counts()).isEqualTo(new Counts(1, 0, 0, 1, 0));
  }

  @Test
  void aRetryStillHonoursItsHostPolitenessDelay() {
    Frontier f = frontier(100, 2, Duration.ofMillis(100));
    f.offer(req("a", "1"));
    CrawlRequest a1 = f.poll().orElseThrow();
    f.retryLater(a1.nextAttempt(), now.get() + 10 * MS);
    assertThat(f.nanosUntilReady()).hasValue(10 * MS);
    advance(10 * MS);
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).hasValue(90 * MS);
    advance(90 * MS);
    assertThat(pollUrl(f)).isEqualTo("http://a.test/1");
  }

  // --- nanosUntilReady ---

  @Test
  void nanosUntilReadyIsZeroWhenARequestIsReady() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    assertThat(f.nanosUntilReady()).hasValue(0);
  }

  @Test
  void nanosUntilReadyIsTheEarlierOfPolitenessAndRetry() {
    Frontier f = frontier(100, 2, Duration.ofMillis(100));
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.offer(req("b", "1"));
    f.poll().orElseThrow();
    CrawlRequest b1 = f.poll().orElseThrow();
    f.retryLater(b1, now.get() + 30 * MS);
    assertThat(f.nanosUntilReady()).hasValue(30 * MS);
    advance(30 * MS);
    // The retry is due, but b's politeness delay (from its dispatch) ends with a's.
    assertThat(f.nanosUntilReady()).hasValue(70 * MS);
  }

  @Test
  void nanosUntilReadyIsEmptyWhenEverythingIsInFlight() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    f.poll().orElseThrow();
    assertThat(f.nanosUntilReady()).isEmpty();
    assertThat(f.isExhausted()).isFalse();
  }

  @Test
  void nanosUntilReadyIsEmptyWhenOnlyPausedHostsHoldWork() {
    Frontier f = frontier();
    f.pauseHost("a.test:80");
    f.offer(req("a", "1"));
    assertThat(f.nanosUntilReady()).isEmpty();
  }

  @Test
  void nanosUntilReadyIsEmptyWhenExhausted() {
    Frontier f = frontier();
    assertThat(f.nanosUntilReady()).isEmpty();
    assertThat(f.isExhausted()).isTrue();
    f.offer(req("a", "1"));
    f.complete(f.poll().orElseThrow());
    assertThat(f.nanosUntilReady()).isEmpty();
    assertThat(f.isExhausted()).isTrue();
  }

  // --- counts and drain ---

  @Test
  void countsAddUpAtEveryStep() {
    Frontier f = frontier(100, 1, Duration.ZERO);
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.offer(req("b", "1"));
    assertThat(f.counts()).isEqualTo(new Counts(3, 3, 0, 0, 0));
    CrawlRequest a1 = f.poll().orElseThrow();
    CrawlRequest b1 = f.poll().orElseThrow();
    assertThat(f.counts()).isEqualTo(new Counts(3, 1, 0, 2, 0));
    f.retryLater(a1.nextAttempt(), now.get() + 5);
    f.complete(b1);
    assertThat(f.counts()).isEqualTo(new Counts(3, 1, 1, 0, 1));
    assertThat(f.counts().pending()).isEqualTo(2);
    advance(5);
    f.complete(f.poll().orElseThrow());
    f.complete(f.poll().orElseThrow());
    assertThat(f.counts()).isEqualTo(new Counts(3, 0, 0, 0, 3));
    assertThat(f.isExhausted()).isTrue();
  }

  @Test
  void drainTakesQueuedAndDelayedAndLeavesInFlight() {
    Frontier f = frontier(100, 2, Duration.ofMillis(50));
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.offer(req("b", "1"));
    f.offer(req("c", "1"));
    f.pauseHost("c.test:80");
    CrawlRequest a1 = f.poll().orElseThrow();
    CrawlRequest b1 = f.poll().orElseThrow();
    f.retryLater(b1.nextAttempt(), now.get() + 10 * MS);

    List<CrawlRequest> drained = f.drain();

    assertThat(drained)
        .extracting(CrawlRequest::url)
        .containsExactlyInAnyOrder("http://a.test/2", "http://b.test/1", "http://c.test/1");
    assertThat(f.counts()).isEqualTo(new Counts(4, 0, 0, 1, 0));
    assertThat(f.drain()).isEmpty();
    advance(1_000 * MS);
    f.resumeHost("c.test:80", Duration.ZERO);
    assertThat(f.poll()).isEmpty();
    assertThat(f.nanosUntilReady()).isEmpty();
    assertThat(f.isExhausted()).isFalse();
    f.complete(a1);
    assertThat(f.isExhausted()).isTrue();
  }

  // --- misuse ---

  @Test
  void completingTwiceThrowsWithTheUrl() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    CrawlRequest a1 = f.poll().orElseThrow();
    f.complete(a1);
    assertThatThrownBy(() -> f.complete(a1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http://a.test/1");
  }

  @Test
  void completingARequestNeverPolledThrowsWithTheUrl() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    f.offer(req("a", "2"));
    f.poll().orElseThrow();
    assertThatThrownBy(() -> f.complete(req("a", "2")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http://a.test/2");
    assertThatThrownBy(() -> f.complete(req("z", "1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http://z.test/1");
    assertThat(f.counts()).isEqualTo(new Counts(2, 1, 0, 1, 0));
  }

  @Test
  void retryingARequestNotInFlightThrowsWithTheUrl() {
    Frontier f = frontier();
    f.offer(req("a", "1"));
    CrawlRequest a1 = f.poll().orElseThrow();
    f.retryLater(a1, now.get());
    assertThatThrownBy(() -> f.complete(a1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http://a.test/1");
    assertThatThrownBy(() -> f.retryLater(a1, now.get()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http://a.test/1");
  }
}
