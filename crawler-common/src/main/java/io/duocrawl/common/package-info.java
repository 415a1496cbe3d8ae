/**
 * duocrawl's embeddable crawler core: configuration, outcomes, and the {@link
 * io.duocrawl.common.Crawler} interface every engine implements.
 *
 * <p>Feature packages below this one: {@code url} (normalization and scope), {@code parse} (Jsoup
 * page parsing), {@code robots}, {@code frontier} (the URL frontier), {@code session} (the one door
 * an engine talks to) and {@code report} (statistics and reports). This module has no HTTP client,
 * no Reactor and no thread pools: engines own the waiting.
 */
@NullMarked
package io.duocrawl.common;

import org.jspecify.annotations.NullMarked;
