package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JvmCpuTest {

  @Test
  void hotSpotsCompilerThreadsCountAsJitAndItsCollectorThreadsAsGc() {
    assertThat(JvmCpu.isJit("C2 CompilerThre")).isTrue();
    assertThat(JvmCpu.isJit("C1 CompilerThre")).isTrue();
    assertThat(JvmCpu.isGc("GC Thread#1")).isTrue();
    assertThat(JvmCpu.isGc("G1 Conc#0")).isTrue();
    assertThat(JvmCpu.isGc("G1 Refine#0")).isTrue();
    assertThat(JvmCpu.isGc("VM Thread")).isTrue();
    assertThat(JvmCpu.isGc("ZWorkerYoung#0")).isTrue();

    for (String engineThread :
        new String[] {"duocrawl-reacti", "OkHttp TaskRun", "reactor-http-ni", "main", "Zero"}) {
      assertThat(JvmCpu.isJit(engineThread) || JvmCpu.isGc(engineThread))
          .as(engineThread)
          .isFalse();
    }
  }

  @Test
  void aRunningJvmHasSpentCpuOnCompilingAndCollectingAndTheDifferenceOfTwoSamplesIsNotNegative() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc only");
    long pid = ProcessHandle.current().pid();

    JvmCpu first = JvmCpu.of(pid).orElseThrow();
    JvmCpu second = JvmCpu.of(pid).orElseThrow();

    // This test JVM has loaded and JIT-compiled JUnit, AssertJ and the module under test.
    assertThat(first.jit().plus(first.gc())).isPositive();
    assertThat(second.minus(first).jit()).isGreaterThanOrEqualTo(Duration.ZERO);
    assertThat(second.minus(first).gc()).isGreaterThanOrEqualTo(Duration.ZERO);
  }

  @Test
  void aProcessThatIsNotThereHasNoSample() {
    assertThat(JvmCpu.of(Long.MAX_VALUE)).isEmpty();
  }
}
