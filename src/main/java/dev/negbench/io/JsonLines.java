package dev.negbench.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Reads JSONL files one object a line, with errors that name the file and the line. */
public final class JsonLines {
  /** Files already warned about, so that a corpus read by several stages warns once. */
  private static final Set<Path> WARNED_NON_FINITE = ConcurrentHashMap.newKeySet();

  private JsonLines() {}

  /** Receives each object with the reader positioned on its line, for error messages. */
  @FunctionalInterface
  public interface RowHandler {
    void accept(TextLines lines, JsonNode row);
  }

  /** Calls {@code handler} for every non-blank line; returns how many there were. */
  public static long forEachObject(Path file, RowHandler handler) {
    return forEach(file, false, handler);
  }

  /**
   * {@link #forEachObject} for JSON lines that Python's {@code json} wrote (BEIR's corpus and
   * queries): {@code NaN}, {@code Infinity} and {@code -Infinity} are read as numbers. The first
   * line that holds one in a field the handler let pass gets one warning on stderr, once per file
   * in this process; a field the handler reads as a string still rejects them.
   */
  public static long forEachObjectAllowingNaN(Path file, RowHandler handler) {
    return forEach(file, true, handler);
  }

  private static long forEach(Path file, boolean allowNaN, RowHandler handler) {
    long count = 0;
    // After the first line with a NaN, this pass searches no more: the rest reads as before.
    boolean lookForNaN = allowNaN;
    try (TextLines lines = TextLines.open(file)) {
      String line;
      while ((line = lines.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = allowNaN ? Json.PYTHON_READER.readTree(line) : Json.PLAIN.readTree(line);
        } catch (JsonProcessingException e) {
          throw new DatasetFormatException(
              file,
              lines.lineNumber(),
              "expected one JSON object per line: " + e.getOriginalMessage(),
              e);
        }
        if (node == null || !node.isObject()) {
          throw lines.error("expected one JSON object per line");
        }
        // The handler first: a NaN where it wants a string is an error, not a warning.
        handler.accept(lines, node);
        if (lookForNaN) {
          Map.Entry<String, String> found = nonFinite(node);
          if (found != null) {
            lookForNaN = false;
            warnNonFinite(file, lines.lineNumber(), found);
          }
        }
        count++;
      }
    }
    return count;
  }

  /**
   * The first NaN or infinite number in {@code node}: its path ({@code .metadata.x}, {@code
   * .scores[2]}) and value, or null.
   */
  private static Map.Entry<String, String> nonFinite(JsonNode node) {
    if (node.isFloatingPointNumber()) {
      return Double.isFinite(node.doubleValue()) ? null : Map.entry("", node.asText());
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        Map.Entry<String, String> inner = nonFinite(field.getValue());
        if (inner != null) {
          return Map.entry("." + field.getKey() + inner.getKey(), inner.getValue());
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Map.Entry<String, String> inner = nonFinite(node.get(i));
        if (inner != null) {
          return Map.entry("[" + i + "]" + inner.getKey(), inner.getValue());
        }
      }
    }
    return null;
  }

  private static void warnNonFinite(Path file, long line, Map.Entry<String, String> found) {
    if (WARNED_NON_FINITE.add(file.toAbsolutePath().normalize())) {
      System.err.println(
          "warning: "
              + file
              + ":"
              + line
              + ": "
              + found.getValue()
              + " in \""
              + found.getKey().substring(1)
              + "\", as Python's json writes it: read on, as negbench does not use that field"
              + " (later such lines in this file are not reported)");
    }
  }

  /** How a value that was not the expected kind reads in an error: {@code NaN}, {@code 5}. */
  public static String describe(JsonNode value) {
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "an array";
    }
    return value.isTextual() ? "\"" + value.asText() + "\"" : value.asText();
  }

  public static String requiredString(TextLines lines, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw lines.error("expected a string field \"" + field + "\"");
    }
    if (!value.isTextual()) {
      throw lines.error("expected a string field \"" + field + "\", found " + describe(value));
    }
    return value.asText();
  }

  public static String optionalString(TextLines lines, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw lines.error(
          "expected field \"" + field + "\" to be a string, found " + describe(value));
    }
    return value.asText();
  }
}
