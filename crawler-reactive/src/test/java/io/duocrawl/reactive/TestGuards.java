package io.duocrawl.reactive;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import reactor.blockhound.BlockHound;

/**
 * Installs, once per test JVM and before any Netty buffer class is loaded, the two guards the whole
 * suite runs under, and records what they find so {@link GuardsCheck} can fail a test class:
 *
 * <ul>
 *   <li>Netty's leak detector (level PARANOID, set by the pom) with a factory whose detectors
 *       record every leak they report, instead of only logging it;
 *   <li>BlockHound, recording (and throwing for) every blocking call on a non-blocking thread:
 *       Netty event loops, Reactor's parallel threads, the engine's parse threads.
 * </ul>
 *
 * <p>BlockHound allowances, each a call that cannot wait on the network or a device: reading {@code
 * /proc/self/status} for the RSS sample (procfs is answered from kernel memory), and the in-memory
 * frontier's lock, held for tens of nanoseconds around field updates (a contended acquire parks the
 * thread briefly; that is a CPU handoff, not blocking I/O).
 */
public final class TestGuards implements LauncherSessionListener {
  static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  static final List<String> BLOCKING_CALLS = new CopyOnWriteArrayList<>();
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    install();
  }

  static void install() {
    if (!INSTALLED.compareAndSet(false, true)) {
      return;
    }
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    BlockHound.install(
        builder ->
            builder
                .allowBlockingCallsInside(
                    "io.duocrawl.common.report.ResourceProbe$JvmProbe", "rssBytes")
                .with(TestGuards::allowFrontierLock)
                .allowBlockingCallsInside(
                    "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
                // Netty's GlobalEventExecutor runs Netty's own housekeeping (shutdown of event
                // loops and pools after a crawl), never the crawl pipeline; it parks there by
                // design, and BlockHound flagged it intermittently at crawl end.
                .nonBlockingThreadPredicate(
                    current -> current.and(t -> !t.getName().startsWith("globalEventExecutor")))
                // Record, do not throw: an error thrown from inside a lock acquisition (Netty's
                // allocator, a JDK lock) corrupts that lock and turns one finding into hung
                // threads elsewhere. GuardsCheck fails the test class on any record.
                .blockingMethodCallback(
                    method ->
                        BLOCKING_CALLS.add(Thread.currentThread().getName() + ": " + method)));
  }

  private static BlockHound.Builder allowFrontierLock(BlockHound.Builder builder) {
    for (String method :
        List.of(
            "offer",
            "retryLater",
            "poll",
            "complete",
            "nanosUntilReady",
            "isExhausted",
            "pauseHost",
            "resumeHost",
            "delayHost",
            "counts",
            "drain")) {
      builder.allowBlockingCallsInside("io.duocrawl.common.frontier.InMemoryFrontier", method);
    }
    // The session's robots.txt registry: locks held around a few field updates, as the frontier's.
    for (String method : List.of("accepted", "refetch", "next", "nanosUntilDue", "complete")) {
      builder.allowBlockingCallsInside("io.duocrawl.common.session.RobotsRegistry", method);
    }
    return builder;
  }

  /**
   * Makes the detector look at buffers that became unreachable: a few collections, each followed by
   * tracked allocations (a detector reports only when it tracks a new buffer).
   */
  static void provokeLeakReports() {
    for (int i = 0; i < 4; i++) {
      System.gc();
      ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(16);
      ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.buffer(16);
      pooled.release();
      unpooled.release();
    }
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new ResourceLeakDetector<T>(resource, samplingInterval) {
        @Override
        protected void reportTracedLeak(String resourceType, String records) {
          LEAKS.add(resourceType + records);
          super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
          LEAKS.add(resourceType);
          super.reportUntracedLeak(resourceType);
        }
      };
    }
  }
}
