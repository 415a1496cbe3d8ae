package io.duocrawl.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.SiteSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The stream pass ({@link StreamScan}) against the tree walk over Jsoup's document ({@link
 * PageScan#of}, the oracle): same links in the same order, same nofollow count, base, canonical,
 * robots flags and title, for every page the stream pass does not hand back to the tree: the parse
 * test pages, generated tag soup, the fixture site (served on loopback) and, when installed, the
 * HTML of Debian's python3-doc.
 */
class PageScanEquivalenceTest {
  private static final String URL = "https://www.example.com/dir/page.html";

  /** Debian's python3-doc: about 500 real pages of Sphinx HTML. */
  static final Path PYTHON_DOCS = Path.of("/usr/share/doc/python3-doc/html");

  /** The facts both paths report, for one comparison with a readable diff. */
  record Facts(
      List<String> links,
      int nofollowLinks,
      Optional<String> base,
      Optional<String> canonical,
      boolean noindex,
      boolean nofollow,
      String title) {
    static Facts of(PageScan scan) {
      return new Facts(
          scan.links(),
          scan.nofollowLinks(),
          scan.baseHref(),
          scan.canonical(),
          scan.noindex(),
          scan.nofollow(),
          scan.title());
    }
  }

  /** Compares both paths on {@code html}; returns whether the stream pass read it. */
  static boolean assertSameFacts(String name, String html) {
    Optional<PageScan> streamed = StreamScan.scan(html);
    if (streamed.isEmpty()) {
      return false;
    }
    Facts tree = Facts.of(PageScan.of(Jsoup.parse(html, URL)));
    assertThat(Facts.of(streamed.get())).as(name).isEqualTo(tree);
    return true;
  }

  /**
   * As {@link #assertSameFacts}, except that the nofollow count may be lower: misnested markup such
   * as {@code <p><a rel=nofollow href=x><div>..</div></a>} makes the tree builder clone the anchor
   * (reconstructing the active formatting elements), and the tree walk counts every clone, the
   * stream pass the anchor as written. And where a table holds stray markup, the tree builder moves
   * it before the table ("foster parenting"): the same links, in another order.
   */
  static boolean assertSameLinks(String name, String html) {
    Optional<PageScan> streamed = StreamScan.scan(html);
    if (streamed.isEmpty()) {
      return false;
    }
    Facts tree = Facts.of(PageScan.of(Jsoup.parse(html, URL)));
    Facts stream = Facts.of(streamed.get());
    assertThat(stream.nofollowLinks()).as(name).isLessThanOrEqualTo(tree.nofollowLinks());
    List<String> links = stream.links();
    if (html.contains("<table") && new HashSet<>(links).equals(new HashSet<>(tree.links()))) {
      // Foster parenting moves stray content of a table before it: same links, other order.
      links = tree.links();
    }
    Facts withTreeCount =
        new Facts(
            links,
            tree.nofollowLinks(),
            stream.base(),
            stream.canonical(),
            stream.noindex(),
            stream.nofollow(),
            stream.title());
    assertThat(withTreeCount).as(name).isEqualTo(tree);
    return true;
  }

  @Test
  void everyParseTestPageGivesTheSameFactsBothWays() throws IOException, URISyntaxException {
    Path dir = Path.of(PageScanEquivalenceTest.class.getResource("duplicateLinks.html").toURI());
    List<Path> pages = htmlFiles(dir.getParent());
    int streamed = 0;
    for (Path page : pages) {
      byte[] body = Files.readAllBytes(page);
      String html =
          Encodings.decode(body, body.length, PageParser.charset(body, body.length, "text/html"));
      streamed += assertSameFacts(page.getFileName().toString(), html) ? 1 : 0;
    }
    assertThat(pages).hasSizeGreaterThan(15);
    // frameset.html is the one the stream pass hands back.
    assertThat(streamed).isEqualTo(pages.size() - 1);
  }

  @Test
  void generatedTagSoupGivesTheSameFactsBothWays() {
    Random random = new Random(20261201);
    int streamed = 0;
    for (int i = 0; i < 20_000; i++) {
      String html = TagSoup.page(random);
      streamed += assertSameLinks("tag soup " + i + ":\n" + html, html) ? 1 : 0;
    }
    assertThat(streamed).isGreaterThan(10_000);
  }

  @Test
  void thePythonDocumentationGivesTheSameFactsBothWays() throws IOException {
    if (!Files.isDirectory(PYTHON_DOCS)) {
      System.out.println(
          "PageScanEquivalenceTest: corpus "
              + PYTHON_DOCS
              + " absent (apt-get install python3-doc), corpus comparison skipped");
      Assumptions.abort("corpus " + PYTHON_DOCS + " absent");
    }
    List<Path> pages = htmlFiles(PYTHON_DOCS);
    int streamed = 0;
    long links = 0;
    for (Path page : pages) {
      byte[] body = Files.readAllBytes(page);
      String html =
          Encodings.decode(body, body.length, PageParser.charset(body, body.length, "text/html"));
      if (assertSameFacts(page.toString(), html)) {
        streamed++;
        links += StreamScan.scan(html).orElseThrow().links().size();
      }
    }
    System.out.printf(
        "PageScanEquivalenceTest: %d of %d python3-doc pages read by the stream pass, %d links,"
            + " all equal to the tree walk%n",
        streamed, pages.size(), links);
    assertThat(pages).hasSizeGreaterThan(100);
    assertThat(streamed).isGreaterThan(pages.size() / 2);
  }

  @Test
  void theFixtureSitesPagesGiveTheSameFactsBothWays() throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    int streamed = 0;
    int pages = 0;
    try (FixtureSite site = FixtureSite.start(SiteSpec.defaults())) {
      for (String url : site.groundTruth().fetched()) {
        HttpResponse<byte[]> response =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() != 200 || !PageParser.isHtml(contentType)) {
          continue;
        }
        byte[] body = response.body();
        String html =
            Encodings.decode(body, body.length, PageParser.charset(body, body.length, contentType));
        pages++;
        streamed += assertSameFacts(url, html) ? 1 : 0;
      }
    }
    assertThat(pages).isGreaterThan(20);
    assertThat(streamed).isGreaterThan(pages / 2);
  }

  static List<Path> htmlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
      List<Path> pages = new ArrayList<>();
      files.filter(p -> p.toString().endsWith(".html")).sorted().forEach(pages::add);
      return pages;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
