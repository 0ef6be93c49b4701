package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxEncoderTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void meanPooledEmbeddingsEqualGolden(int batchSize) throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.BI_ENCODER);
    List<String> texts = new ArrayList<>();
    g.get("texts").forEach(t -> texts.add(t.asText()));
    try (OnnxEncoder encoder =
        OnnxEncoder.open(Fixtures.dir(Fixtures.BI_ENCODER), 512, batchSize, 1)) {
      float[][] embeddings = encoder.encode(texts);
      double atol = g.get("atol").asDouble();
      for (int i = 0; i < texts.size(); i++) {
        JsonNode expected = g.get("mean_pooled").get(i);
        assertEquals(expected.size(), embeddings[i].length);
        for (int d = 0; d < expected.size(); d++) {
          assertEquals(
              expected.get(d).asDouble(), embeddings[i][d], atol, "text " + i + " dim " + d);
        }
      }
    }
  }
}
