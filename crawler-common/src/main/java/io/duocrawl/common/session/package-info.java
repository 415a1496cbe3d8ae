/**
 * The one door an engine talks to: {@link io.duocrawl.common.session.CrawlSession} hands out
 * requests ready now (robots.txt included), takes back responses and errors, says when the next
 * request will be ready and when the crawl is over. Frontier, robots rules, processing and
 * statistics sit behind it, so an engine knows only how to fetch and how to wait.
 */
@NullMarked
package io.duocrawl.common.session;

import org.jspecify.annotations.NullMarked;
