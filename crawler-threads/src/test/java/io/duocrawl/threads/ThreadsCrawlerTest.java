package io.duocrawl.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.CrawlException;
import io.duocrawl.common.Outcome;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.fetch.FetchPolicy;
import io.duocrawl.common.fetch.UnsupportedPolicyException;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.scenarios.CrawlerThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the two thread engines: their threads, and what happens when their own code
 * throws. Crawl behaviour is the shared scenario suite's ({@code ThreadsScenarioTest}).
 */
class ThreadsCrawlerTest {
  private static final int PAGES = 40;

  private RawServer server;

  @BeforeEach
  void startSite() throws IOException {
    // /p/0 .. /p/39, each linking to the next two: every page is reachable from /p/0.
    server =
        RawServer.start(
            (head, socket) -> {
              String path = head.split(" ", 3)[1];
              if (path.equals("/robots.txt")) {
                byte[] robots = "User-agent: *\nDisallow: /p/0\n".getBytes(StandardCharsets.UTF_8);
                RawServer.respond(socket, 200, "text/plain", robots);
                return;
              }
              if (!path.startsWith("/p/")) {
                RawServer.respond(socket, 404, "text/plain", new byte[0]);
                return;
              }
              int i = Integer.parseInt(path.substring(3));
              String html =
                  "<html><a href=\"/p/"
                      + (i + 1) % PAGES
                      + "\">next</a><a href=\"/p/"
                      + (i + 2) % PAGES
                      + "\">skip</a></html>";
              RawServer.respond(socket, 200, "text/html", html.getBytes(StandardCharsets.UTF_8));
            });
  }

  @AfterEach
  void stopSite() throws IOException {
    server.close();
  }

  @Test
  void theFactoriesNameTheirEngines() {
    assertThat(ThreadsCrawler.platform().name()).isEqualTo("threads");
    assertThat(ThreadsCrawler.virtual().name()).isEqualTo("virtual");
  }

  @Test
  void thePlatformEngineRunsExactlyNNamedWorkersAndLeavesNoneBehind() {
    Map<String, Boolean> threadsSeen = new ConcurrentHashMap<>();
    PageListener recordThread =
        page ->
            threadsSeen.put(Thread.currentThread().getName(), Thread.currentThread().isVirtual());

    CrawlReport report = ThreadsCrawler.platform().crawl(config(4), recordThread);

    assertThat(report.fetched()).isEqualTo(PAGES);
    assertThat(threadsSeen.keySet()).allMatch(name -> name.matches("duocrawl-threads-[0-3]"));
    assertThat(threadsSeen.values()).containsOnly(false);
    awaitNoCrawlerThreads();
  }

  @Test
  void theVirtualEngineRunsEachRequestOnANamedVirtualThread() {
    Map<String, Boolean> threadsSeen = new ConcurrentHashMap<>();
    PageListener recordThread =
        page ->
            threadsSeen.put(Thread.currentThread().getName(), Thread.currentThread().isVirtual());

    CrawlReport report = ThreadsCrawler.virtual().crawl(config(4), recordThread);

    assertThat(report.fetched()).isEqualTo(PAGES);
    assertThat(threadsSeen.keySet()).allMatch(name -> name.startsWith("duocrawl-virtual-"));
    assertThat(threadsSeen.values()).containsOnly(true);
    // One thread per request: more threads than permits.
    assertThat(threadsSeen).hasSizeGreaterThan(4);
    awaitNoCrawlerThreads();
  }

