package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export-onnx --quantize int8} on the tiny fixtures: the graph runs the encoder layers'
 * linear products on ONNX Runtime's int8 kernel, keeps no float weight on them, and computes what
 * the float export computes within the error int8 allows.
 */
class Int8ExportTest {
  @TempDir Path tmp;

  /** Exact values: scale max|w|/127 per column, values rounded half away from zero. */
  @Test
  void weightsAreQuantizedSymmetricallyPerColumn() {
    // [2 in, 2 out]: column 0 has max 1, column 1 max 2.
    Int8Weights.Quantized q = Int8Weights.quantize(new float[] {1f, -0.5f, 0.25f, 2f}, 2, 2);
    assertArrayEquals(new float[] {1f / 127, 2f / 127}, q.scales());
    // -0.5 / (2/127) = -31.75 -> -32; 0.25 / (1/127) = 31.75 -> 32.
    assertArrayEquals(new byte[] {127, -32, 32, 127}, q.values());
    assertEquals(-32 * 2f / 127, q.dequantized(0, 1), 0);
    // An all-zero column stays zero (scale 1), not NaN.
    Int8Weights.Quantized zero = Int8Weights.quantize(new float[] {0f, 3f, 0f, -3f}, 2, 2);
    assertArrayEquals(new byte[] {0, 127, 0, -127}, zero.values());
    assertEquals(1f, zero.scales()[0]);
  }

  @Test
  void biEncoderRunsItsLinearLayersInInt8() throws IOException {
    Path src = Fixtures.dir(Fixtures.BI_ENCODER);
    OnnxExport.Exported f = OnnxExport.export(src.toString(), tmp.resolve("float"));
    OnnxExport.Exported q =
        OnnxExport.export(src.toString(), tmp.resolve("int8"), Quantization.INT8);
    int layers = TransformerConfig.read(src.resolve("config.json")).layers();
    assertInt8Graph(q.dir(), layers, List.of());
    assertEquals(
        "int8", Json.read(q.dir().resolve("export.json"), JsonNode.class).get("quantize").asText());
    assertEquals("none", OnnxExport.quantizationOf(f.dir()));
    assertEquals(f.weightsSha256(), q.weightsSha256());
    List<String> texts = new ArrayList<>();
    Fixtures.golden(Fixtures.BI_ENCODER).get("texts").forEach(t -> texts.add(t.asText()));
    try (OnnxEncoder fe = OnnxEncoder.open(f.dir(), 512, 8, 1);
        OnnxEncoder qe = OnnxEncoder.open(q.dir(), 512, 8, 1)) {
      float[][] a = fe.encode(texts, true, Progress.NONE);
      float[][] b = qe.encode(texts, true, Progress.NONE);
      boolean moved = false;
      for (int i = 0; i < a.length; i++) {
        double cos = 0;
        for (int d = 0; d < a[i].length; d++) {
          cos += (double) a[i][d] * b[i][d];
          moved |= a[i][d] != b[i][d];
        }
        // Unit vectors: int8 moves each by the rounding of ~12 products of 8-bit operands (a step
        // of 1/255 of the activation range, 1/254 of a weight column's), a relative error of about
        // 1% at most; cosine 0.999 allows that and fails on a wrong scale or a transposed weight.
        assertTrue(cos > 0.999, "text " + i + ": cosine " + cos);
      }
      assertTrue(moved, "int8 embeddings equal float bit for bit: int8 did not run");
    }
  }

