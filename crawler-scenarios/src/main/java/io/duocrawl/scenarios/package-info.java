/**
 * The engine-independent scenario suite: {@link io.duocrawl.scenarios.CrawlerScenarioTest} holds
 * the behaviour every engine must show against the fixture sites' ground truth. It is main code of
 * this test-only module so that every engine module runs it by subclassing it in its own tests (a
 * test-scoped dependency), and no engine's test jar carries another engine's suite.
 */
package io.duocrawl.scenarios;
