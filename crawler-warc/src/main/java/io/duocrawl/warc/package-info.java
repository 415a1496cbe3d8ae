/**
 * WARC files of a crawl: {@link io.duocrawl.warc.WarcArchive} listens to every exchange of a crawl
 * session ({@code CrawlSession.onExchange}) and writes it as a {@code request} and a {@code
 * response} record, through jwarc. See docs/warc.md for the files, the records and their fields.
 */
@NullMarked
package io.duocrawl.warc;

import org.jspecify.annotations.NullMarked;
