package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.TinyDatasets;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.model.TextEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding cache of the six-document dataset under a counting two-dimensional encoder. */
class EmbeddingCacheTest {
  @TempDir Path tmp;

  /** Encodes a text as (length, 1), normalised when asked; counts the texts it was given. */
  private static final class LengthEncoder implements TextEncoder {
    final AtomicInteger texts = new AtomicInteger();
    final String checksum;

    LengthEncoder(String checksum) {
      this.checksum = checksum;
    }

    @Override
    public float[][] encode(List<String> batch, boolean normalize, Progress progress) {
      float[][] out = new float[batch.size()][];
      for (int i = 0; i < out.length; i++) {
        float x = batch.get(i).length();
        float n = normalize ? (float) Math.sqrt(x * x + 1) : 1;
        out[i] = new float[] {x / n, 1 / n};
      }
      texts.addAndGet(batch.size());
      progress.advance(out.length);
      return out;
    }

    @Override
    public int maxLength() {
      return 16;
    }

    @Override
    public String checksum() {
      return checksum;
    }

    @Override
    public void close() {}
  }

  private DenseEmbeddings open(
      BeirDataset ds, LengthEncoder encoder, Path file, AtomicReference<EmbeddingCache.Outcome> o) {
    return EmbeddingCache.openOrBuild(
        ds,
        encoder,
        "length",
        EmbeddingCache.ModelChecksums.of(encoder),
        file,
        Progress.Factory.NONE,
        o);
  }

  @Test
  void buildsReusesAndRebuildsWhenTheEncoderOrTheFileChanges() throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    LengthEncoder encoder = new LengthEncoder("a".repeat(64));
    Path file =
        EmbeddingCache.defaultLocation(
            ds, tmp.resolve("work"), EmbeddingCache.ModelChecksums.of(encoder), 16);
    assertTrue(
        file.getFileName().toString().matches("data-[0-9a-f]{10}-aaaaaaaaaaaa-16\\.f32"),
        file.toString());
    assertEquals(tmp.resolve("work/embeddings"), file.getParent());
    var outcome = new AtomicReference<EmbeddingCache.Outcome>();

    DenseEmbeddings built = open(ds, encoder, file, outcome);
    assertEquals(EmbeddingCache.Outcome.BUILT, outcome.get());
    assertEquals(6, built.size());
    assertEquals(2, built.dim());
    assertEquals(6, encoder.texts.get());
    assertEquals(6 * 2 * Float.BYTES, Files.size(file));
    JsonNode manifest = Json.PLAIN.readTree(EmbeddingCache.manifestOf(file).toFile());
    assertEquals(2, manifest.get("format").asInt());
    assertEquals("length", manifest.get("model").asText());
    assertEquals(ds.corpusChecksum(), manifest.get("corpus_sha256").asText());
    assertEquals(built.docId(2), manifest.get("doc_ids").get(2).asText());

    DenseEmbeddings reused = open(ds, encoder, file, outcome);
    assertEquals(EmbeddingCache.Outcome.REUSED, outcome.get());
    assertEquals(6, encoder.texts.get(), "nothing encoded again");
    assertEquals(built.sha256(), reused.sha256());
    assertArrayEquals(built.vector(5), reused.vector(5), 0f);

    open(ds, new LengthEncoder("b".repeat(64)), file, outcome);
    assertEquals(EmbeddingCache.Outcome.REBUILT, outcome.get(), "another encoder");
    Files.write(file, new byte[3]);
    assertEquals(built.sha256(), open(ds, encoder, file, outcome).sha256());
    assertEquals(EmbeddingCache.Outcome.REBUILT, outcome.get(), "a truncated file");
    Files.delete(EmbeddingCache.manifestOf(file));
    open(ds, encoder, file, outcome);
    assertEquals(EmbeddingCache.Outcome.REBUILT, outcome.get(), "no manifest");
  }

  @Test
  void theManifestSitsBesideTheRows() {
    assertEquals(Path.of("a/x.json"), EmbeddingCache.manifestOf(Path.of("a/x.f32")));
    assertEquals(Path.of("a/x.bin.json"), EmbeddingCache.manifestOf(Path.of("a/x.bin")));
    assertFalse(EmbeddingCache.manifestOf(Path.of("x.f32")).toString().contains("f32"));
  }
}
