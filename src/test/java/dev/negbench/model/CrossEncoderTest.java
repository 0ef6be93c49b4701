package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CrossEncoderTest {
  @TempDir Path tmp;

  /**
   * Batch 1 runs unpadded; 2 and 3 pad the shorter pairs (golden pairs have 20, 21 and 17 tokens).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void logitsEqualGolden(int batchSize) throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.CROSS_ENCODER);
    List<QueryPassage> pairs = new ArrayList<>();
    for (JsonNode p : g.get("pairs")) {
      pairs.add(new QueryPassage(p.get(0).asText(), p.get(1).asText()));
    }
    try (CrossEncoder ce =
        CrossEncoder.open(Fixtures.dir(Fixtures.CROSS_ENCODER), 512, batchSize, 1)) {
      assertTrue(ce.model().takesTokenTypeIds());
      float[] scores = ce.score(pairs);
      for (int i = 0; i < pairs.size(); i++) {
        assertEquals(
            g.get("logits").get(i).get(0).asDouble(),
            scores[i],
            g.get("atol").asDouble(),
            "pair " + i);
      }
    }
  }

  @Test
  void bareEncoderIsNotACrossEncoder() {
    var e =
        assertThrows(
            DatasetFormatException.class,
            () -> CrossEncoder.open(Fixtures.dir(Fixtures.BI_ENCODER), 512, 8, 1));
    assertTrue(e.getMessage().contains("expected a cross-encoder's logits"), e.getMessage());
  }

  @Test
  void modelUnderOnnxSubfolderIsFound() throws IOException {
    Path dir = Fixtures.copy(Fixtures.CROSS_ENCODER, tmp.resolve("m"));
    Files.createDirectories(dir.resolve("onnx"));
    Files.move(dir.resolve("model.onnx"), dir.resolve("onnx/model.onnx"));
    try (CrossEncoder ce = CrossEncoder.open(dir, 512, 8, 1)) {
      assertEquals(1, ce.score(List.of(new QueryPassage("q", "p"))).length);
    }
  }

  @Test
  void missingCorruptOrMismatchedFilesAreNamed() throws IOException {
    Path dir = Fixtures.copy(Fixtures.CROSS_ENCODER, tmp.resolve("m"));
    Files.writeString(
        dir.resolve("config.json"), "{\"vocab_size\": 1000, \"max_position_embeddings\": 512}");
    var e = assertThrows(DatasetFormatException.class, () -> CrossEncoder.open(dir, 512, 8, 1));
    assertTrue(e.getMessage().contains("do not fit the model's vocab_size 1000"), e.getMessage());

    Files.copy(
        Fixtures.dir(Fixtures.CROSS_ENCODER).resolve("config.json"),
        dir.resolve("config.json"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3, 4});
    e = assertThrows(DatasetFormatException.class, () -> CrossEncoder.open(dir, 512, 8, 1));
    assertTrue(
        e.getMessage().startsWith(dir.resolve("model.onnx") + ": expected an ONNX model"),
        e.getMessage());

    Files.delete(dir.resolve("model.onnx"));
    e = assertThrows(DatasetFormatException.class, () -> CrossEncoder.open(dir, 512, 8, 1));
    assertTrue(
        e.getMessage().startsWith(dir.resolve("model.onnx") + ": file not found"), e.getMessage());

    Path noTokenizer = Fixtures.copy(Fixtures.CROSS_ENCODER, tmp.resolve("n"));
    Files.delete(noTokenizer.resolve("tokenizer.json"));
    e = assertThrows(DatasetFormatException.class, () -> CrossEncoder.open(noTokenizer, 512, 8, 1));
    assertTrue(
        e.getMessage().startsWith(noTokenizer.resolve("tokenizer.json") + ": file not found"),
        e.getMessage());
  }
}
