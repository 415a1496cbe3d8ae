/**
 * Sitemaps as a source of URLs: {@link io.duocrawl.common.sitemap.SitemapPolicy} says which to read
 * (given URLs, the {@code Sitemap:} lines of robots.txt) and the caps that bound each; {@link
 * io.duocrawl.common.sitemap.SitemapOutcome} is what came of each, and {@link
 * io.duocrawl.common.sitemap.SitemapRead} the report's line for each. The session fetches them
 * through the engine, like robots.txt, and offers their URLs through the same path as links.
 */
@NullMarked
package io.duocrawl.common.sitemap;

import org.jspecify.annotations.NullMarked;
