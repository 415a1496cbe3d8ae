package io.duocrawl.common;

/** Which discovered hosts a crawl follows, relative to its seeds. */
public enum ScopeMode {
  /** Only the exact hosts (and ports) of the seeds. */
  HOST,
  /**
   * Any host in the registrable domain of a seed ({@code www.example.co.uk} → {@code
   * example.co.uk}).
   */
  DOMAIN,
  /** Any host; only include/exclude patterns limit the crawl. */
  ANY
}
