package io.duocrawl.common.report;

/**
 * A minimal streaming JSON writer: objects, arrays, strings, numbers, booleans, null;
 * pretty-printed with two-space indentation, except arrays begun with {@link #beginInlineArray()},
 * which stay on one line (a timeline of thousands of seconds should not take thousands of lines).
 *
 * <p>Why not Jackson or Gson: crawler-common is embedded in other people's applications, and a JSON
 * library is a dependency every embedder would inherit (and might have to reconcile with its own
 * version) for the sake of writing one small report. Writing is the easy half of JSON; this class
 * is the whole of it, and it gets the parts that are easy to get wrong right: strings escape
 * quotes, backslashes, every control character, U+2028/U+2029 (legal JSON but line breaks to
 * JavaScript) and unpaired surrogates (which no UTF-8 encoder can write); non-finite doubles, which
 * JSON cannot express, are written as {@code null}.
 *
 * <p>Not thread-safe; the caller writes well-formed sequences (a name before each object member).
 */
final class JsonWriter {
  private static final int MAX_DEPTH = 32;

  private final StringBuilder out = new StringBuilder();
  private final boolean[] hasMembers = new boolean[MAX_DEPTH];
  private final boolean[] inline = new boolean[MAX_DEPTH];
  private int depth;
  private boolean afterName;

  JsonWriter beginObject() {
    return open('{', false);
  }

  JsonWriter endObject() {
    return close('}');
  }

  JsonWriter beginArray() {
    return open('[', false);
  }

  JsonWriter beginInlineArray() {
    return open('[', true);
  }

  JsonWriter endArray() {
    return close(']');
  }

  JsonWriter name(String name) {
    separate();
    string(name);
    out.append(": ");
    afterName = true;
    return this;
  }

  JsonWriter value(String value) {
    separate();
    string(value);
    return this;
  }

  JsonWriter value(long value) {
    separate();
    out.append(value);
    return this;
  }

  JsonWriter value(double value) {
    separate();
    out.append(Double.isFinite(value) ? Double.toString(value) : "null");
    return this;
  }

  JsonWriter value(boolean value) {
    separate();
    out.append(value);
    return this;
  }

  JsonWriter nullValue() {
    separate();
    out.append("null");
    return this;
  }

  /** The JSON written so far. */
  @Override
  public String toString() {
    return out.toString();
  }

  private JsonWriter open(char bracket, boolean oneLine) {
    separate();
    out.append(bracket);
    depth++;
    hasMembers[depth] = false;
    inline[depth] = oneLine || (depth > 1 && inline[depth - 1]);
    return this;
  }

  private JsonWriter close(char bracket) {
    boolean members = hasMembers[depth];
    boolean oneLine = inline[depth];
    depth--;
    if (members && !oneLine) {
      newline();
    }
    out.append(bracket);
    return this;
  }

  /** Writes what goes before a value or a name: nothing after a name, else a comma and a break. */
  private void separate() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth == 0) {
      return;
    }
    if (hasMembers[depth]) {
      out.append(inline[depth] ? ", " : ",");
    }
    hasMembers[depth] = true;
    if (!inline[depth]) {
      newline();
    }
  }

  private void newline() {
    out.append('\n');
    out.append("  ".repeat(depth));
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || unpairedSurrogate(s, i)) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean unpairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
