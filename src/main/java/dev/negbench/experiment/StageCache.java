package dev.negbench.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Outputs of pipeline stages, each in a folder named by a hash of everything the stage reads (input
 * checksums) and its settings: {@code ROOT/STAGE/HASH/}. A stage runs in a temporary folder beside
 * its final one; its {@code key.json} and then the {@code .done} marker are written last, and the
 * folder is renamed into place. So a folder that exists with its marker is complete, a rerun with
 * the same key skips the stage, a changed input or setting gets a new folder, and a crash leaves
 * only a temporary folder that the next run deletes and redoes.
 */
public final class StageCache {
  /** Written last into a finished stage folder. */
  public static final String DONE = ".done";

  private static final ObjectMapper CANONICAL =
      Json.PLAIN
          .copy()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);

  private final Path root;

  public StageCache(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** Writes a stage's outputs into {@code out}, an empty folder. */
  @FunctionalInterface
  public interface Body {
    void run(Path out) throws IOException;
  }

  /** A finished stage folder, and whether it was reused from an earlier run. */
  public record Entry(Path dir, String hash, boolean reused) {}

  /**
   * The folder of {@code stage} for {@code key} (a map of checksums and settings, any JSON-able
   * values), running {@code body} first when no finished folder exists.
   */
  public Entry run(String stage, Map<String, ?> key, Body body) {
    String canonical = canonical(key);
    String hash = AtomicFiles.sha256(stage + "\n" + canonical).substring(0, 20);
    Path stageDir = root.resolve(stage);
    Path dir = stageDir.resolve(hash);
    if (Files.isRegularFile(dir.resolve(DONE))) {
      return new Entry(dir, hash, true);
    }
    Path tmp = null;
    try {
      Files.createDirectories(stageDir);
      removeLeftovers(stageDir, hash);
      if (Files.exists(dir)) {
        AtomicFiles.deleteTree(dir); // no marker: not ours to trust
      }
      tmp = Files.createTempDirectory(stageDir, "." + hash + ".running.");
      body.run(tmp);
      AtomicFiles.writeString(tmp.resolve("key.json"), pretty(key));
      AtomicFiles.writeString(tmp.resolve(DONE), hash + "\n");
      AtomicFiles.move(tmp, dir);
      tmp = null;
      return new Entry(dir, hash, false);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "stage " + stage + " failed in " + (tmp == null ? dir : tmp), e);
    } finally {
      if (tmp != null) {
        try {
          AtomicFiles.deleteTree(tmp);
        } catch (IOException ignored) {
          // the next run removes it
        }
      }
    }
  }

  /** Temporary folders of a crashed earlier run of the same key. */
  private static void removeLeftovers(Path stageDir, String hash) throws IOException {
    try (DirectoryStream<Path> stale =
        Files.newDirectoryStream(stageDir, "." + hash + ".running.*")) {
      for (Path p : stale) {
        AtomicFiles.deleteTree(p);
      }
    }
  }

  /** The key as JSON with sorted map keys: equal keys give equal text. */
  static String canonical(Map<String, ?> key) {
    try {
      return CANONICAL.writeValueAsString(key);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stage key is not JSON-serialisable: " + key, e);
    }
  }

  private static String pretty(Map<String, ?> key) throws JsonProcessingException {
    return CANONICAL.writerWithDefaultPrettyPrinter().writeValueAsString(key) + "\n";
  }
}
