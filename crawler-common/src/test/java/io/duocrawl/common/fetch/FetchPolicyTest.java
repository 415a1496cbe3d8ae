package io.duocrawl.common.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duocrawl.common.CrawlConfig;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FetchPolicyTest {
  @Test
  void theDefaultAllows64KibOfHeadersAndAsksForGzip() {
    assertThat(FetchPolicy.DEFAULT.maxHeaderBytes()).isEqualTo(64 * 1024);
    assertThat(FetchPolicy.DEFAULT.acceptEncodingHeader()).isEqualTo("gzip");
    assertThat(CrawlConfig.builder().seed("http://a/").build().fetch())
        .isEqualTo(FetchPolicy.DEFAULT);
  }

  @Test
  void noEncodingsAskForIdentity() {
    assertThat(FetchPolicy.DEFAULT.withAcceptEncodings(List.of()).acceptEncodingHeader())
        .isEqualTo("identity");
  }

  @Test
  void anUnknownEncodingOrAHeaderLimitOutOfRangeIsRefusedByName() {
    assertThatThrownBy(() -> FetchPolicy.DEFAULT.withAcceptEncodings(List.of("br")))
        .hasMessageContaining("fetch.acceptEncodings");
    assertThatThrownBy(() -> FetchPolicy.DEFAULT.withMaxHeaderBytes(1024))
        .hasMessageContaining("fetch.maxHeaderBytes")
        .hasMessageContaining("1024");
  }

  @Test
  void fixedHostsAreLookedUpCaseInsensitively() throws Exception {
    InetAddress address = InetAddress.getByName("127.0.0.2");
    FetchPolicy policy = FetchPolicy.DEFAULT.withHosts(Map.of("Example.TEST", address));
    assertThat(policy.fixedAddress("example.test")).contains(address);
    assertThat(policy.fixedAddress("other.test")).isEmpty();
  }

  @Test
  void maxBodyBytesAbove2GibIsRefusedAtBuildTime() {
    assertThatThrownBy(() -> CrawlConfig.builder().seed("http://a/").maxBodyBytes(3L << 30).build())
        .hasMessageContaining("maxBodyBytes")
        .hasMessageContaining(String.valueOf(3L << 30));
    assertThat(
            CrawlConfig.builder()
                .seed("http://a/")
                .maxBodyBytes(CrawlConfig.MAX_BODY_BYTES)
                .build()
                .maxBodyBytes())
        .isEqualTo(Integer.MAX_VALUE - 8);
  }

  @Test
  void theFirstOfDuplicateHeadersWinsAndEveryValueIsKept() {
    ResponseHead head =
        new ResponseHead(
            "HTTP/1.1",
            200,
            "OK",
            List.of(
                Map.entry("Content-Type", "text/html"),
                Map.entry("content-type", "text/plain"),
                Map.entry("Set-Cookie", "a=1")));
    assertThat(head.header("CONTENT-TYPE")).contains("text/html");
    assertThat(head.values("Content-Type")).containsExactly("text/html", "text/plain");
    assertThat(head.all()).hasSize(3);
    assertThat(head.header("Location")).isEmpty();
  }
}
