package dev.negbench.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DistilBERT or BERT encoder written as an ONNX graph (opset 17) around a checkpoint's weights,
 * op for op what {@link TransformerBlock#hidden} and {@link TransformerBlock#logits} compute:
 * embeddings and LayerNormalization, then per layer multi-head self-attention with the padding
 * masked out, the feed-forward network and their residual LayerNormalizations; a bi-encoder outputs
 * {@code last_hidden_state} [batch, tokens, hidden] (pooling stays in Java, as for every ONNX
 * encoder here), a cross-encoder {@code logits} [batch, labels] from its classification head.
 * Inputs are {@code input_ids}, {@code attention_mask} and, for BERT, {@code token_type_ids}, all
 * int64 [batch, tokens], as transformers' exporters name them.
 *
 * <p>Weights keep the names {@link OnnxWeights} reads back: biases, LayerNorm and embedding weights
 * under their Hugging Face names, each Linear's weight transposed to [in, out] as an {@code onnx::}
 * initializer feeding a MatMul named after its module, as {@code torch.onnx.export} lays it out.
 * The protobuf is written by hand (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto
 * fields from onnx.proto3); no ONNX library is needed.
 */
public final class OnnxGraph {
  public static final int OPSET = 17; // LayerNormalization is an ONNX op from opset 17
  private static final int IR_VERSION = 8;
  private static final int FLOAT = 1;
  private static final int INT64 = 7;

  /**
   * Additive attention mask for padding, as {@link TransformerBlock}: exp(-1e9) is 0 in float32.
   */
  private static final float MASKED = -1e9f;

  private final TransformerConfig config;
  private final Map<String, SafeTensors.Tensor> weights;
  private final String prefix;
  private final Proto graph = new Proto();

  /** Initializers already in the graph, by name. */
  private final Set<String> added = new HashSet<>();

  private int counter;

  private OnnxGraph(TransformerConfig config, Map<String, SafeTensors.Tensor> weights) {
    this.config = config;
    this.weights = weights;
    this.prefix = config.labels() > 0 ? config.headPrefix() : "";
  }

  /**
   * The serialized ModelProto for {@code config} with {@code weights} by Hugging Face name (every
   * name of {@link TransformerConfig#parameterShapes} without the BERT pooler for a bi-encoder).
   */
  public static byte[] build(TransformerConfig config, Map<String, SafeTensors.Tensor> weights) {
    return new OnnxGraph(config, weights).model();
  }

  private byte[] model() {
    graph.string(2, "negbench-" + config.modelType());
    String ids = "input_ids";
    String mask = "attention_mask";
    graph.message(11, valueInfo(ids, INT64, "batch", "tokens"));
    graph.message(11, valueInfo(mask, INT64, "batch", "tokens"));
    if (config.isBert()) {
      graph.message(11, valueInfo("token_type_ids", INT64, "batch", "tokens"));
    }
    String one = constant("one_i64", INT64, new long[0], longs(1));
    String zero = constant("zero_i64", INT64, new long[0], longs(0));
    // Embeddings: word + position (0..tokens-1) [+ token type], then LayerNorm.
    String tokens =
        node(
            "Gather",
            "/embeddings/tokens/Gather",
            List.of(node("Shape", "/embeddings/Shape", List.of(ids)), one),
            attr("axis", 0));
    String positions = node("Range", "/embeddings/Range", List.of(zero, tokens, one));
    String e = prefix + "embeddings.";
    String x =
        node(
            "Gather",
            "/" + path(e + "word_embeddings") + "/Gather",
            List.of(weight(e + "word_embeddings.weight"), ids));
    x =
        node(
            "Add",
            "/embeddings/position/Add",
            List.of(
                x,
                node(
                    "Gather",
                    "/" + path(e + "position_embeddings") + "/Gather",
                    List.of(weight(e + "position_embeddings.weight"), positions))));
    if (config.isBert()) {
      String types =
          node(
              "Gather",
              "/" + path(e + "token_type_embeddings") + "/Gather",
              List.of(weight(e + "token_type_embeddings.weight"), "token_type_ids"));
      x = node("Add", "/embeddings/token_type/Add", List.of(x, types));
    }
    x = layerNorm(x, e + "LayerNorm");
    // Padding mask: (mask - 1) x 1e9, as [batch, 1, 1, tokens].
    String keep = node("Cast", "/mask/Cast", List.of(mask), attr("to", FLOAT));
    String additive =
        node(
            "Mul",
            "/mask/Mul",
            List.of(node("Sub", "/mask/Sub", List.of(keep, scalar(1f))), scalar(-MASKED)));
    additive =
        node(
            "Unsqueeze",
            "/mask/Unsqueeze",
            List.of(additive, constant("axes_1_2", INT64, new long[] {2}, longs(1, 2))));
    int heads = config.heads();
    int headDim = config.hidden() / heads;
    String split = constant("shape_heads", INT64, new long[] {4}, longs(0, 0, heads, headDim));
    String merge = constant("shape_hidden", INT64, new long[] {3}, longs(0, 0, config.hidden()));
    String scale = scalar((float) (1 / Math.sqrt(headDim)));
    for (int l = 0; l < config.layers(); l++) {
      TransformerConfig.LayerWeights w = TransformerConfig.LayerWeights.of(config, prefix, l);
      String q =
          node("Mul", "/" + path(w.query()) + "/scale/Mul", List.of(linear(x, w.query()), scale));
      q =
          node(
              "Transpose",
              "/" + path(w.query()) + "/Transpose",
              List.of(node("Reshape", "/" + path(w.query()) + "/Reshape", List.of(q, split))),
              ints("perm", 0, 2, 1, 3));
      String k =
          node("Reshape", "/" + path(w.key()) + "/Reshape", List.of(linear(x, w.key()), split));
      k =
          node(
              "Transpose",
              "/" + path(w.key()) + "/Transpose",
              List.of(k),
              ints("perm", 0, 2, 3, 1));
      String v =
          node("Reshape", "/" + path(w.value()) + "/Reshape", List.of(linear(x, w.value()), split));
      v =
          node(
              "Transpose",
              "/" + path(w.value()) + "/Transpose",
              List.of(v),
              ints("perm", 0, 2, 1, 3));
      String layer = "/layer." + l + "/attention";
      String scores =
          node(
              "Add",
              layer + "/mask/Add",
              List.of(node("MatMul", layer + "/scores/MatMul", List.of(q, k)), additive));
      String probs = node("Softmax", layer + "/Softmax", List.of(scores), attr("axis", -1));
      String context =
          node(
              "Transpose",
              layer + "/context/Transpose",
              List.of(node("MatMul", layer + "/context/MatMul", List.of(probs, v))),
              ints("perm", 0, 2, 1, 3));
      context = node("Reshape", layer + "/context/Reshape", List.of(context, merge));
      x =
          layerNorm(
              node("Add", layer + "/residual/Add", List.of(linear(context, w.attentionOut()), x)),
              w.attentionNorm());
      String ffn = linear(activation(linear(x, w.ffnIn()), "/" + path(w.ffnIn())), w.ffnOut());
      x =
          layerNorm(
              node("Add", "/layer." + l + "/output/residual/Add", List.of(ffn, x)), w.outputNorm());
    }
    String output;
    if (config.labels() == 0) {
      output = "last_hidden_state";
      graph.message(
          12, valueInfo(output, FLOAT, "batch", "tokens", Integer.toString(config.hidden())));
    } else {
      output = "logits";
      String cls = node("Gather", "/head/cls/Gather", List.of(x, zero), attr("axis", 1));
      String features =
          config.isBert()
              ? node("Tanh", "/head/pooler/Tanh", List.of(linear(cls, prefix + "pooler.dense")))
              : node("Relu", "/head/pre_classifier/Relu", List.of(linear(cls, "pre_classifier")));
      x = linear(features, "classifier");
      graph.message(12, valueInfo(output, FLOAT, "batch", Integer.toString(config.labels())));
    }
    node("Identity", "/output/Identity", List.of(x), output, new Proto[0]);
    Proto model = new Proto();
    model.varint(1, IR_VERSION);
    model.string(2, "negbench");
    model.message(7, graph);
    model.message(8, new Proto().string(1, "").varint(2, OPSET));
    return model.toByteArray();
  }

  /**
   * The serialized ModelProto of one matrix product {@code C = MatMul(A, B)} with fixed float
   * shapes [m, k] x [k, n]: the GEMM reference the benchmarks measure kernels against.
   */
  public static byte[] matMul(long m, long k, long n) {
    Proto node =
        new Proto()
            .string(1, "A")
            .string(1, "B")
            .string(2, "C")
            .string(3, "gemm")
            .string(4, "MatMul");
    Proto graph =
        new Proto()
            .message(1, node)
            .string(2, "gemm")
            .message(11, valueInfo("A", FLOAT, Long.toString(m), Long.toString(k)))
            .message(11, valueInfo("B", FLOAT, Long.toString(k), Long.toString(n)))
            .message(12, valueInfo("C", FLOAT, Long.toString(m), Long.toString(n)));
    return new Proto()
        .varint(1, IR_VERSION)
        .string(2, "negbench")
        .message(7, graph)
        .message(8, new Proto().string(1, "").varint(2, OPSET))
        .toByteArray();
  }

  /**
   * x W^T + b for the PyTorch Linear {@code module}: its weight transposed into an {@code onnx::}
   * initializer feeding a MatMul named after the module.
   */
  private String linear(String x, String module) {
    SafeTensors.Tensor w = require(module + ".weight");
    String t = "onnx::MatMul_" + module;
    graph.message(
        5, tensor(t, FLOAT, new long[] {w.shape()[1], w.shape()[0]}, floats(transpose(w))));
    String product = node("MatMul", "/" + path(module) + "/MatMul", List.of(x, t));
    return node("Add", "/" + path(module) + "/Add", List.of(product, weight(module + ".bias")));
  }

  private String layerNorm(String x, String module) {
    Proto eps =
        new Proto().string(1, "epsilon").fixed32(2, (float) config.layerNormEps()).varint(20, 1);
    return node(
        "LayerNormalization",
        "/" + path(module) + "/LayerNormalization",
        List.of(x, weight(module + ".weight"), weight(module + ".bias")),
        attr("axis", -1),
        eps);
  }

  /** The feed-forward activation, as {@link TransformerBlock}'s: erf GELU, tanh GELU or ReLU. */
  private String activation(String x, String at) {
    return switch (config.activation()) {
      case "relu" -> node("Relu", at + "/Relu", List.of(x));
      case "gelu_new", "gelu_pytorch_tanh" -> {
        String cube =
            node(
                "Mul",
                at + "/gelu/cube",
                List.of(node("Mul", at + "/gelu/square", List.of(x, x)), x));
        String inner =
            node(
                "Add",
                at + "/gelu/inner",
                List.of(x, node("Mul", at + "/gelu/c", List.of(cube, scalar(0.044715f)))));
        String tanh =
            node(
                "Tanh",
                at + "/gelu/Tanh",
                List.of(
                    node(
                        "Mul",
                        at + "/gelu/s",
                        List.of(inner, scalar((float) Math.sqrt(2 / Math.PI))))));
        yield node(
            "Mul",
            at + "/gelu/Mul",
            List.of(
                node("Mul", at + "/gelu/half", List.of(x, scalar(0.5f))),
                node("Add", at + "/gelu/one", List.of(tanh, scalar(1f)))));
      }
      default -> {
        // 0.5 x (1 + erf(x / sqrt 2)), torch.nn.functional.gelu
        String erf =
            node(
                "Erf",
                at + "/gelu/Erf",
                List.of(node("Div", at + "/gelu/Div", List.of(x, scalar((float) Math.sqrt(2))))));
        yield node(
            "Mul",
            at + "/gelu/Mul",
            List.of(
                node("Mul", at + "/gelu/half", List.of(x, scalar(0.5f))),
                node("Add", at + "/gelu/one", List.of(erf, scalar(1f)))));
      }
    };
  }

  /**
   * "encoder.layer.0.attention.self.query" -> "encoder/layer.0/attention/self/query": a node path
   * {@link OnnxWeights} maps back.
   */
  private static String path(String module) {
    return module.replaceAll("\\.(?=[^0-9])", "/");
  }

  private String node(String op, String name, List<String> inputs, Proto... attributes) {
    return node(op, name, inputs, name + "_output_" + counter++, attributes);
  }

  private String node(
      String op, String name, List<String> inputs, String output, Proto[] attributes) {
    Proto n = new Proto();
    for (String in : inputs) {
      n.string(1, in);
    }
    n.string(2, output);
    n.string(3, name);
    n.string(4, op);
    for (Proto a : attributes) {
      n.message(5, a);
    }
    graph.message(1, n);
    return output;
  }

  /** A weight under its Hugging Face name, added to the graph once. */
  private String weight(String name) {
    SafeTensors.Tensor t = require(name);
    if (added.add(name)) {
      graph.message(5, tensor(name, FLOAT, t.shape(), floats(t.data())));
    }
    return name;
  }

  private SafeTensors.Tensor require(String name) {
    SafeTensors.Tensor t = weights.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "no tensor '"
              + name
              + "' in the checkpoint; expected Hugging Face names for "
              + config.architecture());
    }
    return t;
  }

  private String scalar(float value) {
    return constant(
        "f_" + Float.toString(value).replace('-', 'm'),
        FLOAT,
        new long[0],
        floats(new float[] {value}));
  }

  /**
   * An {@code onnx::} initializer (not a weight, so {@link OnnxWeights} passes it by), added once.
   */
  private String constant(String name, int type, long[] shape, byte[] data) {
    String full = "onnx::" + name;
    if (added.add(full)) {
      graph.message(5, tensor(full, type, shape, data));
    }
    return full;
  }

  private static Proto attr(String name, long value) {
    return new Proto().string(1, name).varint(3, value).varint(20, 2); // type INT
  }

  private static Proto ints(String name, long... values) {
    Proto a = new Proto().string(1, name);
    for (long v : values) {
      a.varint(8, v);
    }
    return a.varint(20, 7); // type INTS
  }

  private static Proto tensor(String name, int type, long[] shape, byte[] raw) {
    Proto t = new Proto();
    for (long d : shape) {
      t.varint(1, d);
    }
    t.varint(2, type);
    t.string(8, name);
    t.bytes(9, raw);
    return t;
  }

  /** A graph input or output: element type and named (symbolic) or numbered dimensions. */
  private static Proto valueInfo(String name, int type, String... dims) {
    Proto shape = new Proto();
    for (String d : dims) {
      shape.message(
          1,
          d.chars().allMatch(Character::isDigit)
              ? new Proto().varint(1, Long.parseLong(d))
              : new Proto().string(2, d));
    }
    Proto tensorType = new Proto().varint(1, type).message(2, shape);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
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

  private static byte[] floats(float[] data) {
    ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    return b.array();
  }

  private static byte[] longs(long... data) {
    ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(data);
    return b.array();
  }

  /** A protobuf message being written: fields in the order added (the wire format allows any). */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
      return this;
    }

    Proto fixed32(int field, float value) {
      raw((long) field << 3 | 5);
      int bits = Float.floatToIntBits(value);
      for (int i = 0; i < 4; i++) {
        out.write(bits >>> (8 * i));
      }
      return this;
    }

    Proto string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto bytes(int field, byte[] value) {
      raw((long) field << 3 | 2);
      raw(value.length);
      out.writeBytes(value);
      return this;
    }

    Proto message(int field, Proto message) {
      return bytes(field, message.toByteArray());
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }

    private void raw(long value) {
      long v = value;
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
