package io.duocrawl.common.fetch;

import io.duocrawl.common.session.HeaderLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The status line and every header of one response, in the order received, as an engine hands them
 * to the core. Lookups are case-insensitive; {@link #header} gives the <em>first</em> occurrence
 * (the {@link FetchPolicy} rule for duplicate headers), {@link #values} every one.
 *
 * <pre>{@code
 * ResponseHead head = new ResponseHead("HTTP/1.1", 200, "OK",
 *     List.of(Map.entry("Content-Type", "text/html"), Map.entry("Set-Cookie", "a=1")));
 * head.header("content-type"); // Optional[text/html]
 * }</pre>
 *
 * <p>Immutable. A response has a handful of headers, so lookups scan the list.
 *
 * @param version the protocol of the status line, {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param status the status code
 * @param reasonPhrase the reason phrase, possibly empty
 * @param headers every header as a name-value pair, in order, names as received
 */
public record ResponseHead(
    String version, int status, String reasonPhrase, List<Map.Entry<String, String>> headers)
    implements HeaderLookup {

  /** Checks and copies. */
  public ResponseHead {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reasonPhrase, "reasonPhrase");
    headers = List.copyOf(headers);
  }

  @Override
  public Optional<String> header(String name) {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return Optional.of(header.getValue());
      }
    }
    return Optional.empty();
  }

  @Override
  public List<String> values(String name) {
    List<String> values = new ArrayList<>(1);
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        values.add(header.getValue());
      }
    }
    return List.copyOf(values);
  }

  @Override
  public List<Map.Entry<String, String>> all() {
    return headers;
  }
}
