/**
 * The URL frontier: {@link io.duocrawl.common.frontier.Frontier} (what to fetch next, and when) and
 * {@link io.duocrawl.common.frontier.CrawlRequest}. Everything else here is package-private.
 */
@NullMarked
package io.duocrawl.common.frontier;

import org.jspecify.annotations.NullMarked;
