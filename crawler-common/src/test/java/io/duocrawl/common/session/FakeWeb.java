package io.duocrawl.common.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A scripted web and a single-threaded engine for session tests: URLs map to responses, the clock
 * is moved by hand to whatever {@link CrawlSession#nanosUntilReady()} asks for, and every request
 * made is logged with the fake time it was made at.
 */
final class FakeWeb {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Map<String, Function<Integer, FetchResponse>> pages = new HashMap<>();
  final List<String> requested = new ArrayList<>();
  final List<Long> requestedAt = new ArrayList<>();

  /** An HTML page with the given links. */
  FakeWeb page(String url, String... hrefs) {
    StringBuilder html = new StringBuilder("<html><head><title>").append(url).append("</title>");
    html.append("</head><body>");
    for (String href : hrefs) {
      html.append("<a href=\"").append(href).append("\">x</a>\n");
    }
    html.append("</body></html>");
    return html(url, html.toString());
  }

  FakeWeb html(String url, String html) {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    return respond(
        url,
        attempt -> FetchResponse.of(200, headers("text/html; charset=utf-8"), body, body.length));
  }

  FakeWeb status(String url, int status, String... headerPairs) {
    return respond(url, attempt -> FetchResponse.withoutBody(status, headers(headerPairs)));
  }

  FakeWeb robots(String url, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    return respond(url, attempt -> FetchResponse.of(200, headers("text/plain"), body, body.length));
  }

  /** A response chosen by attempt number (0 = first). */
  FakeWeb respond(String url, Function<Integer, FetchResponse> byAttempt) {
    pages.put(url, byAttempt);
    return this;
  }

  static HeaderLookup headers(String contentType) {
    return headers("Content-Type", contentType);
  }

  static HeaderLookup headers(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      map.put(pairs[i].toLowerCase(java.util.Locale.ROOT), pairs[i + 1]);
    }
    return name -> Optional.ofNullable(map.get(name.toLowerCase(java.util.Locale.ROOT)));
  }

  private final Map<String, Integer> attempts = new HashMap<>();

  FetchResponse fetch(FetchRequest request) {
    requested.add(request.url());
    requestedAt.add(now.get());
    int attempt = attempts.merge(request.url(), 1, Integer::sum) - 1;
    Function<Integer, FetchResponse> page = pages.get(request.url());
    if (page == null) {
      return FetchResponse.withoutBody(404, HeaderLookup.NONE);
    }
    return page.apply(attempt);
  }

  /**
   * Runs the session to its end one request at a time, like an engine with concurrency 1, moving
   * the fake clock forward when the session says nothing is ready yet.
   */
  void crawl(CrawlSession session) {
    int steps = 0;
    while (!session.isDone()) {
      if (++steps > 100_000) {
        throw new AssertionError("crawl did not end");
      }
      Optional<FetchRequest> next = session.next();
      if (next.isEmpty()) {
        if (session.isDone()) {
          break; // next() itself may end the crawl, by skipping robots-disallowed URLs
        }
        long wait =
            session
                .nanosUntilReady()
                .orElseThrow(
                    () -> new AssertionError("nothing ready, nothing in flight, not done"));
        now.addAndGet(Math.max(wait, 1));
        continue;
      }
      session.complete(next.get(), fetch(next.get()));
    }
  }
}
