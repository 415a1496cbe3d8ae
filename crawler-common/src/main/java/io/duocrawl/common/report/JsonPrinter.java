package io.duocrawl.common.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.Instantiatable;
import java.io.IOException;

/**
 * The report's layout for Jackson's generator: two-space indentation, {@code "name": value}, {@code
 * {}} for an empty object, and arrays of plain values on one line ({@code [12, 80, 95]}: a timeline
 * of thousands of seconds should not take thousands of lines) while arrays of objects or arrays
 * break like objects.
 *
 * <p>Whether an array stays on one line is decided by its first element: the printer writes nothing
 * before it and, when the element turns out to be an object or an array (the generator calls {@link
 * #writeStartObject} or {@link #writeStartArray} before writing its bracket), writes the line break
 * then. Stateful: one instance per generator ({@link #createInstance()}).
 */
final class JsonPrinter implements PrettyPrinter, Instantiatable<JsonPrinter> {
  private static final int MAX_DEPTH = 64;

  /** Per open array: 0 undecided (no element yet), 1 one line, 2 broken. */
  private final byte[] arrayMode = new byte[MAX_DEPTH];

  private final boolean[] isArray = new boolean[MAX_DEPTH];
  private int depth;
  private boolean firstPending;

  @Override
  public JsonPrinter createInstance() {
    return new JsonPrinter();
  }

  @Override
  public void writeRootValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw('\n');
  }

  @Override
  public void writeStartObject(JsonGenerator g) throws IOException {
    breakBeforeFirstElement(g);
    g.writeRaw('{');
    open(false);
  }

  @Override
  public void beforeObjectEntries(JsonGenerator g) throws IOException {
    newline(g);
  }

  @Override
  public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw(": ");
  }

  @Override
  public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
    g.writeRaw(',');
    newline(g);
  }

  @Override
  public void writeEndObject(JsonGenerator g, int entries) throws IOException {
    depth--;
    if (entries > 0) {
      newline(g);
    }
    g.writeRaw('}');
  }

  @Override
  public void writeStartArray(JsonGenerator g) throws IOException {
    breakBeforeFirstElement(g);
    g.writeRaw('[');
    open(true);
  }

  @Override
  public void beforeArrayValues(JsonGenerator g) {
    // Nothing yet: a plain value follows on this line, an object or array breaks it first.
    firstPending = true;
  }

  @Override
  public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
    decideOneLine();
    if (arrayMode[depth] == 1) {
      g.writeRaw(", ");
    } else {
      g.writeRaw(',');
      newline(g);
    }
  }

  @Override
  public void writeEndArray(JsonGenerator g, int values) throws IOException {
    decideOneLine();
    boolean broken = arrayMode[depth] == 2;
    depth--;
    if (values > 0 && broken) {
      newline(g);
    }
    g.writeRaw(']');
  }

  private void open(boolean array) {
    depth++;
    if (depth >= MAX_DEPTH) {
      throw new IllegalStateException("JSON nested deeper than " + MAX_DEPTH);
    }
    isArray[depth] = array;
    arrayMode[depth] = 0;
  }

  /** An object or array as the first element of an array: that array breaks, starting here. */
  private void breakBeforeFirstElement(JsonGenerator g) throws IOException {
    if (firstPending && isArray[depth]) {
      firstPending = false;
      arrayMode[depth] = 2;
      newline(g);
    }
  }

  /** A first element that was a plain value (nothing was called for it): one line. */
  private void decideOneLine() {
    firstPending = false;
    if (arrayMode[depth] == 0) {
      arrayMode[depth] = 1;
    }
  }

  private void newline(JsonGenerator g) throws IOException {
    g.writeRaw('\n');
    for (int i = 0; i < depth; i++) {
      g.writeRaw("  ");
    }
  }
}
