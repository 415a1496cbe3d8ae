package io.duocrawl.redis;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Gives tests a real 3-master Redis Cluster ({@link LocalRedisCluster}), started once per module
 * run and stopped when the run ends; inject it as a {@code LocalRedisCluster} parameter, or inject
 * a {@link FrontierStore} connected to it (closed when the context it was injected in ends: the
 * test class for a {@code @BeforeAll} parameter). Without {@code redis-server} on the PATH the
 * tests are skipped with one line saying how to install it — except under {@code CI=true}, where
 * they fail instead.
 */
public final class RedisClusterExtension implements BeforeAllCallback, ParameterResolver {
  static final String MISSING =
      "redis-server not found: the Redis Cluster tests are skipped (apt-get install redis-server)";

  private static final AtomicBoolean told = new AtomicBoolean();

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalRedisCluster.class || type == FrontierStore.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == LocalRedisCluster.class) {
      return cluster(context);
    }
    String uri = cluster(context).uri();
    return context
        .getStore(ExtensionContext.Namespace.create(RedisClusterExtension.class))
        .getOrComputeIfAbsent(
            "store", key -> new ClosingStore(FrontierStore.connect(uri)), ClosingStore.class)
        .store();
  }

  static LocalRedisCluster cluster(ExtensionContext context) {
    if (!LocalRedisCluster.available()) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(
            "redis-server not found and CI=true: install it (apt-get install redis-server)");
      }
      if (told.compareAndSet(false, true)) {
        System.err.println(MISSING);
      }
      throw new TestAbortedException(MISSING);
    }
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(RedisClusterExtension.class))
        .getOrComputeIfAbsent(
            "cluster",
            key -> {
              try {
                return new Closing(LocalRedisCluster.start());
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            Closing.class)
        .cluster();
  }

  /** Closes an injected store when its context ends. */
  private record ClosingStore(FrontierStore store)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      store.close();
    }
  }

  /** Stops the cluster when the root store closes, at the end of the run. */
  private record Closing(LocalRedisCluster cluster)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }
}
