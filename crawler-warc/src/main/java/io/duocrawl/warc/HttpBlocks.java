package io.duocrawl.warc;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.duocrawl.common.fetch.ResponseHead;
import io.duocrawl.common.session.Exchange;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP messages of an exchange as the blocks of its WARC records. The response block carries
 * the body as the core read it, decoded: so the framing and coding headers that described the bytes
 * on the wire ({@code Content-Encoding}, {@code Transfer-Encoding}, {@code Content-Length}) are
 * renamed with an {@code X-Crawler-} prefix, as StormCrawler's WARC module does, and a {@code
 * Content-Length} of the recorded body is added, so that a reader finds a consistent message.
 */
final class HttpBlocks {
  /** Headers that describe the wire bytes, not the recorded (decoded) ones. */
  private static final Set<String> RENAMED =
      Set.of("content-encoding", "transfer-encoding", "content-length");

  /** The prefix of a renamed header. */
  static final String PREFIX = "X-Crawler-";

  private HttpBlocks() {}

  /** Characters no URI holds; those at or below space and DEL are refused too. */
  private static final String NOT_IN_URI = "\"<>\\^`{|}";

  /**
   * The request target of {@code url} ({@code /path?query}, {@code /} for an empty path), or empty
   * when {@code url} is not an absolute URI that can be a {@code WARC-Target-URI}: no {@code
   * scheme://}, or a character no URI holds (a space or a line break would also end the header
   * line). Cheaper than {@link URI#create}, which was a tenth of the encoder's Java time.
   */
  static Optional<String> requestTarget(String url) {
    int scheme = url.indexOf("://");
    if (scheme <= 0) {
      return Optional.empty();
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c == 0x7f || NOT_IN_URI.indexOf(c) >= 0) {
        return Optional.empty();
      }
    }
    int start = scheme + 3;
    int path = start;
    while (path < url.length() && "/?#".indexOf(url.charAt(path)) < 0) {
      path++;
    }
    int end = url.indexOf('#', path);
    String target = url.substring(path, end < 0 ? url.length() : end);
    return Optional.of(target.isEmpty() || target.charAt(0) != '/' ? "/" + target : target);
  }

  /** The request line and headers, {@code GET <target> HTTP/1.1}. */
  static byte[] request(Exchange exchange, String target) {
    StringBuilder text = new StringBuilder(256);
    text.append("GET ").append(target);
    text.append(" HTTP/1.1\r\n");
    for (Map.Entry<String, String> header : exchange.requestHeaders()) {
      text.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    text.append("\r\n");
    return text.toString().getBytes(ISO_8859_1);
  }

  /**
   * The status line and the headers (renamed where needed), up to the blank line: the body follows
   * it in the block, written from the exchange's own array.
   */
  static byte[] responseHead(Exchange exchange) {
    ResponseHead head = exchange.response();
    StringBuilder text = new StringBuilder(512);
    String version = head.version().startsWith("HTTP/") ? head.version() : "HTTP/1.1";
    text.append(version).append(' ').append(head.status());
    if (!head.reasonPhrase().isEmpty()) {
      text.append(' ').append(head.reasonPhrase());
    }
    text.append("\r\n");
    for (Map.Entry<String, String> header : head.headers()) {
      String name = header.getKey();
      if (RENAMED.contains(name.toLowerCase(Locale.ROOT))) {
        name = PREFIX + name;
      }
      text.append(name).append(": ").append(clean(header.getValue())).append("\r\n");
    }
    text.append("Content-Length: ").append(exchange.length()).append("\r\n\r\n");
    return text.toString().getBytes(ISO_8859_1);
  }

  /** A header value as one line: a line break inside it would end the header section. */
  private static String clean(String value) {
    return value.indexOf('\r') < 0 && value.indexOf('\n') < 0
        ? value
        : value.replace('\r', ' ').replace('\n', ' ');
  }
}
