/** Module root package of benchmarks. */
package io.duocrawl.benchmarks;
