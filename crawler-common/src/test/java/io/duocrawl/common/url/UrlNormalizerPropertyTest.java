package io.duocrawl.common.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties over URLs built at random (seeded, so failures repeat): normalization is idempotent,
 * spelling variants of one URL collapse to one form, and the form is a valid RFC 3986 URI.
 */
class UrlNormalizerPropertyTest {
  private static final int CASES = 5_000;
  private static final String UNRESERVED =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

  /** Canonical host spellings, each with an equivalent non-canonical spelling. */
  private static final String[][] HOSTS = {
    {"example.com", "EXAMPLE.com."},
    {"www.example.co.uk", "WwW.Example.CO.uk"},
    {"xn--bcher-kva.de", "BÜCHER.de"},
    {"xn--r8jz45g.jp", "例え.jp"},
    {"a-b_c.example.org", "A-B_C.%65xample.org"},
    {"127.0.0.1", "127.0.0.1"},
    {"[2001:db8::1]", "[2001:DB8::1]"},
  };

  /** Canonical path segment pieces (already escaped where needed). */
  private static final String[] SEGMENTS = {
    "a", "docs", "index.html", "x-y_z~", "%2F", "%3F", "%20", "caf%C3%A9", "%F0%9F%98%80",
    ";p=1", "a:b", "@", "!$&'()*+,=", "%25", "%7C", "", "..a", "a.."
  };

  /** Canonical query pieces. */
  private static final String[] QUERY_PARTS = {
    "q=1", "a=b+c", "x=%26", "s=%20", "k=%C3%A9", "p=/x/../y", "z=?", "e=", "w=%5B%5D", "t=~"
  };

  private final UrlNormalizer urls = UrlNormalizer.create();

  @Test
  void spellingVariantsOfOneUrlCollapseToItsCanonicalForm() {
    Random random = new Random(20240611);
    for (int i = 0; i < CASES; i++) {
      Url url = Url.random(random);
      String canonical = url.canonical();
      String variant = url.variant(random);

      UrlCheck expected = new UrlCheck.Valid(canonical);
      UrlCheck actual = urls.normalize(variant);
      if (!actual.equals(expected) || !urls.normalize(canonical).equals(expected)) {
        // Asserting only on a mismatch keeps thousands of cases fast.
        assertThat(actual).as("variant %s of %s", variant, canonical).isEqualTo(expected);
        assertThat(urls.normalize(canonical)).isEqualTo(expected);
      }
    }
  }

  @Test
  void aPathOnlyHrefResolvesToTheSameCanonicalForm() {
    Random random = new Random(7);
    for (int i = 0; i < CASES; i++) {
      Url url = Url.random(random);
      String base = url.origin() + "/some/dir/page.html?x=1";
      String path = url.variantPathAndRest(random);
      String href = path.startsWith("/") || path.startsWith("\\") ? path : "/" + path;
      if (Canonicalizer.startsWithTwoSlashes(href, 0)) {
        continue; // an empty first segment: "//x" names a host, not a path
      }

      assertThat(urls.resolve(base, href))
          .as("%s against %s", href, base)
          .isEqualTo(new UrlCheck.Valid(url.canonical()));
    }
  }

  @Test
  void aPreparedBaseResolvesEveryHrefAsTheOneShotResolveDoes() {
    Random random = new Random(2026);
    String alphabet = "aZ09-._~%2eE/\\?#@:[]! \"<>|^`{}é€😀\t\n.";
    for (int i = 0; i < CASES; i++) {
      Url page = Url.random(random);
      // Bases as pages have them, canonical or not, and some that are no URL at all.
      String base =
          switch (random.nextInt(5)) {
            case 0 -> page.canonical();
            case 1 -> "mailto:x@example.com";
            case 2 -> noise(random, alphabet, "http://ex");
            default -> page.variant(random);
          };
      String href =
          switch (random.nextInt(5)) {
            case 0 -> page.variantPathAndRest(random);
            case 1 -> Url.random(random).variant(random);
            case 2 ->
                "//" + HOSTS[random.nextInt(HOSTS.length)][1] + page.variantPathAndRest(random);
            case 3 -> noise(random, alphabet, "");
            default -> page.variantPathAndRest(random).replaceFirst("^/", "");
          };

      assertThat(urls.base(base).resolve(href))
          .as("%s against %s", href, base)
          .isEqualTo(urls.resolve(base, href));
    }
  }

