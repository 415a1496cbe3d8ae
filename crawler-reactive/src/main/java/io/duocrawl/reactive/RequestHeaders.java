package io.duocrawl.reactive;

import io.duocrawl.common.fetch.RequestOptions;
import java.util.List;
import java.util.Map;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.ProxyProvider;

/** How the reactive engine applies a crawl's {@link RequestOptions} to its Reactor Netty client. */
final class RequestHeaders {
  private RequestHeaders() {}

  /** The client for one request: {@code client} itself when there is no extra header. */
  static HttpClient apply(HttpClient client, List<Map.Entry<String, String>> headers) {
    if (headers.isEmpty()) {
      return client;
    }
    return client.headers(
        h -> {
          for (Map.Entry<String, String> header : headers) {
            h.add(header.getKey(), header.getValue());
          }
        });
  }

  /**
   * The client routed through the options' HTTP proxy, if any. Netty's proxy handler tunnels every
   * connection with {@code CONNECT}, plain {@code http} ones included, and leaves name resolution
   * to the proxy.
   */
  static HttpClient proxy(HttpClient client, RequestOptions options) {
    return options
        .proxy()
        .map(
            proxy ->
                client.proxy(
                    spec ->
                        spec.type(ProxyProvider.Proxy.HTTP).host(proxy.host()).port(proxy.port())))
        .orElse(client);
  }
}
