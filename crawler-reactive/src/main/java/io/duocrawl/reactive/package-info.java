/** Module root package of crawler-reactive. */
package io.duocrawl.reactive;
