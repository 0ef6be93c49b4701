package dev.negbench.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a JSON settings file (generator and simulator profiles) field by field: every error names
 * the file and the dotted field and says what was expected, and unknown fields are errors (a typo
 * must not silently fall back to a default).
 */
final class JsonFields {
  private final Path file;

  JsonFields(Path file) {
    this.file = file;
  }

  ObjectNode readObject() {
    JsonNode root;
    try {
      root = Json.PLAIN.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(file, 0, "file not found");
    } catch (JsonProcessingException e) {
      throw new DatasetFormatException(
          file,
          e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          "expected a JSON object: " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (root == null || !root.isObject()) {
      throw new DatasetFormatException(file, 0, "expected a JSON object");
    }
    return (ObjectNode) root;
  }

  DatasetFormatException error(String field, String expected) {
    return new DatasetFormatException(file, 0, "field \"" + field + "\": " + expected);
  }

  void onlyKnown(JsonNode node, String prefix, Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw error(prefix + name, "unknown field; expected one of " + new TreeSet<>(known));
      }
    }
  }

  JsonNode object(JsonNode node, String prefix, String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Json.PLAIN.createObjectNode();
    }
    if (!v.isObject()) {
      throw error(prefix + name, "expected an object");
    }
    return v;
  }

  String string(JsonNode node, String prefix, String name, String fallback) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw error(prefix + name, "expected a string, found " + v);
    }
    return v.asText();
  }

  boolean bool(JsonNode node, String prefix, String name, boolean fallback) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw error(prefix + name, "expected true or false, found " + v);
    }
    return v.asBoolean();
  }

  /** A number within [min, max]; null in the file gives {@code fallback} (which may be null). */
  Double number(
      JsonNode node, String prefix, String name, Double fallback, double min, double max) {
    JsonNode v = node.get(name);
    if (v == null) {
      return fallback;
    }
    if (v.isNull()) {
      return null;
    }
    if (!v.isNumber()
        || !Double.isFinite(v.asDouble())
        || v.asDouble() < min
        || v.asDouble() > max) {
      throw error(
          prefix + name, "expected a number in [" + fmt(min) + ", " + fmt(max) + "], found " + v);
    }
    return v.asDouble();
  }

  double number(
      JsonNode node, String prefix, String name, double fallback, double min, double max) {
    Double d = number(node, prefix, name, (Double) fallback, min, max);
    if (d == null) {
      throw error(prefix + name, "expected a number, found null");
    }
    return d;
  }

  Long integer(JsonNode node, String prefix, String name, Long fallback, long min, long max) {
    JsonNode v = node.get(name);
    if (v == null) {
      return fallback;
    }
    if (v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      throw error(prefix + name, "expected an integer in [" + min + ", " + max + "], found " + v);
    }
    return v.asLong();
  }

  int integer(JsonNode node, String prefix, String name, int fallback, int min, int max) {
    Long l = integer(node, prefix, name, (Long) (long) fallback, min, max);
    if (l == null) {
      throw error(prefix + name, "expected an integer, found null");
    }
    return l.intValue();
  }

  /** A path relative to the profile file's folder. */
  Path path(JsonNode node, String prefix, String name) {
    String s = string(node, prefix, name, null);
    if (s == null || s.isEmpty()) {
      return null;
    }
    Path p = Path.of(s);
    Path dir = file.toAbsolutePath().getParent();
    return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
