package dev.negbench.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** Reads JSONL files one object a line, with errors that name the file and the line. */
public final class JsonLines {

  private JsonLines() {}

  /** Receives each object with the reader positioned on its line, for error messages. */
  @FunctionalInterface
  public interface RowHandler {
    void accept(TextLines lines, JsonNode row);
  }

  /** Calls {@code handler} for every non-blank line; returns how many there were. */
  public static long forEachObject(Path file, RowHandler handler) {
    long count = 0;
    try (TextLines lines = TextLines.open(file)) {
      String line;
      while ((line = lines.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = Json.PLAIN.readTree(line);
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
        handler.accept(lines, node);
        count++;
      }
    }
    return count;
  }

  public static String requiredString(TextLines lines, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw lines.error("expected a string field \"" + field + "\"");
    }
    return value.asText();
  }

  public static String optionalString(TextLines lines, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw lines.error("expected field \"" + field + "\" to be a string");
    }
    return value.asText();
  }
}
