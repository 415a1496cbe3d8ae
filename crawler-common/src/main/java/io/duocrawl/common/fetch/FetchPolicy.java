package io.duocrawl.common.fetch;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How every engine speaks HTTP, decided once in the core so that the engines give the same outcome
 * for the same bytes on the wire. An engine applies each setting to its client when a crawl starts;
 * one that cannot honour a setting throws {@link UnsupportedPolicyException} naming it then, never
 * a different outcome at run time.
 *
 * <p>The rules every engine follows, whatever its client does by default:
 *
 * <ul>
 *   <li><b>Header limit.</b> A response whose header section (name, colon, space and value of every
 *       header line; line ends not counted, as Netty counts) is larger than {@link
 *       #maxHeaderBytes()} fails as {@code PROTOCOL_ERROR}.
 *   <li><b>Duplicate headers.</b> For a header the core reads as one value ({@code Content-Type},
 *       {@code Location}, {@code Retry-After}) the <em>first</em> occurrence wins, as browsers do
 *       for {@code Location}; every occurrence stays in {@link ResponseHead#headers()}, in order.
 *   <li><b>Encodings.</b> The engine sends {@code Accept-Encoding} with exactly {@link
 *       #acceptEncodings()} ({@code identity} when empty) and decodes those encodings; the body cap
 *       counts decoded bytes.
 *   <li><b>Framing.</b> HTTP/1.0 and HTTP/1.1 responses are read alike. A body without {@code
 *       Content-Length} or chunking ends when the server closes the connection, and every byte
 *       before the close counts, no more and no less. A chunked or sized body cut off by a close is
 *       {@code CONNECTION_RESET}; a malformed chunk-size line is {@code PROTOCOL_ERROR}, also when
 *       the close comes right after it.
 *   <li><b>Interim responses.</b> 1xx responses before the final one are skipped; the final one
 *       counts.
 *   <li><b>Names.</b> A host name in {@link #hosts()} resolves to its address without asking DNS;
 *       other names resolve as the client normally does.
 * </ul>
 *
 * <p>Statuses are the core's to judge, the same for every engine (a 3xx without {@code Location},
 * 300 included, fails as {@code BAD_REDIRECT}; a 304, which an unconditional GET never asks for,
 * fails as {@code UNEXPECTED_STATUS}).
 *
 * <pre>{@code
 * FetchPolicy policy = FetchPolicy.DEFAULT.withHosts(
 *     Map.of("example.test", InetAddress.getByName("127.0.0.2")));
 * CrawlConfig config = CrawlConfig.builder().seed("http://example.test/").fetch(policy).build();
 * }</pre>
 *
 * @param maxHeaderBytes the largest response header section accepted, in bytes; at least {@value
 *     #MIN_HEADER_BYTES}, at most {@value #MAX_HEADER_BYTES}. Default {@value
 *     #DEFAULT_HEADER_BYTES}.
 * @param acceptEncodings content codings asked for and decoded, each {@code gzip} or {@code
 *     deflate}, in preference order. Default {@code [gzip]}.
 * @param hosts host names (lower case) resolved to a fixed address instead of through DNS: a hook
 *     for tests (crawl {@code http://example.test/} served on 127.0.0.2) and for embedders. Default
 *     none.
 */
public record FetchPolicy(
    int maxHeaderBytes, List<String> acceptEncodings, Map<String, InetAddress> hosts) {

  /** The smallest {@link #maxHeaderBytes()}: what every client accepts anyway. */
  public static final int MIN_HEADER_BYTES = 8 * 1024;

  /** The default {@link #maxHeaderBytes()}: room for a few large cookies. */
  public static final int DEFAULT_HEADER_BYTES = 64 * 1024;

  /** The largest {@link #maxHeaderBytes()}: OkHttp's own fixed limit. */
  public static final int MAX_HEADER_BYTES = 256 * 1024;

  /** The content codings an engine may be asked to decode. */
  public static final Set<String> KNOWN_ENCODINGS = Set.of("gzip", "deflate");

  /** 64 KiB of headers, gzip, no fixed hosts. */
  public static final FetchPolicy DEFAULT =
      new FetchPolicy(DEFAULT_HEADER_BYTES, List.of("gzip"), Map.of());

  /** Validates and copies; host names are lower-cased. */
  public FetchPolicy {
    if (maxHeaderBytes < MIN_HEADER_BYTES || maxHeaderBytes > MAX_HEADER_BYTES) {
      throw new IllegalArgumentException(
          "fetch.maxHeaderBytes must be in "
              + MIN_HEADER_BYTES
              + ".."
              + MAX_HEADER_BYTES
              + ", was "
              + maxHeaderBytes);
    }
    Objects.requireNonNull(acceptEncodings, "acceptEncodings");
    Set<String> encodings = new LinkedHashSet<>();
    for (String encoding : acceptEncodings) {
      String e =
          Objects.requireNonNull(encoding, "acceptEncodings element").toLowerCase(Locale.ROOT);
      if (!KNOWN_ENCODINGS.contains(e)) {
        throw new IllegalArgumentException(
            "fetch.acceptEncodings may hold gzip and deflate, was " + acceptEncodings);
      }
      encodings.add(e);
    }
    acceptEncodings = List.copyOf(encodings);
    Objects.requireNonNull(hosts, "hosts");
    Map<String, InetAddress> lower = new TreeMap<>();
    hosts.forEach(
        (name, address) ->
            lower.put(
                Objects.requireNonNull(name, "hosts key").toLowerCase(Locale.ROOT),
                Objects.requireNonNull(address, "hosts value")));
    hosts = Map.copyOf(lower);
  }

  /** This policy with another header limit. */
  public FetchPolicy withMaxHeaderBytes(int maxHeaderBytes) {
    return new FetchPolicy(maxHeaderBytes, acceptEncodings, hosts);
  }

  /** This policy asking for and decoding these encodings; none sends {@code identity}. */
  public FetchPolicy withAcceptEncodings(List<String> acceptEncodings) {
    return new FetchPolicy(maxHeaderBytes, acceptEncodings, hosts);
  }

  /** This policy resolving these names to fixed addresses. */
  public FetchPolicy withHosts(Map<String, InetAddress> hosts) {
    return new FetchPolicy(maxHeaderBytes, acceptEncodings, hosts);
  }

  /** The {@code Accept-Encoding} value to send: the codings joined, or {@code identity}. */
  public String acceptEncodingHeader() {
    return acceptEncodings.isEmpty() ? "identity" : String.join(", ", acceptEncodings);
  }

  /** The fixed address of {@code host}, if {@link #hosts()} names it (case-insensitive). */
  public Optional<InetAddress> fixedAddress(String host) {
    return hosts.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(hosts.get(host.toLowerCase(Locale.ROOT)));
  }
}
