package dev.negbench.model;

import static dev.negbench.model.OnnxProto.FLOAT;
import static dev.negbench.model.OnnxProto.INT8;
import static dev.negbench.model.OnnxProto.MICROSOFT;
import static dev.negbench.model.OnnxProto.attr;
import static dev.negbench.model.OnnxProto.floats;
import static dev.negbench.model.OnnxProto.tensor;
import static dev.negbench.model.OnnxProto.valueInfo;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX GraphProto being written around a checkpoint's weights: nodes in the order added, each
 * with an output name of its own; initializers added once, weights under their Hugging Face names,
 * constants under {@code onnx::} names; PyTorch's Linear and LayerNorm modules laid out as {@code
 * torch.onnx.export} lays them out.
 */
final class OnnxGraphBuilder {
  private final Map<String, SafeTensors.Tensor> weights;
  private final String architecture;
  private final Quantization quantization;
  private final ProtoMessage graph = new ProtoMessage();

  /**
   * Activations already quantized by DynamicQuantizeLinear, by name: [uint8 values, scale, zero
   * point]. Q, K and V read one input, which is quantized once for the three.
   */
  private final Map<String, List<String>> quantized = new HashMap<>();

  /** Initializers already in the graph, by name. */
  private final Set<String> added = new HashSet<>();

  private int counter;

  /**
   * A graph called {@code name} over {@code weights} by Hugging Face name; {@code architecture}
   * names the model in the error for a missing tensor; {@code quantization} is how {@link
   * #linear(String, String, boolean)} computes the layers it may quantize.
   */
  OnnxGraphBuilder(String name, Map<String, SafeTensors.Tensor> weights, String architecture) {
    this(name, weights, architecture, Quantization.NONE);
  }

  /** As the float constructor, quantizing the layers {@link #linear} is told it may. */
  OnnxGraphBuilder(
      String name,
      Map<String, SafeTensors.Tensor> weights,
      String architecture,
      Quantization quantization) {
    this.weights = weights;
    this.architecture = architecture;
    this.quantization = quantization;
    graph.string(2, name);
  }

  /** The serialized ModelProto holding this graph. */
  byte[] model(int opset) {
    return OnnxProto.model(graph, opset, quantization == Quantization.INT8);
  }

  void input(String name, int type, String... dims) {
    graph.message(11, valueInfo(name, type, dims));
  }

  void output(String name, int type, String... dims) {
    graph.message(12, valueInfo(name, type, dims));
  }

  /** A node whose output is named after it; returns that name. */
  String node(String op, String name, List<String> inputs, ProtoMessage... attributes) {
    return node(op, name, inputs, name + "_output_" + counter++, attributes);
  }

  String node(
      String op, String name, List<String> inputs, String output, ProtoMessage[] attributes) {
    node("", op, name, inputs, List.of(output), attributes);
    return output;
  }

  /** A node of operator {@code op} in {@code domain} ("" for ONNX's own) with several outputs. */
  private void node(
      String domain,
      String op,
      String name,
      List<String> inputs,
      List<String> outputs,
      ProtoMessage[] attributes) {
    ProtoMessage n = new ProtoMessage();
    for (String in : inputs) {
      n.string(1, in);
    }
    for (String out : outputs) {
      n.string(2, out);
    }
    n.string(3, name);
    n.string(4, op);
    for (ProtoMessage a : attributes) {
      n.message(5, a);
    }
    if (!domain.isEmpty()) {
      n.string(7, domain);
    }
    graph.message(1, n);
  }

  /**
   * x W^T + b for the PyTorch Linear {@code module}: its weight transposed into an {@code onnx::}
   * initializer feeding a MatMul named after the module.
   */
  String linear(String x, String module) {
    return linear(x, module, false);
  }

