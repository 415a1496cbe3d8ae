package io.duocrawl.common.parse;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Optional;

/** Reading a {@code Content-Type} header: media type and {@code charset} parameter. */
final class ContentTypes {
  private ContentTypes() {}

  /** The media type in lower case, without parameters; {@code ""} for an absent header. */
  static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    String type = semi < 0 ? contentType : contentType.substring(0, semi);
    return type.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * The encoding the {@code charset} parameter names, read as a WHATWG Encoding Standard label
   * ({@code iso-8859-1} is windows-1252). An unknown or garbled label gives empty, so the body's
   * own declaration is used instead of failing the page.
   */
  static Optional<Charset> charset(String contentType) {
    int semi = contentType.indexOf(';');
    while (semi >= 0) {
      int next = contentType.indexOf(';', semi + 1);
      String param = contentType.substring(semi + 1, next < 0 ? contentType.length() : next);
      int eq = param.indexOf('=');
      if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("charset")) {
        return lookup(unquote(param.substring(eq + 1).strip()));
      }
      semi = next;
    }
    return Optional.empty();
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.charAt(0) == '"' || value.charAt(0) == '\'')
        && value.charAt(value.length() - 1) == value.charAt(0)) {
      return value.substring(1, value.length() - 1).strip();
    }
    return value;
  }

  private static Optional<Charset> lookup(String name) {
    return Encodings.forLabel(name);
  }
}
