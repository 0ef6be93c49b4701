package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph bookkeeping on a one-Linear checkpoint: output names, initializers added once, the
 * Linear's transposed weight read back by {@link OnnxWeights}.
 */
class OnnxGraphBuilderTest {
  private static final Map<String, SafeTensors.Tensor> WEIGHTS =
      Map.of(
          "dense.weight",
          new SafeTensors.Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
          "dense.bias",
          new SafeTensors.Tensor(new long[] {2}, new float[] {0.5f, -0.5f}));

  @Test
  void namesEveryOutputAfterItsNodeAndAddsInitializersOnce() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("g", WEIGHTS, "TestModel");
    assertEquals("/a_output_0", g.node("Relu", "/a", List.of("x")));
    assertEquals("/a_output_1", g.node("Relu", "/a", List.of("x")));
    assertEquals("y", g.node("Identity", "/out", List.of("x"), "y", new ProtoMessage[0]));
    assertEquals("dense.bias", g.weight("dense.bias"));
    assertEquals("onnx::f_m1.5", g.scalar(-1.5f));
    byte[] once = g.model(17);
    g.weight("dense.bias");
    g.scalar(-1.5f);
    assertArrayEquals(once, g.model(17), "added again: the graph does not change");
  }

  @Test
  void aLinearIsATransposedInitializerAMatMulAndAnAdd(@TempDir Path tmp) throws IOException {
    OnnxGraphBuilder g = new OnnxGraphBuilder("g", WEIGHTS, "TestModel");
    g.input("x", OnnxProto.FLOAT, "batch", "3");
    String y = g.linear("x", "dense");
    assertEquals("/dense/Add_output_1", y);
    g.output(y, OnnxProto.FLOAT, "batch", "2");
    Path file = tmp.resolve("model.onnx");
    Files.write(file, g.model(17));
    // OnnxWeights finds the [in, out] MatMul initializer by its node's name and transposes it back.
    Map<String, SafeTensors.Tensor> back = OnnxWeights.read(file);
    assertArrayEquals(new long[] {2, 3}, back.get("dense.weight").shape());
    assertArrayEquals(WEIGHTS.get("dense.weight").data(), back.get("dense.weight").data(), 0f);
    assertArrayEquals(WEIGHTS.get("dense.bias").data(), back.get("dense.bias").data(), 0f);
  }

  @Test
  void aMissingTensorNamesItAndTheArchitecture() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("g", WEIGHTS, "TestModel");
    var e = assertThrows(IllegalArgumentException.class, () -> g.linear("x", "other"));
    assertTrue(
        e.getMessage().contains("'other.weight'") && e.getMessage().contains("TestModel"),
        e.getMessage());
  }

  @Test
  void pathsKeepLayerNumbersWithTheirModule() {
    assertEquals(
        "encoder/layer.0/attention/self/query",
        OnnxGraphBuilder.path("encoder.layer.0.attention.self.query"));
  }
}
