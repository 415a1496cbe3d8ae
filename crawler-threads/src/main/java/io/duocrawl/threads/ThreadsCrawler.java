package io.duocrawl.threads;

import io.duocrawl.common.CrawlConfig;
import io.duocrawl.common.Crawler;
import io.duocrawl.common.PageListener;
import io.duocrawl.common.RunningCrawl;
import io.duocrawl.common.session.CrawlSession;
import io.duocrawl.common.session.SessionOpener;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import okhttp3.OkHttpClient;

/**
 * The two blocking engines over OkHttp: {@link #platform()} (engine {@code threads}, a fixed pool
 * of N platform threads) and {@link #virtual()} (engine {@code virtual}, one virtual thread per
 * request, at most N at once), where N is {@link CrawlConfig#concurrency()}. Both run the same
 * blocking fetch code; they differ only in what a waiting request costs.
 *
 * <pre>{@code
 * Crawler crawler = ThreadsCrawler.virtual();
 * CrawlReport report = crawler.crawl(config, page -> System.out.println(page.url()));
 *
 * RunningCrawl run = ThreadsCrawler.platform().start(config, PageListener.NONE);
 * run.cancel(); // returns at once; run.completion() completes with the pending URLs counted
 * }</pre>
 *
 * <p>Each crawl gets its own OkHttp client, derived from the base client (so an embedder's
 * interceptors, proxy, TLS and DNS settings apply) with the config's timeouts and user agent,
 * redirects and connection retries switched off (the core does both), and its own connection pool
 * sized for N, released when the crawl ends. Threads are named {@code duocrawl-threads-N}, {@code
 * duocrawl-virtual-N} and {@code duocrawl-virtual-dispatcher}; the last of them completes {@link
 * RunningCrawl#completion()} on its way out, after every other one has stopped, and then ends too.
 * (OkHttp's shared, daemon {@code OkHttp TaskRunner} threads belong to OkHttp, not to a crawl, and
 * stop on their own after a minute idle.)
 *
 * <p>At a concurrency the machine cannot give platform threads, {@code threads} does not hang: the
 * crawl fails with a {@link io.duocrawl.common.CrawlException} saying "cannot create native thread
 * at N threads of C" and why. {@code virtual} needs no native thread per request.
 *
 * <p>Immutable and thread-safe; one instance may run several crawls, one after another or at once.
 */
public final class ThreadsCrawler implements Crawler {
  private final String name;
  private final OkHttpClient base;
  private final IdleWorkers.Policy wakePolicy;
  private final ThreadFactory platformThreads;

  private ThreadsCrawler(String name, OkHttpClient base, IdleWorkers.Policy wakePolicy) {
    this(name, base, wakePolicy, PlatformWorkers.defaultFactory());
  }

  private ThreadsCrawler(
      String name, OkHttpClient base, IdleWorkers.Policy wakePolicy, ThreadFactory threads) {
    this.name = name;
    this.base = Objects.requireNonNull(base, "base");
    this.wakePolicy = wakePolicy;
    this.platformThreads = threads;
  }

  /** Engine {@code threads}: N platform threads with blocking OkHttp calls. */
  public static ThreadsCrawler platform() {
    return platform(new OkHttpClient());
  }

  /**
   * Engine {@code threads} over a client derived from {@code base}; its connection pool and
   * dispatcher are not used (each crawl has its own), the rest of its settings are.
   */
  public static ThreadsCrawler platform(OkHttpClient base) {
    return new ThreadsCrawler("threads", base, IdleWorkers.Policy.RELAY);
  }

  /** Engine {@code virtual}: one virtual thread per request, N at most, blocking OkHttp calls. */
  public static ThreadsCrawler virtual() {
    return virtual(new OkHttpClient());
  }

  /** Engine {@code virtual} over a client derived from {@code base}, as {@link #platform}. */
  public static ThreadsCrawler virtual(OkHttpClient base) {
    return new ThreadsCrawler("virtual", base, IdleWorkers.Policy.SIGNAL);
  }

  /** The platform engine with another wake-up policy, to measure what the relay saves. */
  static ThreadsCrawler platform(IdleWorkers.Policy wakePolicy) {
    return new ThreadsCrawler("threads", new OkHttpClient(), wakePolicy);
  }

  /**
   * The platform engine with its workers made by {@code threads}: to test what happens when the JVM
   * cannot start the Nth thread without exhausting the machine.
   */
  static ThreadsCrawler platform(ThreadFactory threads) {
    return new ThreadsCrawler("threads", new OkHttpClient(), IdleWorkers.Policy.RELAY, threads);
  }

  /** {@code threads} or {@code virtual}. */
  @Override
  public String name() {
    return name;
  }

  /** Starts the crawl on new threads and returns at once. */
  @Override
  public RunningCrawl start(CrawlConfig config, PageListener listener, SessionOpener sessions) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(listener, "listener");
    OkHttpFetcher.checkPolicy(name, config.fetch());
    CrawlSession session = sessions.open(name, config, listener);
    OkHttpFetcher fetcher = OkHttpFetcher.create(base, session, "duocrawl-" + name + "-");
    CrawlRun run = new CrawlRun(session, fetcher);
    IdleWorkers idle = new IdleWorkers(session, wakePolicy);
    session.onWake(idle::wake);
    if (name.equals("virtual")) {
      VirtualDispatcher.start(run, idle);
    } else {
      PlatformWorkers.start(run, idle, platformThreads);
    }
    return run;
  }

  @Override
  public String toString() {
    return "ThreadsCrawler[" + name + "]";
  }
}
