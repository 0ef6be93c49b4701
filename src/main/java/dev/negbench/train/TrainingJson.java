package dev.negbench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON files of a training run ({@code training.json}, a checkpoint's {@code state.json}):
 * pretty-printed, written atomically; one that is missing or unreadable counts as absent, so the
 * run starts over rather than fails.
 */
final class TrainingJson {
  private TrainingJson() {}

  /** The tree in {@code file}, or null when it is missing or unreadable. */
  static JsonNode read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Json.PLAIN.readTree(file.toFile());
    } catch (IOException e) {
      return null; // unreadable: treated as absent, the run starts over
    }
  }

  static void write(Path file, ObjectNode node) {
    try {
      AtomicFiles.writeString(
          file, Json.PLAIN.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
