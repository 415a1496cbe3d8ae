package io.duocrawl.common.state;

import io.duocrawl.common.frontier.CrawlRequest;
import io.duocrawl.common.frontier.Frontier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link Frontier} whose accepted URLs survive the process: an in-memory frontier in front, a
 * {@link Journal} behind. Offers that the in-memory frontier accepts are journaled under the
 * journal's lock, and so is the attempt of every retry; polls, completes, pauses and host holds go
 * to the in-memory frontier alone (they are not state: an in-flight URL is simply queued again on
 * resume, and a host's hold is rebuilt from its next answers). Outcomes are journaled by the
 * state's listener, after the page reached the user's listener (see {@link CrawlState}).
 *
 * <p>Resumed from a loaded state: URLs done in earlier runs are in a fixed {@link FingerprintSet}
 * (an offer of one is a duplicate without touching the in-memory frontier); URLs queued at the kill
 * are offered again to the in-memory frontier, in their original order, so per-host FIFO holds; the
 * in-memory frontier's {@code maxPages} is what the earlier runs left of the budget.
 *
 * <p>{@link #counts()} is the in-memory frontier's, so {@code accepted} counts the URLs of this run
 * (new ones and those resumed), which keeps each run's report balanced on its own.
 */
final class JournaledFrontier implements Frontier {
  private final Frontier memory;
  private final Journal journal;
  private final FingerprintSet doneBefore;
  private final boolean budgetLeft;
  private final List<CrawlRequest> inherited;

  private JournaledFrontier(
      Frontier memory,
      Journal journal,
      FingerprintSet doneBefore,
      boolean budgetLeft,
      List<CrawlRequest> inherited) {
    this.memory = memory;
    this.journal = journal;
    this.doneBefore = doneBefore;
    this.budgetLeft = budgetLeft;
    this.inherited = List.copyOf(inherited);
  }

  /**
   * A journaled frontier over {@code memory} (whose {@code maxPages} must be what is left of the
   * budget), with the URLs done and queued in earlier runs.
   */
  static JournaledFrontier resume(
      Frontier memory,
      Journal journal,
      FingerprintSet done,
      List<CrawlRequest> queued,
      boolean budgetLeft) {
    Map<String, CrawlRequest> firstOfHost = new LinkedHashMap<>();
    for (CrawlRequest request : queued) {
      if (memory.offer(request) != Offer.ACCEPTED) {
        throw new IllegalStateException("a resumed URL was not accepted again: " + request.url());
      }
      firstOfHost.putIfAbsent(request.hostKey(), request);
    }
    return new JournaledFrontier(
        memory, journal, done, budgetLeft, new ArrayList<>(firstOfHost.values()));
  }

  @Override
  public Offer offer(CrawlRequest request) {
    if (doneBefore.size() > 0 && doneBefore.contains(Frontier.fingerprint(request.url()))) {
      return Offer.DUPLICATE;
    }
    if (!budgetLeft) {
      return Offer.MAX_PAGES;
    }
    return journal.accept(request, () -> memory.offer(request));
  }

  @Override
  public List<Offer> offerAll(List<CrawlRequest> requests) {
    if (doneBefore.size() > 0 || !budgetLeft) {
      return Frontier.super.offerAll(requests);
    }
    return journal.acceptAll(requests, () -> memory.offerAll(requests));
  }

  @Override
  public List<CrawlRequest> inheritedHosts() {
    return inherited;
  }

  /**
   * Journals the attempt a retried request will make (a put-back at attempt 0, such as a request
   * held for its host's robots.txt, is not a retry and is not journaled), so that a resume gives it
   * what is left of its budget rather than a fresh one: a URL that crashes the process cannot earn
   * unlimited retries from a crash loop.
   */
  @Override
  public void retryLater(CrawlRequest request, long notBeforeNanos) {
    if (request.attempt() > 0) {
      journal.retry(request.url(), request.attempt());
    }
    memory.retryLater(request, notBeforeNanos);
  }

  @Override
  public Optional<CrawlRequest> poll() {
    return memory.poll();
  }

  @Override
  public void complete(CrawlRequest request) {
    memory.complete(request);
  }

  @Override
  public OptionalLong nanosUntilReady() {
    return memory.nanosUntilReady();
  }

  @Override
  public boolean isExhausted() {
    return memory.isExhausted();
  }

  @Override
  public void pauseHost(String hostKey) {
    memory.pauseHost(hostKey);
  }

  @Override
  public void resumeHost(String hostKey, Duration delay) {
    memory.resumeHost(hostKey, delay);
  }

  /**
   * Not journaled: a hold is a few seconds of backoff that a resumed crawl safely rebuilds from the
   * host's next answers (a 429 or a timeout holds it again).
   */
  @Override
  public void delayHost(String hostKey, long notBeforeNanos) {
    memory.delayHost(hostKey, notBeforeNanos);
  }

  @Override
  public Counts counts() {
    return memory.counts();
  }

  @Override
  public List<CrawlRequest> drain() {
    return memory.drain();
  }

  @Override
  public String toString() {
    return "JournaledFrontier[" + journal.file() + ", " + memory + "]";
  }
}
