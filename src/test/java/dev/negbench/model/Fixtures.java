package dev.negbench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny Hugging Face models under src/test/resources/fixtures (copied from shared/fixtures, see
 * its README): random weights, real BERT uncased tokenizer, golden outputs from PyTorch.
 */
public final class Fixtures {
  public static final String CROSS_ENCODER = "bert-tiny-cross-encoder";
  public static final String BI_ENCODER = "distilbert-tiny";

  private Fixtures() {}

  public static Path dir(String model) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + model).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode golden(String model) throws IOException {
    return new ObjectMapper().readTree(Files.readString(dir(model).resolve("golden.json")));
  }

  /** A golden row with its padding (mask 0) removed: the batcher, not the tokenizer, pads. */
  public static long[] unpadded(JsonNode row, JsonNode mask) {
    int n = 0;
    while (n < mask.size() && mask.get(n).asLong() == 1) {
      n++;
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = row.get(i).asLong();
    }
    return out;
  }

  /** Copies a fixture model folder (all but golden.json) so a test can break it. */
  public static Path copy(String model, Path target) throws IOException {
    Files.createDirectories(target);
    for (String f : new String[] {"model.onnx", "tokenizer.json", "config.json"}) {
      Files.copy(dir(model).resolve(f), target.resolve(f));
    }
    return target;
  }

  /**
   * A Hugging Face cache entry as {@code huggingface-cli download} leaves it: refs/main naming a
   * snapshot.
   */
  public static Path hfCacheEntry(Path hub, String name, String model) throws IOException {
    Path repo = hub.resolve("models--" + name.replace("/", "--"));
    Path snapshot = Files.createDirectories(repo.resolve("snapshots/0123abcd"));
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs/main"), "0123abcd");
    for (String f : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
      Files.copy(dir(model).resolve(f), snapshot.resolve(f));
    }
    return snapshot;
  }

  /**
   * Points {@link ModelResolver#fromEnvironment()} at {@code hub} (a Hugging Face hub cache) until
   * closed, then restores what was set before.
   */
  public static AutoCloseable hubCache(Path hub) {
    String before = System.getProperty("negbench.hf_hub_cache");
    System.setProperty("negbench.hf_hub_cache", hub.toString());
    return () -> {
      if (before == null) {
        System.clearProperty("negbench.hf_hub_cache");
      } else {
        System.setProperty("negbench.hf_hub_cache", before);
      }
    };
  }
}
