package io.duocrawl.cli;

/**
 * Bad input from the user (a value out of range, an unreadable file, an unknown engine): reported
 * as one line on stderr and exit code {@link ExitCode#USAGE}, never as a stack trace.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
