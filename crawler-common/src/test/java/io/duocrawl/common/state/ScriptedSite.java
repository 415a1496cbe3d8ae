package io.duocrawl.common.state;

import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.FetchRequest;
import io.duocrawl.common.session.FetchResponse;
import io.duocrawl.common.session.HeaderLookup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A generated site of {@code pages} pages (page i links to 2i+1 and 2i+2, a binary tree, plus the
 * root) and a single-threaded engine that crawls it through a session, stopping after a given
 * number of pages as a kill would.
 */
final class ScriptedSite {
  static final String ROOT = "http://site.test/";
  private final int pages;
  final List<String> fetched = new ArrayList<>();
  final List<String> robotsFetched = new ArrayList<>();

  /** URLs that answer 503 Service Unavailable, every time. */
  final Set<String> unavailable = new HashSet<>();

  ScriptedSite(int pages) {
    this.pages = pages;
  }

  static String url(int i) {
    return i == 0 ? ROOT : ROOT + "p" + i;
  }

  List<String> all() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < pages; i++) {
      all.add(url(i));
    }
    return all;
  }

  /** Crawls until the session is done or {@code maxPages} page fetches were completed. */
  void crawl(CrawlSession session, int maxPages) {
    crawl(session, maxPages, url -> false);
  }

  /** Crawls until the session is done, or right after the first fetch of {@code url}. */
  void crawlUntilFetched(CrawlSession session, String url) {
    crawl(session, Integer.MAX_VALUE, url::equals);
  }

  private void crawl(CrawlSession session, int maxPages, Predicate<String> stopAfter) {
    int done = 0;
    while (!session.isDone() && done < maxPages) {
      Optional<FetchRequest> next = session.next();
      if (next.isEmpty()) {
        if (session.isDone()) {
          break;
        }
        throw new AssertionError("nothing ready and not done: " + session.progress());
      }
      FetchRequest request = next.get();
      if (request.kind() == FetchRequest.Kind.ROBOTS) {
        robotsFetched.add(request.url());
        byte[] body = "User-agent: *\nAllow: /\n".getBytes(StandardCharsets.UTF_8);
        session.complete(request, FetchResponse.of(200, type("text/plain"), body, body.length));
        continue;
      }
      fetched.add(request.url());
      session.complete(request, respond(request.url()));
      done++;
      if (stopAfter.test(request.url())) {
        return;
      }
    }
  }

  private FetchResponse respond(String url) {
    if (unavailable.contains(url)) {
      byte[] body = "busy".getBytes(StandardCharsets.UTF_8);
      return FetchResponse.of(503, type("text/plain"), body, body.length);
    }
    int i = url.equals(ROOT) ? 0 : Integer.parseInt(url.substring(ROOT.length() + 1));
    StringBuilder html = new StringBuilder("<html><body>");
    for (int child : new int[] {2 * i + 1, 2 * i + 2, 0}) {
      if (child < pages) {
        html.append("<a href=\"").append(url(child)).append("\">x</a>");
      }
    }
    byte[] body = html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
    return FetchResponse.of(200, type("text/html"), body, body.length);
  }

  private static HeaderLookup type(String contentType) {
    return name ->
        name.equalsIgnoreCase("Content-Type") ? Optional.of(contentType) : Optional.empty();
  }
}
