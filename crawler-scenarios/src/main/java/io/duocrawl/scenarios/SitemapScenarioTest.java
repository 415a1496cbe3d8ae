package io.duocrawl.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.Outcome;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.SessionOpener;
import io.duocrawl.common.sitemap.SitemapOutcome;
import io.duocrawl.common.sitemap.SitemapPolicy;
import io.duocrawl.common.sitemap.SitemapRead;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.FixtureSitemaps;
import io.duocrawl.fixtures.Section;
import io.duocrawl.fixtures.SiteSpec;
import io.duocrawl.fixtures.junit.FixtureSiteExtension;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sitemaps, the same for every engine: subclass it and return the engine from {@link #crawler()}.
 * Each crawl starts from the site's root with link depth 0, so every page fetched besides the root
 * came from a sitemap; the fixture's {@link FixtureSitemaps} says which pages each lists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SitemapScenarioTest {
  private static final int PAGES = 40;

  @RegisterExtension
  static final FixtureSiteExtension SITE =
      FixtureSiteExtension.of(
          SiteSpec.builder().pages(PAGES).linksPerPage(4).with(Section.ROBOTS).build());

  /** The engine under test. */
  protected abstract Crawler crawler();

  private record Result(
      CrawlReport report, List<PageResult> pages, Map<SitemapOutcome, Long> outcomes) {
    Set<String> fetchedPaths(FixtureSite site) {
      return pages.stream()
          .filter(p -> p.outcome() == Outcome.FETCHED)
          .map(p -> java.net.URI.create(p.url()).getPath())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private Result crawl(SitemapPolicy policy) {
    FixtureSite site = SITE.site();
    CrawlConfig config =
        CrawlConfig.builder().seed(site.rootUrl().toString()).maxDepth(0).concurrency(8).build();
    ConcurrentLinkedQueue<PageResult> pages = new ConcurrentLinkedQueue<>();
    AtomicReference<CrawlSession> opened = new AtomicReference<>();
    SessionOpener sessions =
        (engine, c, listener) -> {
          CrawlSession session = CrawlSession.open(engine, c, listener);
          session.useSitemaps(policy);
          opened.set(session);
          return session;
        };
    CrawlReport report = crawler().start(config, pages::add, sessions).await();
    assertThat(report.balanced()).isTrue();
    assertThat(pages).hasSize((int) report.accepted());
    return new Result(report, List.copyOf(pages), opened.get().sitemapOutcomes());
  }

  private static String url(String path) {
    return SITE.site().urlOf(path);
  }

  private static Set<String> withRoot(Set<String> paths) {
    Set<String> expected = new TreeSet<>(paths);
    expected.add("/");
    return expected;
  }

  @Test
  void everyKindOfSitemapUnderAnIndexIsReadAndItsPagesCrawledAtDepthZero() {
    Result result = crawl(SitemapPolicy.of(List.of(url(FixtureSitemaps.INDEX))));

    assertThat(result.fetchedPaths(SITE.site()))
        .isEqualTo(withRoot(FixtureSitemaps.pagesUnder(FixtureSitemaps.INDEX, 2, PAGES)))
        .contains("/page/1", "/page/6", "/page/11", "/page/16", "/page/19");
    // index, nested index, plain, gzip, text, RSS, deep
    assertThat(result.outcomes()).isEqualTo(Map.of(SitemapOutcome.PARSED, 7L));
    assertThat(result.pages()).allMatch(p -> p.depth() == 0);
    assertThat(result.report().sitemaps())
        .extracting(SitemapRead::url)
        .isSorted()
        .containsExactlyInAnyOrder(
            url(FixtureSitemaps.FEED),
            url(FixtureSitemaps.INDEX),
            url(FixtureSitemaps.GZIP),
            url(FixtureSitemaps.DEEP),
            url(FixtureSitemaps.NESTED),
            url(FixtureSitemaps.PLAIN),
            url(FixtureSitemaps.TEXT));
    assertThat(result.report().sitemaps())
        .allSatisfy(
            read -> {
              assertThat(read.outcome()).isEqualTo(SitemapOutcome.PARSED);
              assertThat(read.urlsOffered()).isEqualTo(read.urlsFound()).isPositive();
              assertThat(read.bytes()).isPositive();
              assertThat(read.reason()).isEmpty();
            });
    assertThat(read(result, FixtureSitemaps.INDEX).urlsFound()).isEqualTo(5);
    assertThat(read(result, FixtureSitemaps.PLAIN).urlsFound()).isEqualTo(5);
  }

  @Test
  void aPageFromASitemapEntryWithLastmodCarriesItAndOthersHaveNone() {
    Result result = crawl(SitemapPolicy.of(List.of(url(FixtureSitemaps.INDEX))));

    Map<String, String> expected = FixtureSitemaps.lastmodsUnder(FixtureSitemaps.INDEX, 2, PAGES);
    assertThat(expected)
        .containsKeys("/page/1", "/page/6", "/page/19")
        .doesNotContainKey("/page/11");
    Map<String, String> actual = new TreeMap<>();
    for (PageResult page : result.pages()) {
      page.lastmod()
          .ifPresent(
              lastmod ->
                  actual.put(
                      java.net.URI.create(page.url()).getPath(),
                      LocalDate.ofInstant(lastmod, ZoneOffset.UTC).toString()));
    }
    assertThat(actual).isEqualTo(expected);
  }

  private static SitemapRead read(Result result, String path) {
    return result.report().sitemaps().stream()
        .filter(r -> r.url().equals(url(path)))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void anIndexNestedPastTheDepthLimitIsCountedTooDeepAndNotRead() {
    Result result =
        crawl(
            SitemapPolicy.of(List.of(url(FixtureSitemaps.INDEX)))
                .withCaps(SitemapPolicy.DEFAULT_MAX_BYTES, SitemapPolicy.DEFAULT_MAX_URLS, 1));

    assertThat(result.fetchedPaths(SITE.site()))
        .isEqualTo(withRoot(FixtureSitemaps.pagesUnder(FixtureSitemaps.INDEX, 1, PAGES)))
        .doesNotContain("/page/19");
    assertThat(result.outcomes())
        .isEqualTo(Map.of(SitemapOutcome.PARSED, 6L, SitemapOutcome.TOO_DEEP, 1L));
    assertThat(read(result, FixtureSitemaps.DEEP).outcome()).isEqualTo(SitemapOutcome.TOO_DEEP);
  }

  @Test
  void theSitemapLineOfRobotsTxtIsReadWhenThePolicyAsks() {
    Result result = crawl(SitemapPolicy.of(List.of()).withFromRobots(true));

    assertThat(result.fetchedPaths(SITE.site()))
        .isEqualTo(withRoot(FixtureSitemaps.pagesUnder(FixtureSitemaps.INDEX, 2, PAGES)));
  }

  @Test
  void withoutAPolicyNoSitemapIsRead() {
    Result result = crawl(SitemapPolicy.NONE);

    assertThat(result.fetchedPaths(SITE.site())).containsExactly("/");
    assertThat(result.outcomes()).isEmpty();
    assertThat(result.report().sitemaps()).isEmpty();
    assertThat(result.pages()).allMatch(p -> p.lastmod().isEmpty());
  }

  @Test
  void sitemapsOverTheirCapsOrBrokenEndWithTheirOutcomeAndTheCrawlGoesOn() {
    Result result =
        crawl(
            SitemapPolicy.of(
                    List.of(
                        url(FixtureSitemaps.OVERSIZED),
                        url(FixtureSitemaps.BOMB),
                        url(FixtureSitemaps.MALFORMED),
                        url("/sitemaps/missing.xml")))
                .withCaps(1024 * 1024, 10, 2));

    assertThat(result.outcomes())
        .isEqualTo(
            Map.of(
                SitemapOutcome.OVER_URL_CAP, 1L,
                SitemapOutcome.TOO_LARGE, 1L,
                SitemapOutcome.MALFORMED, 1L,
                SitemapOutcome.HTTP_ERROR, 1L));
    SitemapRead oversized = read(result, FixtureSitemaps.OVERSIZED);
    assertThat(oversized.urlsFound()).isEqualTo(FixtureSitemaps.OVERSIZED_URLS);
    assertThat(oversized.urlsOffered()).isEqualTo(10);
    assertThat(read(result, FixtureSitemaps.BOMB).reason()).contains("after inflating");
    assertThat(read(result, FixtureSitemaps.MALFORMED).reason()).isNotEmpty();
    assertThat(read(result, "/sitemaps/missing.xml").reason()).isEqualTo("HTTP 404");
    assertThat(result.report().sitemaps()).hasSize(4);
    // The first ten URLs of the oversized sitemap, nothing else.
    Set<String> firstTen = new TreeSet<>();
    for (int i = 0; i < 10; i++) {
      firstTen.add("/page/" + i);
    }
    assertThat(result.fetchedPaths(SITE.site())).isEqualTo(withRoot(firstTen));
  }

  @Test
  void aSitemapLargerThanTheByteCapIsNotParsed() {
    Result result =
        crawl(
            SitemapPolicy.of(List.of(url(FixtureSitemaps.OVERSIZED)))
                .withCaps(16 * 1024, SitemapPolicy.DEFAULT_MAX_URLS, 2));

    assertThat(result.outcomes()).isEqualTo(Map.of(SitemapOutcome.TOO_LARGE, 1L));
    assertThat(result.fetchedPaths(SITE.site())).containsExactly("/");
  }
}
