package io.duocrawl.common.session;

import java.util.Optional;

/**
 * Reads one response header by name, case-insensitively: the only view of headers the core needs,
 * so engines pass their client's lookup without copying every header.
 *
 * <pre>{@code
 * HeaderLookup fromOkHttp = name -> Optional.ofNullable(response.header(name));
 * HeaderLookup fromNetty = name -> Optional.ofNullable(nettyHeaders.get(name));
 * }</pre>
 */
@FunctionalInterface
public interface HeaderLookup {
  /** No headers at all. */
  HeaderLookup NONE = name -> Optional.empty();

  /** The first value of header {@code name}, if present. */
  Optional<String> header(String name);
}
