package io.duocrawl.common.url;

import io.duocrawl.common.Rejection;
import java.util.Objects;

/**
 * The answer of {@link UrlNormalizer}: a canonical URL, or the reason there is none. Never thrown,
 * always returned, so a bad link is counted rather than lost.
 *
 * <pre>{@code
 * UrlCheck check = normalizer.resolve(page.baseUrl(), href);
 * if (check instanceof UrlCheck.Valid valid) {
 *   frontier.offer(valid.url());
 * } else if (check instanceof UrlCheck.Invalid invalid) {
 *   stats.rejected(invalid.reason());
 * }
 * }</pre>
 */
public sealed interface UrlCheck permits UrlCheck.Valid, UrlCheck.Invalid {

  /**
   * A URL in canonical form: {@code http} or {@code https}, lower-case host in ASCII, no default
   * port, a path without dot segments, no fragment. Equal strings mean the same page for dedup.
   *
   * @param url the canonical URL
   */
  record Valid(String url) implements UrlCheck {
    /** Checks for null. */
    public Valid {
      Objects.requireNonNull(url, "url");
    }
  }

  /**
   * A URL that cannot be crawled.
   *
   * @param reason {@link Rejection#MALFORMED} or {@link Rejection#UNSUPPORTED_SCHEME}
   * @param input the text that was rejected, as given
   */
  record Invalid(Rejection reason, String input) implements UrlCheck {
    /** Checks for null. */
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(input, "input");
    }
  }
}
