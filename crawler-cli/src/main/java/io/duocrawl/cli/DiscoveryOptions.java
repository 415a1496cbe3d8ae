package io.duocrawl.cli;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.fetch.RequestOptions;
import io.duocrawl.common.url.StripParams;
import io.duocrawl.common.url.UrlRewriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The crawl options of the embedding API that the command line exposes: query parameters to strip
 * (a {@link StripParams} rewriter) and what every request carries ({@link RequestOptions}: headers,
 * cookies, a proxy). A mixin of {@link CrawlOptions}.
 */
final class DiscoveryOptions {
  @Option(
      names = "--strip-params",
      paramLabel = "NAME[,NAME...]",
      split = ",",
      description =
          "Query (and ;path) parameters removed from every URL before dedup, e.g. utm_*,sessionid; a trailing * matches any suffix (repeatable).")
  List<String> stripParams = new ArrayList<>();

  @Option(
      names = "--header",
      paramLabel = "'NAME: VALUE'",
      description =
          "A header sent with every request, robots.txt included, to every host (repeatable).")
  List<String> headers = new ArrayList<>();

  @Option(
      names = "--cookie",
      paramLabel = "NAME=VALUE",
      description = "A cookie sent with every request, to every host (repeatable).")
  List<String> cookies = new ArrayList<>();

  @Option(
      names = "--proxy",
      paramLabel = "HOST:PORT",
      description = "Send every request through this HTTP proxy.")
  String proxy;

  /** Sets the rewriter and request options these options ask for on {@code builder}. */
  CrawlConfig.Builder apply(CrawlConfig.Builder builder) {
    if (!stripParams.isEmpty()) {
      builder.urlRewriter(UrlRewriter.stripParams(stripParams));
    }
    RequestOptions request = RequestOptions.NONE;
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new UsageException("--header must be 'NAME: VALUE', was '" + header + "'");
      }
      request =
          request.withHeader(
              header.substring(0, colon).strip(), header.substring(colon + 1).strip());
    }
    for (String cookie : cookies) {
      int eq = cookie.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--cookie must be NAME=VALUE, was '" + cookie + "'");
      }
      request = request.withCookie(cookie.substring(0, eq), cookie.substring(eq + 1));
    }
    if (proxy != null) {
      int colon = proxy.lastIndexOf(':');
      int port;
      try {
        port = colon > 0 ? Integer.parseInt(proxy.substring(colon + 1)) : -1;
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65_535) {
        throw new UsageException("--proxy must be HOST:PORT, was '" + proxy + "'");
      }
      request = request.withProxy(proxy.substring(0, colon), port);
    }
    return builder.request(request);
  }

  /**
   * The arguments that rebuild what of {@code config} these options can express, for a child
   * process: a {@link StripParams} rewriter, headers, cookies, authorization and proxy. A rewriter,
   * filter or per-request function given in code has no command-line form and is left out.
   */
  static List<String> args(CrawlConfig config) {
    List<String> args = new ArrayList<>();
    if (config.urlRewriter() instanceof StripParams strip) {
      args.add("--strip-params=" + String.join(",", strip.names()));
    }
    RequestOptions request = config.request();
    for (Map.Entry<String, String> header : request.headers()) {
      args.add("--header=" + header.getKey() + ": " + header.getValue());
    }
    request.authorization().ifPresent(a -> args.add("--header=Authorization: " + a));
    request.cookies().forEach((name, value) -> args.add("--cookie=" + name + "=" + value));
    request.proxy().ifPresent(p -> args.add("--proxy=" + p.host() + ":" + p.port()));
    return args;
  }
}
