/**
 * robots.txt rules per host, parsed by crawler-commons. The core decides when robots.txt is needed;
 * the engine that crawls fetches it like any other request.
 */
@NullMarked
package io.duocrawl.common.robots;

import org.jspecify.annotations.NullMarked;
