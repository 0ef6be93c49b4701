package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluation: {quantize: int8}}: the model is evaluated as its int8 export, in a stage of
 * its own (int8 and float never share a cache entry), and the provenance says so; without the
 * setting the evaluation key has no {@code quantize} field, as before it existed.
 */
class EvaluationQuantizeTest {
  @TempDir Path dir;

  private JsonNode zeroShot(String name, String evaluation) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    List<String> log = new ArrayList<>();
    Pipeline p =
        PipelineTest.offline(
            home,
            """
            name: quantize
            datasets: [synthetic:100]
            sources: [{type: bm25, num_negatives: 1}]
            training: {model: %s}
            %s
            """
                .formatted(Fixtures.dir(Fixtures.BI_ENCODER), evaluation),
            log::add);
    try (DatasetStages d = DatasetStages.open(p, p.loaded.datasets().get(0))) {
      Path result = d.zeroShot();
      return Json.read(result.resolve("provenance.json"), JsonNode.class);
    }
  }

  @Test
  void int8EvaluationIsAStageOfItsOwnAndSaysSo() throws IOException {
    JsonNode plain = zeroShot("float", "");
    JsonNode int8 = zeroShot("int8", "evaluation: {quantize: int8}");
    String plainHash = plain.get("stages").get("eval").asText();
    String int8Hash = int8.get("stages").get("eval").asText();
    assertNotEquals(plainHash, int8Hash);
    assertTrue(int8.get("evaluation_engine").asText().contains("--quantize int8"), int8.toString());
    assertFalse(plain.path("evaluation_engine").asText().contains("int8"), plain.toString());
    JsonNode plainKey = stageKey(dir.resolve("float"), plainHash);
    JsonNode int8Key = stageKey(dir.resolve("int8"), int8Hash);
    assertFalse(plainKey.has("quantize"), plainKey.toString());
    assertEquals("int8", int8Key.get("quantize").asText(), int8Key.toString());
  }

  /** The key.json of the stage with {@code hash} under {@code home}'s work folder. */
  private static JsonNode stageKey(Path home, String hash) throws IOException {
    try (var files = Files.walk(home.resolve("work"))) {
      Path key =
          files
              .filter(f -> f.getFileName().toString().equals("key.json"))
              .filter(f -> f.getParent().getFileName().toString().contains(hash))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no key.json for stage " + hash));
      return Json.read(key, JsonNode.class);
    }
  }
}
