package io.duocrawl.scenarios;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the crawler's threads, virtual ones included, for tests that check none is left. */
public final class CrawlerThreads {
  private static final Pattern CRAWLER_THREAD =
      Pattern.compile("\"name\":\\s*\"(duocrawl-[^\"]*)\"");

  private CrawlerThreads() {}

  /**
   * Names of live threads starting with {@code duocrawl-}. {@code Thread.getAllStackTraces()} omits
   * virtual threads; a JSON thread dump lists them.
   */
  public static List<String> live() {
    try {
      Path dump = Files.createTempFile("threads", ".json");
      try {
        Files.delete(dump); // dumpThreads refuses to overwrite a file
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        Matcher names = CRAWLER_THREAD.matcher(Files.readString(dump));
        List<String> live = new ArrayList<>();
        while (names.find()) {
          live.add(names.group(1));
        }
        return live;
      } finally {
        Files.deleteIfExists(dump);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
