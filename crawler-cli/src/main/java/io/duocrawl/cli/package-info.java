/** Module root package of crawler-cli. */
package io.duocrawl.cli;
