/** Module root package of crawler-common. */
package io.duocrawl.common;
