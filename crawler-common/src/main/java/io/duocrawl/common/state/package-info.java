/**
 * Durable crawl state: a crawl that survives kill -9 and resumes with nothing lost. {@link
 * io.duocrawl.common.state.CrawlState} is the whole public face: open a state directory for a
 * config, start any engine over {@link io.duocrawl.common.state.CrawlState#sessions()}, and read
 * the cumulative report. The on-disk format is documented, field by field, in {@code StateFormat}
 * (and docs/resume.md); everything else here is package-private.
 */
@NullMarked
package io.duocrawl.common.state;

import org.jspecify.annotations.NullMarked;
