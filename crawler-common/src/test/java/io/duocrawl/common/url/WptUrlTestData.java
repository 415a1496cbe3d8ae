package io.duocrawl.common.url;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The URL parsing cases of the web-platform-tests ({@code url/resources/urltestdata.json}, see
 * {@code wpt/README.md} beside it for origin and license), read once.
 */
final class WptUrlTestData {
  private static final String RESOURCE = "wpt/urltestdata.json";

  /**
   * One parsing case: {@code input} parsed against {@code base} (none: parsed alone) gives {@code
   * href}, or fails when {@code href} is empty.
   */
  record Case(int index, String input, Optional<String> base, Optional<String> href) {
    /** A stable name for lists of known failures: the input and base, escaped for reading. */
    String id() {
      return escape(input) + " @ " + base.map(WptUrlTestData::escape).orElse("(no base)");
    }

    boolean failure() {
      return href.isEmpty();
    }

    /**
     * Whether this is a case about http(s) URLs: its result is one, or it must fail and its base or
     * its input is one.
     */
    boolean aboutHttp() {
      if (href.isPresent()) {
        return WptUrlTestData.isHttp(href.get());
      }
      return base.map(WptUrlTestData::isHttp).orElse(false) || WptUrlTestData.isHttp(input.strip());
    }
  }

  private WptUrlTestData() {}

  static List<Case> cases() {
    try (InputStream in = WptUrlTestData.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + RESOURCE);
      }
      JsonNode root = new ObjectMapper().readTree(in);
      List<Case> cases = new ArrayList<>();
      for (JsonNode node : root) {
        if (!node.isObject()) {
          continue; // comments are strings between the cases
        }
        JsonNode base = node.get("base");
        cases.add(
            new Case(
                cases.size(),
                node.get("input").asText(),
                base == null || base.isNull() ? Optional.empty() : Optional.of(base.asText()),
                node.path("failure").asBoolean(false)
                    ? Optional.empty()
                    : Optional.of(node.get("href").asText())));
      }
      return List.copyOf(cases);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isHttp(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("http:") || lower.startsWith("https:");
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
                out.append(String.format("\\u%04X", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }
}
