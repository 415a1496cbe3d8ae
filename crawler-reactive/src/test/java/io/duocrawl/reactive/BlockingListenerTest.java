package io.duocrawl.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.report.CrawlReport;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener may block, as the CLI's does when it writes each page to a file: under BlockHound
 * (installed for the whole module by {@link TestGuards}), no call of it may land on a Netty event
 * loop or a Reactor non-blocking thread.
 */
class BlockingListenerTest {
  @TempDir Path dir;

  @Test
  void aListenerThatWritesFilesAndSleepsNeverRunsOnANonBlockingThread() throws IOException {
    Path out = dir.resolve("pages.txt");
    Set<String> threads = ConcurrentHashMap.newKeySet();
    int blockingBefore = TestGuards.BLOCKING_CALLS.size();
    try (TestSite site = TestSite.start(120, 3);
        FileOutputStream file = new FileOutputStream(out.toFile(), true)) {
      CrawlConfig config =
          CrawlConfig.builder()
              .seed(site.url("/site/0"))
              .maxDepth(100)
              .concurrency(16)
              .perHostConcurrency(16)
              .build();
      CrawlReport report =
          ReactiveCrawler.create()
              .crawl(
                  config,
                  page -> {
                    threads.add(Thread.currentThread().getName());
                    try {
                      // The blocking work under test: a write and an fsync per page, as a durable
                      // sink does.
                      file.write((page.url() + "\n").getBytes(StandardCharsets.UTF_8));
                      file.getFD().sync();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
      assertThat(report.fetched()).isEqualTo(120);
      assertThat(report.listenerFailures()).isZero();
    }
    assertThat(Files.readAllLines(out)).hasSize(120);
    assertThat(TestGuards.BLOCKING_CALLS.subList(blockingBefore, TestGuards.BLOCKING_CALLS.size()))
        .as("blocking calls on non-blocking threads")
        .isEmpty();
    assertThat(threads).allMatch(name -> name.startsWith("duocrawl-reactive-crawl-"));
  }
}
