package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX graph negbench writes for a checkpoint, against PyTorch's golden outputs and the weights
 * it holds.
 */
class OnnxGraphTest {
  @TempDir Path tmp;

  @Test
  void exportedDistilbertEmbedsAsPyTorch() throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.BI_ENCODER);
    OnnxExport.Exported e =
        OnnxExport.export(Fixtures.dir(Fixtures.BI_ENCODER).toString(), tmp.resolve("onnx"));
    assertEquals("DistilBertModel", e.architecture());
    List<String> texts = new ArrayList<>();
    g.get("texts").forEach(t -> texts.add(t.asText()));
    try (OnnxEncoder encoder = OnnxEncoder.open(e.dir(), 512, 2, 1)) {
      float[][] v = encoder.encode(texts, false, Progress.NONE);
      for (int i = 0; i < texts.size(); i++) {
        for (int d = 0; d < v[i].length; d++) {
          assertEquals(
              g.get("mean_pooled").get(i).get(d).asDouble(),
              v[i][d],
              g.get("atol").asDouble(),
              i + "/" + d);
        }
      }
    }
  }

  @Test
  void exportedBertCrossEncoderGivesPyTorchsLogits() throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.CROSS_ENCODER);
    OnnxExport.Exported e =
        OnnxExport.export(Fixtures.dir(Fixtures.CROSS_ENCODER).toString(), tmp.resolve("ce"));
    assertEquals("logits", e.output());
    List<QueryPassage> pairs = new ArrayList<>();
    for (JsonNode p : g.get("pairs")) {
      pairs.add(new QueryPassage(p.get(0).asText(), p.get(1).asText()));
    }
    try (CrossEncoder ce = CrossEncoder.open(e.dir(), 512, 2, 1);
        DjlCrossEncoder djl =
            DjlCrossEncoder.open(
                Fixtures.dir(Fixtures.CROSS_ENCODER).toString(), 512, 2, 1, "cpu")) {
      assertTrue(ce.model().takesTokenTypeIds());
      float[] onnx = ce.score(pairs);
      float[] torch = djl.score(pairs);
      for (int i = 0; i < pairs.size(); i++) {
        assertEquals(
            g.get("logits").get(i).get(0).asDouble(),
            onnx[i],
            g.get("atol").asDouble(),
            "pair " + i);
        assertEquals(torch[i], onnx[i], 1e-5, "pair " + i);
      }
    }
  }

  /** OnnxWeights reads the export's weights back under their Hugging Face names, bit for bit. */
  @Test
  void exportedWeightsReadBackUnderTheirNames() {
    for (String fixture : List.of(Fixtures.BI_ENCODER, Fixtures.CROSS_ENCODER)) {
      Map<String, SafeTensors.Tensor> source =
          SafeTensors.read(Fixtures.dir(fixture).resolve("model.safetensors"));
      OnnxExport.Exported e =
          OnnxExport.export(Fixtures.dir(fixture).toString(), tmp.resolve(fixture));
      Map<String, SafeTensors.Tensor> back = OnnxWeights.read(e.dir().resolve("model.onnx"));
      TransformerConfig config =
          TransformerConfig.read(Fixtures.dir(fixture).resolve("config.json"));
      for (String name : config.parameterShapes(false).keySet()) {
        assertTrue(
            back.containsKey(name), fixture + ": " + name + " not read back from " + back.keySet());
        assertArrayEquals(source.get(name).shape(), back.get(name).shape(), name);
        assertArrayEquals(source.get(name).data(), back.get(name).data(), 0f, name);
      }
    }
  }

  @Test
  void aCheckpointMissingATensorIsBadInputAndLeavesNothing() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("broken"));
    for (String f : List.of("config.json", "tokenizer.json")) {
      Files.copy(Fixtures.dir(Fixtures.BI_ENCODER).resolve(f), dir.resolve(f));
    }
    Map<String, SafeTensors.Tensor> weights =
        new LinkedHashMap<>(
            SafeTensors.read(Fixtures.dir(Fixtures.BI_ENCODER).resolve("model.safetensors")));
    weights.remove("transformer.layer.1.ffn.lin2.weight");
    SafeTensors.write(dir.resolve("model.safetensors"), weights, Map.of("format", "pt"));
    Path out = tmp.resolve("out");
    var e =
        assertThrows(DatasetFormatException.class, () -> OnnxExport.export(dir.toString(), out));
    assertTrue(
        e.getMessage().contains("model.safetensors")
            && e.getMessage().contains("transformer.layer.1.ffn.lin2.weight"),
        e.getMessage());
    assertFalse(Files.exists(out));
    try (var left = Files.list(tmp)) {
      assertTrue(
          left.noneMatch(p -> p.getFileName().toString().startsWith(".")),
          "no temporary folder left");
    }
  }
}
