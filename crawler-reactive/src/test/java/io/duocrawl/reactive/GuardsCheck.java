package io.duocrawl.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class of the module (extension auto-detection): after the class, no
 * Netty buffer may have leaked and no blocking call may have run on a non-blocking thread.
 */
public final class GuardsCheck implements AfterAllCallback {
  static {
    // In case the launcher did not call TestGuards first (an IDE running one class).
    TestGuards.install();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestGuards.provokeLeakReports();
    assertThat(TestGuards.LEAKS).as("Netty buffer leaks reported").isEmpty();
    assertThat(TestGuards.BLOCKING_CALLS).as("blocking calls on non-blocking threads").isEmpty();
  }
}
