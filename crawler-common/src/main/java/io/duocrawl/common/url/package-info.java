/**
 * URL canonicalization and crawl scope.
 *
 * <p>{@link io.duocrawl.common.url.UrlNormalizer} turns absolute URLs and raw {@code href}s into
 * the one canonical form the frontier deduplicates on, or says why it cannot ({@link
 * io.duocrawl.common.url.UrlCheck}); {@link io.duocrawl.common.url.BaseUrl} is a page's base parsed
 * once to resolve all its links; {@link io.duocrawl.common.url.Scope} decides whether a canonical
 * URL belongs to the crawl. Everything else in this package is package-private.
 */
@NullMarked
package io.duocrawl.common.url;

import org.jspecify.annotations.NullMarked;
