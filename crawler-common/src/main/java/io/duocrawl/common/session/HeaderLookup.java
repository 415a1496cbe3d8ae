package io.duocrawl.common.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads response headers by name, case-insensitively. Engines hand the core a {@link
 * io.duocrawl.common.fetch.ResponseHead}, which also carries the status line and keeps every header
 * in order; a lambda is enough for tests.
 *
 * <pre>{@code
 * HeaderLookup one = name -> name.equalsIgnoreCase("Content-Type")
 *     ? Optional.of("text/html") : Optional.empty();
 * }</pre>
 */
@FunctionalInterface
public interface HeaderLookup {
  /** No headers at all. */
  HeaderLookup NONE = name -> Optional.empty();

  /**
   * The first value of header {@code name}, if present: where a header the core reads as one value
   * comes twice, the first wins (see {@link io.duocrawl.common.fetch.FetchPolicy}).
   */
  Optional<String> header(String name);

  /** Every value of header {@code name}, in order; by default the one {@link #header} gives. */
  default List<String> values(String name) {
    return header(name).map(List::of).orElse(List.of());
  }

  /** Every header as name-value pairs in the order received; by default unknown, empty. */
  default List<Map.Entry<String, String>> all() {
    return List.of();
  }
}
