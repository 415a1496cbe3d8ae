package io.duocrawl.common.fetch;

import java.util.Objects;

/**
 * Thrown when a crawl starts on an engine that cannot honour a {@link FetchPolicy} setting: the
 * crawl does not start, rather than giving another outcome than the other engines would.
 */
public final class UnsupportedPolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The setting, as {@code fetch.<component>}. */
  private final String setting;

  /**
   * @param engine the engine id
   * @param setting the setting, as {@code fetch.<component>}
   * @param why what the engine cannot do
   */
  public UnsupportedPolicyException(String engine, String setting, String why) {
    super("engine " + engine + " cannot honour " + setting + ": " + why);
    this.setting = Objects.requireNonNull(setting, "setting");
  }

  /** The setting the engine cannot honour, as {@code fetch.<component>}. */
  public String setting() {
    return setting;
  }
}
