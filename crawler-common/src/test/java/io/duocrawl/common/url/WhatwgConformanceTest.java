package io.duocrawl.common.url;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The normalizer against the WHATWG URL Standard's own test data (web-platform-tests), for every
 * case about http(s): each input parsed against its base must give the expected {@code href} as our
 * canonical form writes it, or fail where the standard says it fails.
 *
 * <p>Our canonical form deviates from the standard's serialization on purpose (docs/urls.md lists
 * each deviation with its reason, as does {@link UrlNormalizer}); {@link #asCanonical} applies
 * those deviations to the expected href, and nothing else. Cases that still differ are listed in
 * {@link #KNOWN_FAILURES} with the reason; the test fails when a case not listed fails and when a
 * listed case starts to pass, so the list stays true.
 */
class WhatwgConformanceTest {
  private static final String RFC3986_PATH_RAW =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/";
  private static final String UNRESERVED =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

  /** Case id ({@link WptUrlTestData.Case#id()}) to the reason it is allowed to differ. */
  static final Map<String, String> KNOWN_FAILURES = Map.of();

  private final UrlNormalizer urls = UrlNormalizer.create();

  @Test
  void everyHttpCaseOfTheWebPlatformTestsGivesTheStandardsResultUnderOurDeviations() {
    List<WptUrlTestData.Case> cases = WptUrlTestData.cases();
    List<String> unexpected = new ArrayList<>();
    List<String> nowPassing = new ArrayList<>();
    int run = 0;
    int failures = 0;
    for (WptUrlTestData.Case c : cases) {
      if (!c.aboutHttp()) {
        continue;
      }
      run++;
      failures += c.failure() ? 1 : 0;
      Optional<String> expected = c.href().flatMap(WhatwgConformanceTest::asCanonical);
      UrlCheck actual = parse(c);
      boolean pass =
          expected.isPresent()
              ? actual.equals(new UrlCheck.Valid(expected.get()))
              : actual instanceof UrlCheck.Invalid;
      boolean known = KNOWN_FAILURES.containsKey(c.id());
      if (!pass && !known) {
        unexpected.add(
            String.format(
                "#%d %s%n    expected %s (standard: %s)%n    actual   %s",
                c.index(), c.id(), expected.orElse("failure"), c.href().orElse("failure"), actual));
      } else if (pass && known) {
        nowPassing.add(c.id());
      }
    }
    assertThat(run).as("http(s) cases run").isGreaterThan(400);
    assertThat(failures).as("failure cases among them").isGreaterThan(150);
    assertThat(unexpected).as("cases that differ from the standard").isEmpty();
    assertThat(nowPassing).as("known failures that now pass: remove them from the list").isEmpty();
  }

  @Test
  void aPreparedBaseResolvesEveryCaseAsTheOneShotResolveDoes() {
    for (WptUrlTestData.Case c : WptUrlTestData.cases()) {
      if (c.base().isPresent()) {
        String base = c.base().get();
        assertThat(urls.base(base).resolve(c.input()))
            .as("%s", c.id())
            .isEqualTo(urls.resolve(base, c.input()));
      }
    }
  }

  private UrlCheck parse(WptUrlTestData.Case c) {
    return c.base().isPresent()
        ? urls.resolve(c.base().get(), c.input())
        : urls.normalize(c.input());
  }

  /**
   * The expected href (the standard's serialization of an http(s) URL) in our canonical form, or
   * empty where our form refuses the URL. Each step is one deviation of docs/urls.md.
   */
  static Optional<String> asCanonical(String href) {
    // 1. The fragment is dropped.
    int hash = href.indexOf('#');
    String url = hash < 0 ? href : href.substring(0, hash);
    int authorityStart = url.indexOf("://") + 3;
    int pathStart = url.indexOf('/', authorityStart);
    String authority = url.substring(authorityStart, pathStart);
    // 2. Userinfo is dropped.
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    String host;
    String port;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      host = authority.substring(0, close + 1);
      port = authority.substring(close + 1);
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? "" : authority.substring(colon);
    }
    // 3. Port 0 is refused: nothing listens there.
    if (port.equals(":0")) {
      return Optional.empty();
    }
    if (!host.startsWith("[")) {
      // 4. The trailing dot of a host is removed: the same name to DNS.
      if (host.endsWith(".")) {
        host = host.substring(0, host.length() - 1);
      }
      // 5. A host DNS cannot resolve is refused.
      if (!isDnsName(host)) {
        return Optional.empty();
      }
    }
    int q = url.indexOf('?', pathStart);
    String path = q < 0 ? url.substring(pathStart) : url.substring(pathStart, q);
    String query = q < 0 ? "" : url.substring(q + 1);
    // 6. Percent-encoding is normalized; 7. an empty query is dropped.
    StringBuilder out = new StringBuilder();
    out.append(url, 0, authorityStart).append(host).append(port);
    out.append(normalizeEscapes(path, RFC3986_PATH_RAW));
    if (!query.isEmpty()) {
      out.append('?').append(normalizeEscapes(query, RFC3986_PATH_RAW + "?"));
    }
    return Optional.of(out.toString());
  }

  private static boolean isDnsName(String host) {
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || !label.matches("[a-z0-9_-]+")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Escapes of unreserved characters decoded, other escapes in upper-case hex, a {@code %} that
   * starts no escape written {@code %25}, and characters RFC 3986 does not allow raw here escaped.
   */
  private static String normalizeEscapes(String s, String raw) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        char decoded = (char) Integer.parseInt(s.substring(i + 1, i + 3), 16);
        out.append(
            UNRESERVED.indexOf(decoded) >= 0
                ? String.valueOf(decoded)
                : s.substring(i, i + 3).toUpperCase(Locale.ROOT));
        i += 2;
      } else if (raw.indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append(String.format("%%%02X", (int) c));
      }
    }
    return out.toString();
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 0x80;
  }
}
