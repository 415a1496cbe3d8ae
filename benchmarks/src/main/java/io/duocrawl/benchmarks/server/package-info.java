/**
 * Benchmarks of the fixture servers, {@code main}s, not tests: what the light Netty server and
 * WireMock cost per request ({@link io.duocrawl.benchmarks.server.ServerCostBenchmark}) and the
 * WireMock site's in-process ceiling ({@link io.duocrawl.benchmarks.server.CeilingBenchmark}). See
 * docs/fixtures-benchmark.md.
 */
package io.duocrawl.benchmarks.server;
