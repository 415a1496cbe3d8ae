package io.duocrawl.cli;

/** The exit codes of {@code duocrawl}; documented in {@code --help} and docs/cli.md. */
final class ExitCode {
  private ExitCode() {}

  /** The command did what was asked (failed URLs are outcomes, not errors). */
  static final int OK = 0;

  /** The command could not finish: an output file could not be written, a child JVM failed. */
  static final int FAILURE = 1;

  /** Bad input: unknown option or engine, bad value, unreadable seed file, no seeds. */
  static final int USAGE = 2;

  /** Interrupted by Ctrl-C (SIGINT); partial output and report were written. 128 + SIGINT. */
  static final int INTERRUPTED = 130;

  /**
   * Stopped by SIGTERM ({@code timeout}, systemd, container runtimes): handled like Ctrl-C, and the
   * JVM exits with 128 + SIGTERM.
   */
  static final int TERMINATED = 143;

  /** The exit-code section of every command's help. */
  static final String[] HELP = {
    "0:Success (failed URLs are outcomes in the report, not errors).",
    "1:Failure: an output could not be written, a crawl or a child JVM failed.",
    "2:Usage error: unknown option or engine, bad value, unreadable seed file, no seeds.",
    "130:Interrupted (Ctrl-C): crawling stopped, partial pages and report were written.",
    "143:Terminated (SIGTERM): as for Ctrl-C."
  };
}
