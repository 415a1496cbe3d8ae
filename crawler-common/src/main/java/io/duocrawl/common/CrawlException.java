package io.duocrawl.common;

/**
 * A crawl that cannot go on (a bug or an exhausted resource), as opposed to a failed URL, which is
 * an {@link Outcome} and never an exception.
 */
public class CrawlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message and the cause. */
  public CrawlException(String message, Throwable cause) {
    super(message, cause);
  }

  /** With a message. */
  public CrawlException(String message) {
    super(message);
  }
}
