package io.duocrawl.common.state;

import io.duocrawl.common.CrawlException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A state directory that cannot be used: in use by another process, made for another config,
 * unreadable (another format version, corrupt), or unwritable (read-only, full). The message is one
 * line meant for the user; {@link #kind()} says which case, {@link #field()} names the config field
 * of a conflict.
 */
public final class CrawlStateException extends CrawlException {
  private static final long serialVersionUID = 1L;

  /** Why a state directory cannot be used. */
  public enum Kind {
    /** Another process holds the directory's lock. */
    IN_USE,
    /** The directory holds a crawl made with another value of a field that a resume keeps. */
    CONFLICT,
    /** A state file is of another format version, or corrupt beyond a torn tail. */
    UNREADABLE,
    /** A state file could not be created or written (read-only, full, not a directory). */
    UNWRITABLE
  }

  private final Kind kind;
  private final String field;

  private CrawlStateException(Kind kind, String field, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.field = field;
  }

  static CrawlStateException inUse(String message) {
    return new CrawlStateException(Kind.IN_USE, "", message, null);
  }

  static CrawlStateException conflict(String field, String message) {
    return new CrawlStateException(Kind.CONFLICT, field, message, null);
  }

  static CrawlStateException unreadable(String message) {
    return new CrawlStateException(Kind.UNREADABLE, "", message, null);
  }

  static CrawlStateException unwritable(String message, Throwable cause) {
    return new CrawlStateException(Kind.UNWRITABLE, "", message, cause);
  }

  /** Which case this is. */
  public Kind kind() {
    return kind;
  }

  /** For {@link Kind#CONFLICT}: the {@code CrawlConfig} field that differs; empty otherwise. */
  public Optional<String> field() {
    return field.isEmpty() ? Optional.empty() : Optional.of(field);
  }
}
