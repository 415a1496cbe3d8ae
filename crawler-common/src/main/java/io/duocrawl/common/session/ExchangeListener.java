package io.duocrawl.common.session;

/**
 * Sees every HTTP exchange of a crawl that got a response, before the core processes it: the hook
 * an archive (a WARC writer) hangs on. Set it with {@link CrawlSession#onExchange} before the
 * engine fetches anything.
 *
 * <p>Called on the thread that completes the request (a worker thread, or the reactive engine's
 * crawl scheduler, never a Netty event loop), from many threads at once: implementations are
 * thread-safe and should not block for long, since the crawl waits for them. A listener that throws
 * loses nothing of the crawl: the exception is logged and the page processed as usual.
 *
 * <pre>{@code
 * session.onExchange(exchange -> log.info("{} {}", exchange.response().status(), exchange.url()));
 * }</pre>
 */
@FunctionalInterface
public interface ExchangeListener {
  /** Listens to nothing: the default. */
  ExchangeListener NONE = exchange -> {};

  /** One exchange; see the class documentation for threads. */
  void onExchange(Exchange exchange);
}