  @Test
  void crossEncoderKeepsItsHeadInFloatAndScoresAsTheFloatExport() throws IOException {
    Path src = Fixtures.dir(Fixtures.CROSS_ENCODER);
    OnnxExport.Exported f = OnnxExport.export(src.toString(), tmp.resolve("float"));
    OnnxExport.Exported q =
        OnnxExport.export(src.toString(), tmp.resolve("int8"), Quantization.INT8);
    int layers = TransformerConfig.read(src.resolve("config.json")).layers();
    assertInt8Graph(q.dir(), layers, List.of("/bert/pooler/dense/MatMul", "/classifier/MatMul"));
    JsonNode g = Fixtures.golden(Fixtures.CROSS_ENCODER);
    List<QueryPassage> pairs = new ArrayList<>();
    for (JsonNode p : g.get("pairs")) {
      pairs.add(new QueryPassage(p.get(0).asText(), p.get(1).asText()));
    }
    try (CrossEncoder fe = CrossEncoder.open(f.dir(), 512, 8, 1);
        CrossEncoder qe = CrossEncoder.open(q.dir(), 512, 8, 1)) {
      float[] a = fe.score(pairs);
      float[] b = qe.score(pairs);
      double atol = g.get("atol").asDouble();
      boolean moved = false;
      for (int i = 0; i < a.length; i++) {
        // The fixture's own tolerance against PyTorch (1e-4). Its random head maps every pair to
        // about 0.0117 (spread 6e-5), so int8's ~1% error on the hidden states moves a logit by
        // ~1e-5; a wrong scale or weight moves the tanh pooler's outputs by O(1) and the logit by
        // far more than 1e-4.
        assertEquals(a[i], b[i], atol, "pair " + i);
        assertEquals(g.get("logits").get(i).get(0).asDouble(), b[i], atol, "pair " + i);
        moved |= a[i] != b[i];
      }
      assertTrue(moved, "int8 scores equal float bit for bit: int8 did not run");
    }
  }

  @Test
  void anInt8ExportIsNotExportedAgain() {
    Path src = Fixtures.dir(Fixtures.BI_ENCODER);
    OnnxExport.Exported q =
        OnnxExport.export(src.toString(), tmp.resolve("int8"), Quantization.INT8);
    var e =
        assertThrows(
            DatasetFormatException.class,
            () -> OnnxExport.export(q.dir().toString(), tmp.resolve("again"), Quantization.INT8));
    assertTrue(e.getMessage().contains("already quantized (int8)"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("again")));
  }

  @Test
  void quantizedModelsExportOnceAndReuseByWeights() throws IOException {
    String src = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    assertEquals(src, QuantizedModels.prepare(src, Quantization.NONE, tmp));
    Path dir = Path.of(QuantizedModels.prepare(src, Quantization.INT8, tmp));
    assertTrue(dir.startsWith(tmp.resolve("quantized").toAbsolutePath()), dir.toString());
    assertTrue(dir.getFileName().toString().startsWith("int8-"), dir.toString());
    var written = Files.getLastModifiedTime(dir.resolve("model.onnx"));
    assertEquals(dir.toString(), QuantizedModels.prepare(src, Quantization.INT8, tmp));
    assertEquals(written, Files.getLastModifiedTime(dir.resolve("model.onnx")), "reused");
    assertNotEquals(
        dir.toString(),
        QuantizedModels.prepare(
            Fixtures.dir(Fixtures.CROSS_ENCODER).toString(), Quantization.INT8, tmp));
  }

  @Test
  void quantizeSettingNamesItsValues() {
    var e = assertThrows(IllegalArgumentException.class, () -> Quantization.parse("int4"));
    assertEquals("quantize must be 'none' or 'int8', was 'int4'", e.getMessage());
    assertEquals(Quantization.INT8, Quantization.parse("INT8"));
  }

  /**
   * Each layer's Q, K and V products are one QAttention, its other three linear products
   * MatMulIntegerToFloat, all on int8 weights and fed by one DynamicQuantizeLinear per input (four
   * a layer); no MatMul multiplies by a float weight except {@code floatMatMuls} (a cross-encoder's
   * head).
   */
  private static void assertInt8Graph(Path dir, int layers, List<String> floatMatMuls)
      throws IOException {
    OnnxWeights.Graph graph = OnnxWeights.graph(dir.resolve("model.onnx"));
    long int8 =
        graph.nodes().stream().filter(n -> n.opType().equals("MatMulIntegerToFloat")).count();
    long quantizers =
        graph.nodes().stream().filter(n -> n.opType().equals("DynamicQuantizeLinear")).count();
    assertEquals(3L * layers, int8);
    long attention = graph.nodes().stream().filter(n -> n.opType().equals("QAttention")).count();
    assertEquals(layers, attention);
    assertEquals(4L * layers, quantizers);
    List<String> withFloatWeight = new ArrayList<>();
    for (OnnxWeights.Node n : graph.nodes()) {
      if (n.opType().equals("MatMul") && graph.initializers().containsKey(n.inputs().get(1))) {
        withFloatWeight.add(n.name());
      }
      if (n.opType().equals("MatMulIntegerToFloat") || n.opType().equals("QAttention")) {
        assertTrue(
            !graph.initializers().containsKey(n.inputs().get(1)), n.name() + ": float weight");
      }
    }
    assertEquals(floatMatMuls, withFloatWeight);
  }
}