  /**
   * As {@link #linear(String, String)}, or, when {@code quantizable} and the graph is {@link
   * Quantization#INT8}, ONNX Runtime's dynamic int8 product: x quantized to uint8 per call by
   * DynamicQuantizeLinear (one scale and zero point for the tensor), the weight transposed and
   * quantized at export ({@link Int8Weights}: int8, symmetric, a scale per output column), and
   * MatMulIntegerToFloat (com.microsoft) multiplying them in integers (VNNI on AVX-512 CPUs) and
   * scaling back to float with the bias added.
   */
  String linear(String x, String module, boolean quantizable) {
    if (quantizable && quantization == Quantization.INT8) {
      return int8Linear(x, module);
    }
    SafeTensors.Tensor w = require(module + ".weight");
    String t = "onnx::MatMul_" + module;
    graph.message(
        5, tensor(t, FLOAT, new long[] {w.shape()[1], w.shape()[0]}, floats(transpose(w))));
    String product = node("MatMul", "/" + path(module) + "/MatMul", List.of(x, t));
    return node("Add", "/" + path(module) + "/Add", List.of(product, weight(module + ".bias")));
  }

  private String int8Linear(String x, String module) {
    SafeTensors.Tensor w = require(module + ".weight");
    int in = (int) w.shape()[1];
    int out = (int) w.shape()[0];
    Int8Weights.Quantized q = Int8Weights.quantize(transpose(w), in, out);
    String b = "onnx::MatMulInteger_" + module;
    graph.message(5, tensor(b, INT8, new long[] {in, out}, q.values()));
    String bScale = "onnx::MatMulInteger_scale_" + module;
    graph.message(5, tensor(bScale, FLOAT, new long[] {out}, floats(q.scales())));
    List<String> a = quantizedInput(x, module);
    String at = "/" + path(module) + "/MatMulIntegerToFloat";
    String product = at + "_output_" + counter++;
    node(
        MICROSOFT,
        "MatMulIntegerToFloat",
        at,
        List.of(a.get(0), b, a.get(1), bScale, a.get(2), "", weight(module + ".bias")),
        List.of(product),
        new ProtoMessage[0]);
    return product;
  }

  /**
   * Multi-head self-attention over {@code x} with the Linear modules {@code query}, {@code key} and
   * {@code value} in int8: ONNX Runtime's QAttention (com.microsoft), which multiplies x, quantized
   * by DynamicQuantizeLinear, by the three weights concatenated into one int8 [in, 3 hidden] matrix
   * (symmetric, a scale per output column), adds the biases, and runs the float attention fused
   * (scores scaled by 1/sqrt(head size), {@code mask} an int32 [batch, tokens] of 1 for tokens and
   * 0 for padding, softmax, weighted sum of the values, heads merged): [batch, tokens, hidden].
   */
  String int8Attention(String x, String query, String key, String value, String mask, int heads) {
    List<SafeTensors.Tensor> ws =
        List.of(require(query + ".weight"), require(key + ".weight"), require(value + ".weight"));
    int in = (int) ws.get(0).shape()[1];
    int out = (int) ws.get(0).shape()[0];
    float[] concat = new float[in * 3 * out];
    float[] bias = new float[3 * out];
    List<String> modules = List.of(query, key, value);
    for (int m = 0; m < 3; m++) {
      float[] t = transpose(ws.get(m));
      for (int r = 0; r < in; r++) {
        System.arraycopy(t, r * out, concat, r * 3 * out + m * out, out);
      }
      System.arraycopy(require(modules.get(m) + ".bias").data(), 0, bias, m * out, out);
    }
    Int8Weights.Quantized q = Int8Weights.quantize(concat, in, 3 * out);
    String at = "/" + path(query).replaceAll("/query$", "") + "/QAttention";
    String w = "onnx::QAttention_" + query;
    graph.message(5, tensor(w, INT8, new long[] {in, 3L * out}, q.values()));
    String wScale = "onnx::QAttention_scale_" + query;
    graph.message(5, tensor(wScale, FLOAT, new long[] {3L * out}, floats(q.scales())));
    String b = "onnx::QAttention_bias_" + query;
    graph.message(5, tensor(b, FLOAT, new long[] {3L * out}, floats(bias)));
    List<String> a = quantizedInput(x, query);
    String output = at + "_output_" + counter++;
    node(
        MICROSOFT,
        "QAttention",
        at,
        List.of(a.get(0), w, b, a.get(1), wScale, mask, a.get(2)),
        List.of(output),
        new ProtoMessage[] {attr("num_heads", heads)});
    return output;
  }

