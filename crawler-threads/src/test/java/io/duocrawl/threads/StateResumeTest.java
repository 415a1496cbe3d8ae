package io.duocrawl.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.state.CrawlState;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.GroundTruth;
import io.duocrawl.fixtures.LatencyModel;
import io.duocrawl.fixtures.Section;
import io.duocrawl.fixtures.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding API of resumable crawls, as a program would use it: {@link CrawlState#open} on a
 * directory, an engine started over {@link CrawlState#sessions()}, stopped midway (a cancel, as
 * Ctrl-C), and the same lines run again. Kills of real processes are {@code KillResumeTest}'s
 * (CLI).
 */
class StateResumeTest {
  private static final int C = 4;

  @TempDir Path dir;

  private FixtureSite site;
  private GroundTruth truth;
  private CrawlConfig config;

  @BeforeEach
  void startSite() {
    site =
        FixtureSite.start(
            SiteSpec.builder()
                .pages(120)
                .with(Section.REDIRECTS, Section.ROBOTS)
                .latency(LatencyModel.fixed(Duration.ofMillis(5)))
                .requestLog(false)
                .build());
    config =
        CrawlConfig.builder()
            .seed(site.rootUrl().toString())
            .concurrency(C)
            .perHostConcurrency(C)
            .build();
    truth =
        site.groundTruth(
            GroundTruth.Query.builder()
                .maxDepth(config.maxDepth())
                .robotsEnabled(true)
                .maxRedirects(config.maxRedirects())
                .maxRetries(config.retry().maxRetries())
                .maxBodyBytes(config.maxBodyBytes())
                .requestTimeout(config.requestTimeout())
                .build());
  }

  @AfterEach
  void stopSite() {
    site.close();
  }

  @Test
  void aCrawlOpenedOnAStateDirectoryStoppedMidwayAndOpenedAgainEndsWithTheGroundTruth() {
    List<String> delivered = new CopyOnWriteArrayList<>();
    PageListener listener = (PageResult page) -> delivered.add(page.url());

    try (CrawlState state = CrawlState.open(dir.resolve("state"), config)) {
      assertThat(state.resumed()).isFalse();
      RunningCrawl run = ThreadsCrawler.virtual().start(config, listener, state.sessions());
      await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() >= 30);
      run.cancel();
      run.await();
      assertThat(state.failure()).isEmpty();
    }
    int firstRun = delivered.size();

    CrawlReport total;
    try (CrawlState state = CrawlState.open(dir.resolve("state"), config)) {
      assertThat(state.resumed()).isTrue();
      assertThat(state.doneBefore()).isGreaterThanOrEqualTo(30).isLessThanOrEqualTo(firstRun);
      // Another engine may continue the crawl: the state is engine-independent.
      RunningCrawl run = ThreadsCrawler.platform().start(config, listener, state.sessions());
      total = state.cumulative(run.await());
    }

    Map<String, Integer> times = new HashMap<>();
    delivered.forEach(url -> times.merge(url, 1, Integer::sum));
    assertThat(times.keySet()).isEqualTo(truth.accepted());
    assertThat(delivered.size() - times.size()).as("delivered twice").isLessThanOrEqualTo(C);
    assertThat(total.accepted()).isEqualTo(truth.accepted().size());
    assertThat(total.fetched()).isEqualTo(truth.fetched().size());
    assertThat(total.pending()).isZero();
    assertThat(total.balanced()).isTrue();
  }
}