  private static String noise(Random random, String alphabet, String prefix) {
    StringBuilder s = new StringBuilder(prefix);
    int len = random.nextInt(20);
    int count = alphabet.codePointCount(0, alphabet.length());
    for (int j = 0; j < len; j++) {
      s.appendCodePoint(
          alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(count))));
    }
    return s.toString();
  }

  @Test
  void normalizationIsIdempotentAndNeverThrowsOnNoise() {
    Random random = new Random(99);
    String alphabet = "aZ09-._~%2eE/\\?#@:[]! \"<>|^`{}é€😀\t\n.";
    int valid = 0;
    for (int i = 0; i < CASES; i++) {
      StringBuilder s = new StringBuilder(random.nextBoolean() ? "http://" : "HTTPS://");
      s.append(random.nextInt(4) == 0 ? "ExAmple.com" : "example.com");
      s.append(random.nextInt(4) == 0 ? "" : "/");
      int len = random.nextInt(30);
      for (int j = 0; j < len; j++) {
        s.appendCodePoint(
            alphabet.codePointAt(
                alphabet.offsetByCodePoints(
                    0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
      }
      String input = s.toString();
      UrlCheck first = urls.normalize(input);
      if (first instanceof UrlCheck.Valid v) {
        valid++;
        assertThat(urls.normalize(v.url())).as("normalize(normalize(%s))", input).isEqualTo(v);
        assertThatCode(() -> new URI(v.url())).as("URI of %s", v.url()).doesNotThrowAnyException();
      }
      assertThat(urls.resolve("http://example.com/a/b", input.substring(7)))
          .isNotNull(); // never throws on a relative mess either
    }
    assertThat(valid).as("most noisy URLs still parse").isGreaterThan(CASES / 2);
  }

  /** A URL as parts; {@link #canonical()} writes its one canonical form. */
  private record Url(String scheme, int host, int port, List<String> segments, List<String> query) {

    static Url random(Random r) {
      String scheme = r.nextBoolean() ? "http" : "https";
      int port =
          switch (r.nextInt(4)) {
            case 0 -> 8080;
            case 1 -> scheme.equals("http") ? 443 : 80; // another scheme's default is not ours
            default -> -1;
          };
      List<String> segments = new ArrayList<>();
      for (int i = r.nextInt(5); i > 0; i--) {
        segments.add(SEGMENTS[r.nextInt(SEGMENTS.length)] + SEGMENTS[r.nextInt(SEGMENTS.length)]);
      }
      List<String> query = new ArrayList<>();
      for (int i = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 0; i > 0; i--) {
        query.add(QUERY_PARTS[r.nextInt(QUERY_PARTS.length)]);
      }
      return new Url(scheme, r.nextInt(HOSTS.length), port, segments, query);
    }

    String origin() {
      return scheme + "://" + HOSTS[host][0] + (port < 0 ? "" : ":" + port);
    }

    String canonical() {
      String path = "/" + String.join("/", segments);
      return origin() + path + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    /** The same URL spelled differently in every way normalization must undo. */
    String variant(Random r) {
      StringBuilder s = new StringBuilder();
      s.append(r.nextInt(3) == 0 ? " " : "");
      s.append(randomCase(r, scheme)).append(r.nextInt(5) == 0 ? ":\\\\" : "://");
      if (r.nextInt(5) == 0) {
        s.append("user:pass@");
      }
      s.append(r.nextBoolean() ? HOSTS[host][1] : HOSTS[host][0]);
      if (port >= 0) {
        s.append(':').append(r.nextBoolean() ? "0" : "").append(port);
      } else if (r.nextInt(4) == 0) {
        s.append(':').append(scheme.equals("http") ? "80" : "443");
      }
      return s.append(variantPathAndRest(r)).toString();
    }

    /** Path, query and fragment of {@link #variant}. */
    String variantPathAndRest(Random r) {
      StringBuilder s = new StringBuilder();
      for (String segment : segments) {
        if (r.nextInt(6) == 0) {
          s.append("/.");
        }
        if (r.nextInt(6) == 0) {
          s.append("/gone/..");
        }
        s.append(r.nextInt(8) == 0 ? '\\' : '/').append(respell(r, segment));
      }
      if (segments.isEmpty() && r.nextBoolean()) {
        s.append('/');
      }
      if (!query.isEmpty()) {
        s.append('?').append(respell(r, String.join("&", query)));
      } else if (r.nextInt(4) == 0) {
        s.append('?');
      }
      if (r.nextInt(3) == 0) {
        s.append(r.nextBoolean() ? "#frag?x/../y" : "#");
      }
      return s.toString();
    }

    /**
     * Escapes unreserved characters at random, lower-cases escapes, and writes some escaped
     * characters raw where a browser would accept them.
     */
    private static String respell(Random r, String canonicalPart) {
      StringBuilder s = new StringBuilder();
      int i = 0;
      while (i < canonicalPart.length()) {
        char c = canonicalPart.charAt(i);
        if (c == '%') {
          String escape = canonicalPart.substring(i, i + 3);
          if (escape.equals("%20") && i + 3 < canonicalPart.length() && r.nextBoolean()) {
            s.append(' ');
          } else if (canonicalPart.startsWith("%C3%A9", i) && r.nextBoolean()) {
            s.append('é');
            i += 3;
          } else if (canonicalPart.startsWith("%F0%9F%98%80", i) && r.nextBoolean()) {
            s.append("😀");
            i += 9;
          } else if (escape.equals("%7C") && r.nextBoolean()) {
            s.append('|');
          } else {
            s.append(r.nextBoolean() ? escape.toLowerCase(Locale.ROOT) : escape);
          }
          i += 3;
        } else {
          if (UNRESERVED.indexOf(c) >= 0 && r.nextInt(4) == 0) {
            String hex = String.format("%%%02X", (int) c);
            s.append(r.nextBoolean() ? hex.toLowerCase(Locale.ROOT) : hex);
          } else {
            s.append(c);
          }
          i++;
        }
      }
      return s.toString();
    }

    private static String randomCase(Random r, String s) {
      StringBuilder out = new StringBuilder();
      for (char c : s.toCharArray()) {
        out.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
      }
      return out.toString();
    }
  }
}
