package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {
  @TempDir Path dir;

  @Test
  void findsFoldersModelsBesideTheConfigAndTheHuggingFaceCache() throws IOException {
    Path hub = dir.resolve("hub");
    Path config = Files.createDirectories(dir.resolve("configs"));
    ModelResolver r = new ModelResolver(hub);
    assertEquals(new ModelResolver.Resolved("minilm", true), r.resolve("minilm", config));

    Path snapshot = Fixtures.hfCacheEntry(hub, "test-org/distilbert-tiny", Fixtures.BI_ENCODER);
    assertEquals(snapshot.toString(), r.resolve("test-org/distilbert-tiny", config).reference());

    // models/NAME beside the config wins over the cache; a relative folder over both.
    Path beside = Files.createDirectories(config.resolve("models/distilbert-tiny"));
    assertEquals(beside.toString(), r.resolve("test-org/distilbert-tiny", config).reference());
    Path relative = Files.createDirectories(config.resolve("test-org/distilbert-tiny"));
    assertEquals(relative.toString(), r.resolve("test-org/distilbert-tiny", config).reference());
  }

  @Test
  void aMissingModelNamesEveryPathTriedAndHowToFetchIt() {
    ModelResolver r = new ModelResolver(dir.resolve("hub"));
    var e =
        assertThrows(
            ModelResolver.ModelNotFoundException.class,
            () -> r.resolve("distilbert-base-uncased", dir));
    assertEquals(3, e.tried().size(), e.tried().toString());
    assertTrue(
        e.getMessage().contains(dir.resolve("distilbert-base-uncased").toString()), e.getMessage());
    assertTrue(
        e.getMessage().contains(dir.resolve("models/distilbert-base-uncased").toString()),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(dir.resolve("hub/models--distilbert-base-uncased/snapshots").toString()),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("huggingface-cli download distilbert-base-uncased"),
        e.getMessage());
  }
}
