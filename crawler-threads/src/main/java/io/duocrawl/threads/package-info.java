/**
 * Engines {@code threads} and {@code virtual}: blocking OkHttp calls on platform threads or on
 * virtual threads. The public face is {@link io.duocrawl.threads.ThreadsCrawler}; everything else
 * is package-private. The engines know how to fetch and how to wait, and nothing about URLs,
 * redirects, retries or robots: those are the core's ({@code io.duocrawl.common.session}).
 */
@NullMarked
package io.duocrawl.threads;

import org.jspecify.annotations.NullMarked;
