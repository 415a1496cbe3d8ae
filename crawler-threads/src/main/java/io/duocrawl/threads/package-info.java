/** Module root package of crawler-threads. */
package io.duocrawl.threads;
