package io.duocrawl.redis;

/**
 * What the cluster holds for one crawl, summed over its buckets: the merged view of every worker.
 *
 * @param buckets the crawl's bucket count
 * @param accepted URLs accepted (by all workers)
 * @param queued URLs waiting for their host
 * @param delayed retries waiting for their not-before time
 * @param leased URLs leased to a worker (in flight, or in a worker's claimed batch)
 * @param done URLs completed for good
 * @param staleAcks completions and retries refused because their lease had been reclaimed
 * @param reclaimed leases that expired and went back to their queue (a worker died or was slow)
 */
public record FrontierStats(
    int buckets,
    long accepted,
    long queued,
    long delayed,
    long leased,
    long done,
    long staleAcks,
    long reclaimed) {

  /** URLs not yet done: queued, delayed or leased. */
  public long pending() {
    return queued + delayed + leased;
  }
}
