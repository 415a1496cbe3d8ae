/**
 * HTML parsing: {@link io.duocrawl.common.parse.PageParser} decodes a response body with the right
 * charset, parses it with Jsoup and finds what a crawler needs in it, as a {@link
 * io.duocrawl.common.parse.ParsedPage}.
 */
@NullMarked
package io.duocrawl.common.parse;

import org.jspecify.annotations.NullMarked;
