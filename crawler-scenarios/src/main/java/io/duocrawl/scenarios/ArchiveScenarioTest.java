package io.duocrawl.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.PageResult;
import io.duocrawl.common.Reason;
import io.duocrawl.common.fetch.RequestOptions;
import io.duocrawl.common.report.CrawlReport;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.SessionOpener;
import io.duocrawl.fixtures.FixtureSite;
import io.duocrawl.fixtures.Section;
import io.duocrawl.fixtures.SiteSpec;
import io.duocrawl.fixtures.junit.FixtureSiteExtension;
import io.duocrawl.warc.ArchivedRecord;
import io.duocrawl.warc.WarcArchive;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.WarcTruncationReason;

/**
 * WARC output, the same for every engine: subclass it and return the engine from {@link
 * #crawler()}. A crawl of the fixture site is archived and the files read back with jwarc: every
 * fetched page has its request and response records, digests verify, and each fetched page's
 * payload is byte for byte what the site serves for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ArchiveScenarioTest {
  private static final long BODY_CAP = 64 * 1024;

  @RegisterExtension
  static final FixtureSiteExtension SITE =
      FixtureSiteExtension.of(
          SiteSpec.builder()
              .pages(80)
              .linksPerPage(5)
              .pageBytes(2048)
              .with(Section.REDIRECTS, Section.ROBOTS, Section.RESOURCES, Section.OVERSIZED)
              .oversizedBytes(300 * 1024)
              .build());

  @TempDir Path dir;

  /** The engine under test. */
  protected abstract Crawler crawler();

  private record Archived(
      CrawlReport report, List<PageResult> pages, List<ArchivedRecord> records) {
    List<ArchivedRecord> ofType(String type) {
      return records.stream().filter(r -> r.type().equals(type)).toList();
    }
  }

  private Archived crawlArchived(FixtureSite site) {
    return crawlArchived(site, RequestOptions.NONE);
  }

  private Archived crawlArchived(FixtureSite site, RequestOptions request) {
    CrawlConfig config =
        CrawlConfig.builder()
            .seed(site.rootUrl().toString())
            .concurrency(8)
            .perHostConcurrency(8)
            .maxBodyBytes(BODY_CAP)
            .request(request)
            .build();
    ConcurrentLinkedQueue<PageResult> pages = new ConcurrentLinkedQueue<>();
    CrawlReport report;
    List<Path> files;
    try (WarcArchive archive = WarcArchive.open(dir, WarcArchive.DEFAULT_MAX_FILE_BYTES, "test")) {
      SessionOpener sessions =
          (engine, c, listener) -> {
            CrawlSession session = CrawlSession.open(engine, c, listener);
            session.onExchange(archive);
            return session;
          };
      report = crawler().start(config, pages::add, sessions).await();
      assertThat(archive.failure()).isEmpty();
      files = archive.files();
    }
    return new Archived(report, List.copyOf(pages), ArchivedRecord.readAll(files));
  }

  @Test
  void everyFetchedPageHasARequestAndAResponseRecordWhosePayloadIsWhatTheSiteServed()
      throws IOException, InterruptedException {
    FixtureSite site = SITE.site();
    Instant before = Instant.now();
    Archived crawl = crawlArchived(site);

    assertThat(crawl.report().balanced()).isTrue();
    assertThat(crawl.records().get(0).type()).isEqualTo("warcinfo");
    Map<String, ArchivedRecord> responses =
        crawl.ofType("response").stream()
            .collect(Collectors.toMap(ArchivedRecord::target, Function.identity(), (a, b) -> b));
    // Every URL that got an HTTP answer (no retries here: no faults) has exactly one response.
    List<PageResult> answered = crawl.pages().stream().filter(p -> p.status() > 0).toList();
    assertThat(answered).isNotEmpty();
    assertThat(responses.keySet())
        .containsAll(answered.stream().map(PageResult::url).toList())
        .contains(site.urlOf("/robots.txt"));
    assertThat(crawl.ofType("response")).hasSize(answered.size() + 1); // + robots.txt
    // Each response has its request, which points at it, for the same URL.
    Map<URI, ArchivedRecord> byId =
        crawl.records().stream().collect(Collectors.toMap(ArchivedRecord::id, Function.identity()));
    for (ArchivedRecord request : crawl.ofType("request")) {
      assertThat(request.concurrentTo()).hasSize(1);
      ArchivedRecord response = byId.get(request.concurrentTo().get(0));
      assertThat(response.type()).isEqualTo("response");
      assertThat(response.target()).isEqualTo(request.target());
      assertThat(request.httpTarget()).startsWith(URI.create(request.target()).getRawPath());
    }
    assertThat(crawl.ofType("request")).hasSameSizeAs(crawl.ofType("response"));
    // Capture time, address, status.
    for (ArchivedRecord response : crawl.ofType("response")) {
      assertThat(response.date()).isAfterOrEqualTo(before.minusSeconds(1));
      assertThat(response.ipAddress()).isEqualTo("127.0.0.1");
      assertThat(response.httpStatus()).isPositive();
      assertThat(response.httpHeader("Content-Length"))
          .contains(String.valueOf(response.payload().length));
    }
    // Fetched pages: the payload is what the site serves (asked again, without compression).
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Set<Reason> fetched = Set.of(Reason.OK);
    for (PageResult page : crawl.pages()) {
      if (!fetched.contains(page.reason())) {
        continue;
      }
      ArchivedRecord response = responses.get(page.url());
      assertThat(response.truncated()).isEqualTo(WarcTruncationReason.NOT_TRUNCATED);
      byte[] served =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(page.url())).GET().build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .body();
      assertThat(response.payload()).as(page.url()).isEqualTo(served);
    }
  }

  @Test
  void throughAProxyTheRecordsHaveNoWarcIpAddressSinceTheAddressConnectedToIsTheProxys()
      throws IOException {
    Archived crawl;
    try (LoopbackProxy proxy = LoopbackProxy.start()) {
      crawl = crawlArchived(SITE.site(), RequestOptions.NONE.withProxy("127.0.0.1", proxy.port()));
      assertThat(proxy.requestLines()).isNotEmpty();
    }
    assertThat(crawl.ofType("response")).hasSizeGreaterThan(10);
    // WARC 1.1: WARC-IP-Address is the address "corresponding to the hostname in the record's
    // target-URI"; a crawler behind a proxy never learns it.
    assertThat(crawl.records())
        .filteredOn(r -> !r.type().equals("warcinfo"))
        .extracting(ArchivedRecord::ipAddress)
        .containsOnly("");
  }

  @Test
  void aBodyOverTheCapOrNotReadIsMarkedTruncatedByLength() {
    Archived crawl = crawlArchived(SITE.site());

    List<PageResult> tooLarge =
        crawl.pages().stream().filter(p -> p.reason() == Reason.TOO_LARGE).toList();
    assertThat(tooLarge).isNotEmpty();
    Map<String, ArchivedRecord> responses =
        crawl.ofType("response").stream()
            .collect(Collectors.toMap(ArchivedRecord::target, Function.identity(), (a, b) -> b));
    for (PageResult page : tooLarge) {
      assertThat(responses.get(page.url()).truncated()).isEqualTo(WarcTruncationReason.LENGTH);
    }
    // A non-HTML resource is answered but its body not read: truncated too.
    List<PageResult> unread =
        crawl.pages().stream().filter(p -> p.reason() == Reason.UNSUPPORTED_CONTENT_TYPE).toList();
    assertThat(unread).isNotEmpty();
    for (PageResult page : unread) {
      ArchivedRecord response = responses.get(page.url());
      assertThat(response.truncated()).isEqualTo(WarcTruncationReason.LENGTH);
      assertThat(response.payload()).isEmpty();
    }
  }
}
