package io.duocrawl.cli;

import io.duocrawl.common.Crawler;
import io.duocrawl.reactive.ReactiveCrawler;
import io.duocrawl.threads.ThreadsCrawler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The engines the command knows, by id. The only class that names an engine implementation, so an
 * engine that lands (or moves) changes this file alone.
 */
final class Engines {
  private Engines() {}

  private static final Map<String, Supplier<Crawler>> ALL = new LinkedHashMap<>();

  static {
    ALL.put("threads", ThreadsCrawler::platform);
    ALL.put("virtual", ThreadsCrawler::virtual);
    ALL.put("reactive", ReactiveCrawler::create);
  }

  /** Engine ids in the order the project presents them. */
  static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  /** A fresh engine instance for {@code name}, or empty for an unknown name. */
  static Optional<Crawler> create(String name) {
    Supplier<Crawler> factory = ALL.get(name);
    return factory == null ? Optional.empty() : Optional.of(factory.get());
  }

  /** The one-line message for an unknown engine name. */
  static String unknown(String name) {
    return "unknown engine '" + name + "', expected one of " + String.join(", ", names());
  }

  /** Candidates for picocli's help and completion. */
  static final class Names implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return names().iterator();
    }
  }
}
