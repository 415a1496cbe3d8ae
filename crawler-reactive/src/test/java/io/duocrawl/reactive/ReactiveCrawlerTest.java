package io.duocrawl.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Outcome;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.report.CrawlReport;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

/** The engine's two faces over a real server: crawls, cancels and backpressure. */
class ReactiveCrawlerTest {
  private static final Duration VERIFY = Duration.ofSeconds(60);
  private final ReactiveCrawler crawler = ReactiveCrawler.create();

  private static CrawlConfig.Builder config(TestSite site, int n) {
    return CrawlConfig.builder()
        .seed(site.url("/site/0"))
        .maxPages(100_000)
        .maxDepth(100)
        .concurrency(n)
        .perHostConcurrency(n);
  }

  @Test
  void isNamedReactive() {
    assertThat(crawler.name()).isEqualTo("reactive");
  }

  @Test
  void aCrawlFetchesEveryPageOnceWithinItsConcurrencyAndReleasesItsConnections() {
    try (TestSite site = TestSite.start(300, 3)) {
      Set<String> urls = ConcurrentHashMap.newKeySet();
      AtomicInteger calls = new AtomicInteger();
      CrawlReport report =
          crawler.crawl(
              config(site, 8).build(),
              page -> {
                calls.incrementAndGet();
                urls.add(page.url());
              });
      assertThat(report.fetched()).isEqualTo(300);
      assertThat(report.balanced()).isTrue();
      assertThat(report.robotsFetches()).isEqualTo(1);
      assertThat(report.peakInFlight()).isLessThanOrEqualTo(8);
      assertThat(calls).hasValue(300);
      assertThat(urls).hasSize(300);
      assertThat(site.pageRequests()).isEqualTo(300);
      assertThat(site.peakPagesInProgress()).isLessThanOrEqualTo(8);
      // The report completes only after the pool was disposed: nothing is left open.
      await().atMost(Duration.ofSeconds(10)).until(() -> site.openConnections() == 0);
    }
  }

  @Test
  void pagesEmitsEveryPageAndCompletesWhenTheCrawlIsOver() {
    try (TestSite site = TestSite.start(200, 4)) {
      StepVerifier.create(crawler.pages(config(site, 16).build()))
          .recordWith(ConcurrentHashMap::newKeySet)
          .expectNextCount(200)
          .consumeRecordedWith(
              pages ->
                  assertThat(pages).extracting(PageResult::outcome).containsOnly(Outcome.FETCHED))
          .expectComplete()
          .verify(VERIFY);
    }
  }

  @Test
  void pagesHandsTheFinalReportOverBeforeCompleting() {
    try (TestSite site = TestSite.start(40, 3)) {
      java.util.concurrent.atomic.AtomicReference<io.duocrawl.common.report.CrawlReport> report =
          new java.util.concurrent.atomic.AtomicReference<>();
      StepVerifier.create(crawler.pages(config(site, 4).build(), report::set))
          .expectNextCount(40)
          .then(() -> assertThat(report.get()).isNull())
          .expectComplete()
          .verify(VERIFY);
      assertThat(report.get().fetched()).isEqualTo(40);
      assertThat(report.get().balanced()).isTrue();
    }
  }

  @Test
  void aCancelledPagesSubscriptionStillHandsOverTheReportWithThePendingUrls() {
    try (TestSite site = TestSite.start(2_000, 5, Duration.ofMillis(20))) {
      java.util.concurrent.atomic.AtomicReference<io.duocrawl.common.report.CrawlReport> report =
          new java.util.concurrent.atomic.AtomicReference<>();
      StepVerifier.create(crawler.pages(config(site, 8).build(), report::set).take(10))
          .expectNextCount(10)
          .expectComplete()
          .verify(VERIFY);
      await().atMost(Duration.ofSeconds(10)).until(() -> report.get() != null);
      assertThat(report.get().cancelled()).isTrue();
      assertThat(report.get().pending()).isPositive();
      assertThat(report.get().balanced()).isTrue();
    }
  }

  @Test
  void pagesIsColdEachSubscriptionRunsItsOwnCrawl() {
    try (TestSite site = TestSite.start(50, 3)) {
      var pages = crawler.pages(config(site, 4).build());
      StepVerifier.create(pages).expectNextCount(50).expectComplete().verify(VERIFY);
      StepVerifier.create(pages).expectNextCount(50).expectComplete().verify(VERIFY);
      assertThat(site.pageRequests()).isEqualTo(100);
    }
  }

  @Test
  void cancellingTheSubscriptionCancelsTheCrawlAndClosesItsConnections() {
    try (TestSite site = TestSite.start(5_000, 5, Duration.ofMillis(20))) {
      StepVerifier.create(crawler.pages(config(site, 16).build()).take(30))
          .expectNextCount(30)
          .expectComplete()
          .verify(VERIFY);
      await().atMost(Duration.ofSeconds(10)).until(() -> site.openConnections() == 0);
      long served = site.pageRequests();
      assertThat(served).isLessThan(30 + 16 + 16);
    }
  }

  @Test
  void cancelStopsARunningCrawlAndItsReportCountsWhatIsLeftAsPending() {
    try (TestSite site = TestSite.start(5_000, 5, Duration.ofMillis(20))) {
      RunningCrawl run = crawler.start(config(site, 16).build(), page -> {});
      await().atMost(VERIFY).until(() -> run.progress().fetched() >= 50);
      run.cancel();
      CrawlReport report = run.completion().join();
      assertThat(report.cancelled()).isTrue();
      assertThat(report.pending()).isPositive();
      assertThat(report.balanced()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> site.openConnections() == 0);
    }
  }

  @Test
  void aSlowSubscriberSlowsTheCrawlInsteadOfBufferingPages() {
    int n = 8;
    try (TestSite site = TestSite.start(600, 4)) {
      AtomicLong received = new AtomicLong();
      AtomicInteger completed = new AtomicInteger();
      BaseSubscriber<PageResult> slow =
          new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
              // No demand yet: the test asks for pages one batch at a time.
            }

            @Override
            protected void hookOnNext(PageResult page) {
              received.incrementAndGet();
            }

            @Override
            protected void hookOnComplete() {
              completed.incrementAndGet();
            }
          };
      crawler.pages(config(site, n).build()).subscribe(slow);
      for (int batch = 1; batch <= 5; batch++) {
        long wanted = batch * 10L;
        slow.request(10);
        await().atMost(VERIFY).until(() -> received.get() == wanted);
        // With no demand the crawl stalls: fetched but unconsumed pages stay within the N fetch
        // slots (plus the one batch the Flux prefetches), however long the subscriber dawdles.
        await()
            .during(Duration.ofMillis(300))
            .atMost(Duration.ofSeconds(5))
            .until(() -> site.pageRequests() - received.get() <= n + 2);
      }
      slow.requestUnbounded();
      await().atMost(VERIFY).until(() -> completed.get() == 1);
      assertThat(received).hasValue(600);
      assertThat(site.peakPagesInProgress()).isLessThanOrEqualTo(n);
    }
  }

  @Test
  void aCrawlWithNoValidSeedEndsAtOnce() {
    CrawlReport report =
        crawler.crawl(
            CrawlConfig.builder().seeds(List.of("not a url")).robots(false).build(), page -> {});
    assertThat(report.fetched()).isZero();
    assertThat(report.balanced()).isTrue();
  }
}