  @Test
  void aRuntimeExceptionInTheFetchPathFailsThatUrlWithIoErrorAndTheCrawlGoesOn() {
    OkHttpClient throwsOnPage7 =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  if (chain.request().url().encodedPath().equals("/p/7")) {
                    throw new IllegalStateException("bug on page 7");
                  }
                  return chain.proceed(chain.request());
                })
            .build();
    for (ThreadsCrawler crawler :
        new ThreadsCrawler[] {
          ThreadsCrawler.platform(throwsOnPage7), ThreadsCrawler.virtual(throwsOnPage7)
        }) {
      Map<String, PageResult> results = new ConcurrentHashMap<>();

      CrawlReport report = crawler.crawl(config(4), page -> results.put(page.url(), page));

      PageResult page7 = results.get(server.url("/p/7"));
      assertThat(page7.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(page7.reason()).isEqualTo(Reason.IO_ERROR);
      assertThat(page7.detail()).contains("bug on page 7");
      // /p/8 is still reached through /p/6; only /p/7 is lost.
      assertThat(report.fetched()).isEqualTo(PAGES - 1);
      assertThat(report.balanced()).isTrue();
    }
  }

  @Test
  void anErrorIsNotSwallowedItFailsTheCrawl() {
    OkHttpClient errorOnPage3 =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  if (chain.request().url().encodedPath().equals("/p/3")) {
                    throw new AssertionError("simulated fatal error");
                  }
                  return chain.proceed(chain.request());
                })
            .build();
    for (ThreadsCrawler crawler :
        new ThreadsCrawler[] {
          ThreadsCrawler.platform(errorOnPage3), ThreadsCrawler.virtual(errorOnPage3)
        }) {
      RunningCrawl run = crawler.start(config(4), PageListener.NONE);

      assertThatThrownBy(run::await)
          .isInstanceOf(CrawlException.class)
          .hasRootCauseMessage("simulated fatal error");
      awaitNoCrawlerThreads();
    }
  }

  @Test
  void aCrawlWhoseOnlySeedRobotsDisallowEndsAndWakesEveryIdleWorker() throws Exception {
    // The seed is skipped inside session.next(), with no completion to wake the idle workers.
    for (ThreadsCrawler crawler :
        new ThreadsCrawler[] {ThreadsCrawler.platform(), ThreadsCrawler.virtual()}) {
      CrawlConfig config = config(8).toBuilder().robots(true).build();

      RunningCrawl run = crawler.start(config, PageListener.NONE);
      CrawlReport report;
      try {
        report = run.completion().get(30, TimeUnit.SECONDS);
      } finally {
        run.cancel(); // if it hung, do not leave its threads to the next test
      }

      assertThat(report.count(Reason.ROBOTS_DISALLOWED)).isEqualTo(1);
      assertThat(report.fetched()).isZero();
      awaitNoCrawlerThreads();
    }
  }

  @Test
  void aCrawlWithNoUsableSeedEndsAtOnce() {
    CrawlConfig config = config(8).toBuilder().seeds(java.util.List.of("mailto:x@y.z")).build();

    CrawlReport report = ThreadsCrawler.platform().crawl(config, PageListener.NONE);

    assertThat(report.accepted()).isZero();
    assertThat(report.balanced()).isTrue();
    awaitNoCrawlerThreads();
  }

  @Test
  void aConcurrencyTheMachineCannotGiveThreadsFailsTheCrawlSayingSoInsteadOfHanging() {
    ThreadFactory real = Thread.ofPlatform().name("duocrawl-threads-", 0).factory();
    AtomicInteger made = new AtomicInteger();
    ThreadFactory failsAfterFive =
        task -> {
          if (made.incrementAndGet() > 5) {
            throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
          }
          return real.newThread(task);
        };

    RunningCrawl run = ThreadsCrawler.platform(failsAfterFive).start(config(64), PageListener.NONE);

    assertThatThrownBy(() -> run.completion().get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CrawlException.class)
        .cause()
        .hasMessageContaining("cannot create native thread at 5 threads of 64")
        .hasMessageContaining("unable to create native thread");
    awaitNoCrawlerThreads();
  }

  @Test
  void anEncodingOkHttpCannotDecodeIsRefusedBeforeTheCrawlStarts() {
    CrawlConfig deflate =
        config(2).toBuilder()
            .fetch(FetchPolicy.DEFAULT.withAcceptEncodings(List.of("gzip", "deflate")))
            .build();

    assertThatThrownBy(() -> ThreadsCrawler.virtual().start(deflate, PageListener.NONE))
        .isInstanceOf(UnsupportedPolicyException.class)
        .hasMessageContaining("fetch.acceptEncodings");
    assertThat(server.requests()).isEmpty();
  }

  private CrawlConfig config(int concurrency) {
    return CrawlConfig.builder()
        .seed(server.url("/p/0"))
        .maxDepth(PAGES)
        .robots(false)
        .concurrency(concurrency)
        .perHostConcurrency(concurrency)
        .retry(io.duocrawl.common.RetryPolicy.NONE)
        .build();
  }

  private static void awaitNoCrawlerThreads() {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(CrawlerThreads.live()).isEmpty());
  }
}
