package io.duocrawl.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process with captured output. */
final class Cli {
  private Cli() {}

  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) {
    return run(Interrupts.none(), args);
  }

  /** Runs and checks that the command succeeded; its stderr is the failure message otherwise. */
  static Result ok(String... args) {
    Result result = run(args);
    org.assertj.core.api.Assertions.assertThat(result.exitCode()).as(result.err()).isZero();
    return result;
  }

  static Result run(Interrupts interrupts, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.execute(args, o, e, interrupts, false);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