  /** {@code x} quantized to uint8 by DynamicQuantizeLinear, once: [values, scale, zero point]. */
  private List<String> quantizedInput(String x, String module) {
    return quantized.computeIfAbsent(
        x,
        input -> {
          String at = "/" + path(module) + "/DynamicQuantizeLinear";
          List<String> outs =
              List.of(at + "_output", at + "_scale", at + "_zero_point_" + counter++);
          node("", "DynamicQuantizeLinear", at, List.of(input), outs, new ProtoMessage[0]);
          return outs;
        });
  }

  /** A com.microsoft contrib operator with one output, named after the node; returns it. */
  String microsoft(String op, String name, List<String> inputs, ProtoMessage... attributes) {
    String output = name + "_output_" + counter++;
    node(MICROSOFT, op, name, inputs, List.of(output), attributes);
    return output;
  }

  /**
   * LayerNorm({@code x} + {@code skip}) with {@code module}'s weight and bias as one
   * SkipLayerNormalization (com.microsoft): the residual sum and the normalization in one pass.
   */
  String skipLayerNorm(String x, String skip, String module, double epsilon) {
    ProtoMessage eps =
        new ProtoMessage().string(1, "epsilon").fixed32(2, (float) epsilon).varint(20, 1);
    return microsoft(
        "SkipLayerNormalization",
        "/" + path(module) + "/SkipLayerNormalization",
        List.of(x, skip, weight(module + ".weight"), weight(module + ".bias")),
        eps);
  }

  /** LayerNormalization over the last axis with {@code module}'s weight and bias. */
  String layerNorm(String x, String module, double epsilon) {
    ProtoMessage eps =
        new ProtoMessage().string(1, "epsilon").fixed32(2, (float) epsilon).varint(20, 1);
    return node(
        "LayerNormalization",
        "/" + path(module) + "/LayerNormalization",
        List.of(x, weight(module + ".weight"), weight(module + ".bias")),
        attr("axis", -1),
        eps);
  }

  /** A weight under its Hugging Face name, added to the graph once. */
  String weight(String name) {
    SafeTensors.Tensor t = require(name);
    if (added.add(name)) {
      graph.message(5, tensor(name, FLOAT, t.shape(), floats(t.data())));
    }
    return name;
  }

  /** A float32 scalar constant. */
  String scalar(float value) {
    return constant(
        "f_" + Float.toString(value).replace('-', 'm'),
        FLOAT,
        new long[0],
        floats(new float[] {value}));
  }

  /**
   * An {@code onnx::} initializer (not a weight, so {@link OnnxWeights} passes it by), added once.
   */
  String constant(String name, int type, long[] shape, byte[] data) {
    String full = "onnx::" + name;
    if (added.add(full)) {
      graph.message(5, tensor(full, type, shape, data));
    }
    return full;
  }

  /**
   * "encoder.layer.0.attention.self.query" -> "encoder/layer.0/attention/self/query": a node path
   * {@link OnnxWeights} maps back.
   */
  static String path(String module) {
    return module.replaceAll("\\.(?=[^0-9])", "/");
  }

  private SafeTensors.Tensor require(String name) {
    SafeTensors.Tensor t = weights.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "no tensor '"
              + name
              + "' in the checkpoint; expected Hugging Face names for "
              + architecture);
    }
    return t;
  }

  private static float[] transpose(SafeTensors.Tensor w) {
    int rows = (int) w.shape()[0];
    int cols = (int) w.shape()[1];
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = w.data()[r * cols + c];
      }
    }
    return out;
  }
}
