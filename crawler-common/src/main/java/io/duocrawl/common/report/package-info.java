/**
 * Crawl statistics and reports: {@link io.duocrawl.common.report.CrawlStats} counts while a crawl
 * runs (lock-free on the hot path), {@link io.duocrawl.common.report.CrawlStats#snapshot} freezes
 * the counts into an immutable {@link io.duocrawl.common.report.CrawlReport}, and {@link
 * io.duocrawl.common.report.ReportFormat} renders one or more reports as a text table, JSON or
 * Markdown.
 */
@NullMarked
package io.duocrawl.common.report;

import org.jspecify.annotations.NullMarked;
