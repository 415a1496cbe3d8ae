package io.duocrawl.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start another JVM running this same program: the same java binary, the same class path
 * (the shaded jar, or the test class path), the JVM flags this one was started with, plus extras.
 * Used for the fixture server and for each measured crawl, so that CPU time, RSS and thread counts
 * are those of one process doing one thing.
 */
final class ChildJvm {
  private ChildJvm() {}

  /** {@code java [flags] -cp CLASSPATH io.duocrawl.cli.Main}; append the arguments. */
  static List<String> command(List<String> extraJvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(inheritedOptions());
    command.addAll(extraJvmOptions);
    // The light fixture server loads Netty's native epoll library: allowed without JDK 24+'s
    // restricted-method warning (the launcher's jar says so in its manifest).
    command.add("--enable-native-access=ALL-UNNAMED");
    // Child JVMs talk through files and marker lines; keep their logging to warnings.
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    return command;
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The heap, stack, GC and other {@code -X}/{@code -XX:} flags of this JVM, so a child measures
   * under the flags the launcher chose; agents, debug and module flags are not passed on.
   */
  static List<String> inheritedOptions() {
    List<String> options = new ArrayList<>();
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if ((arg.startsWith("-XX:")
              || arg.startsWith("-Xss")
              || arg.startsWith("-Xmx")
              || arg.startsWith("-Xms"))
          && !arg.contains("Agent")) {
        options.add(arg);
      }
    }
    return options;
  }
}
