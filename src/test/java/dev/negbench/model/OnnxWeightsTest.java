package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.negbench.io.Progress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Weights imported from an ONNX export run on DJL as ONNX Runtime runs the export itself. */
class OnnxWeightsTest {
  private static final List<String> TEXTS =
      List.of(
          "what causes global warming",
          "Carbon dioxide emissions from burning fossil fuels trap heat in the atmosphere.",
          "Vaccines train the immune system to recognise a pathogen, so that a later infection is fought off quickly.",
          "x");

  @Test
  void miniLmImportedFromOnnxEncodesAsOnnxRuntime() {
    Path dir = BuiltinModels.resolve("minilm");
    Map<String, SafeTensors.Tensor> weights = OnnxWeights.read(dir.resolve("model.onnx"));
    // Every BertModel weight but the pooler, which the export of last_hidden_state drops.
    TransformerConfig config = TransformerConfig.read(dir.resolve("config.json"));
    for (var e : config.parameterShapes(false).entrySet()) {
      assertTrue(weights.containsKey(e.getKey()), "missing " + e.getKey());
      assertEquals(
          List.of(Arrays.stream(e.getValue()).boxed().toArray()),
          List.of(Arrays.stream(weights.get(e.getKey()).shape()).boxed().toArray()),
          e.getKey());
    }
    float[][] onnx;
    try (OnnxEncoder ort = OnnxEncoder.open(dir, 256, 4, 1)) {
      onnx = ort.encode(TEXTS, true, Progress.NONE);
    }
    try (DjlEncoder djl =
        DjlEncoder.wrap(DjlModel.open("minilm", Device.cpu()), 256, 4, Pooling.MEAN)) {
      float[][] e = djl.encode(TEXTS, true, Progress.NONE);
      for (int i = 0; i < TEXTS.size(); i++) {
        for (int d = 0; d < e[i].length; d++) {
          assertEquals(onnx[i][d], e[i][d], 1e-4, "text " + i + " dim " + d);
        }
      }
    }
  }

  @Test
  void tinyFixtureImportedFromOnnxEqualsItsSafetensors() {
    Map<String, SafeTensors.Tensor> fromOnnx =
        OnnxWeights.read(Fixtures.dir(Fixtures.BI_ENCODER).resolve("model.onnx"));
    Map<String, SafeTensors.Tensor> reference =
        SafeTensors.read(Fixtures.dir(Fixtures.BI_ENCODER).resolve("model.safetensors"));
    for (var e : reference.entrySet()) {
      SafeTensors.Tensor t = fromOnnx.get(e.getKey());
      assertTrue(t != null, "missing " + e.getKey() + " in " + fromOnnx.keySet());
      Assertions.assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
      Assertions.assertArrayEquals(e.getValue().data(), t.data(), 0f, e.getKey());
    }
  }
}
