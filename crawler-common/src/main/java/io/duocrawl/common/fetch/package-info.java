/**
 * How engines speak HTTP: {@link io.duocrawl.common.fetch.FetchPolicy}, the rules every engine
 * applies to its client (header limit, duplicate headers, encodings, framing, fixed host
 * addresses), and {@link io.duocrawl.common.fetch.ResponseHead}, the status line and every header
 * of a response as each engine hands it to the core.
 */
@NullMarked
package io.duocrawl.common.fetch;

import org.jspecify.annotations.NullMarked;
