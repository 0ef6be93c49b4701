package dev.negbench.model;

import static dev.negbench.model.OnnxGraphBuilder.path;
import static dev.negbench.model.OnnxProto.FLOAT;
import static dev.negbench.model.OnnxProto.INT64;
import static dev.negbench.model.OnnxProto.attr;
import static dev.negbench.model.OnnxProto.ints;
import static dev.negbench.model.OnnxProto.longs;
import static dev.negbench.model.OnnxProto.valueInfo;

import java.util.List;
import java.util.Map;

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
 * The protobuf is written by hand ({@link OnnxGraphBuilder}, {@link OnnxProto}, {@link
 * ProtoMessage}: ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto fields from
 * onnx.proto3); no ONNX library is needed.
 */
public final class OnnxGraph {
  public static final int OPSET = 17; // LayerNormalization is an ONNX op from opset 17

  /**
   * Additive attention mask for padding, as {@link TransformerBlock}: exp(-1e9) is 0 in float32.
   */
  private static final float MASKED = -1e9f;

  private final TransformerConfig config;
  private final Quantization quantization;
  private final String prefix;
  private final OnnxGraphBuilder graph;

  private OnnxGraph(
      TransformerConfig config, Map<String, SafeTensors.Tensor> weights, Quantization q) {
    this.config = config;
    this.quantization = q;
    this.prefix = config.labels() > 0 ? config.headPrefix() : "";
    this.graph =
        new OnnxGraphBuilder("negbench-" + config.modelType(), weights, config.architecture(), q);
  }

  /**
   * The serialized ModelProto for {@code config} with {@code weights} by Hugging Face name (every
   * name of {@link TransformerConfig#parameterShapes} without the BERT pooler for a bi-encoder).
   */
  public static byte[] build(TransformerConfig config, Map<String, SafeTensors.Tensor> weights) {
    return build(config, weights, Quantization.NONE);
  }

  /**
   * As {@link #build(TransformerConfig, Map)}, with the encoder layers' linear products (Q, K, V,
   * attention output, both FFN layers) in int8 when {@code q} is {@link Quantization#INT8} ({@link
   * Int8EncoderLayer}); embeddings, LayerNorm, softmax, the attention products (QK^T, PV) and the
   * head stay float.
   */
  public static byte[] build(
      TransformerConfig config, Map<String, SafeTensors.Tensor> weights, Quantization q) {
    return new OnnxGraph(config, weights, q).model();
  }

  private byte[] model() {
    String ids = "input_ids";
    String mask = "attention_mask";
    graph.input(ids, INT64, "batch", "tokens");
    graph.input(mask, INT64, "batch", "tokens");
    if (config.isBert()) {
      graph.input("token_type_ids", INT64, "batch", "tokens");
    }
    String one = graph.constant("one_i64", INT64, new long[0], longs(1));
    String zero = graph.constant("zero_i64", INT64, new long[0], longs(0));
    // Embeddings: word + position (0..tokens-1) [+ token type], then LayerNorm.
    String tokens =
        graph.node(
            "Gather",
            "/embeddings/tokens/Gather",
            List.of(graph.node("Shape", "/embeddings/Shape", List.of(ids)), one),
            attr("axis", 0));
    String positions = graph.node("Range", "/embeddings/Range", List.of(zero, tokens, one));
    String e = prefix + "embeddings.";
    String x =
        graph.node(
            "Gather",
            "/" + path(e + "word_embeddings") + "/Gather",
            List.of(graph.weight(e + "word_embeddings.weight"), ids));
    x =
        graph.node(
            "Add",
            "/embeddings/position/Add",
            List.of(
                x,
                graph.node(
                    "Gather",
                    "/" + path(e + "position_embeddings") + "/Gather",
                    List.of(graph.weight(e + "position_embeddings.weight"), positions))));
    if (config.isBert()) {
      String types =
          graph.node(
              "Gather",
              "/" + path(e + "token_type_embeddings") + "/Gather",
              List.of(graph.weight(e + "token_type_embeddings.weight"), "token_type_ids"));
      x = graph.node("Add", "/embeddings/token_type/Add", List.of(x, types));
    }
    x = layerNorm(x, e + "LayerNorm");
    if (quantization == Quantization.INT8) {
      // QAttention takes the padding mask as int32 [batch, tokens], 1 for a token.
      String maskInt32 =
          graph.node("Cast", "/mask/CastInt32", List.of(mask), attr("to", OnnxProto.INT32));
      for (int l = 0; l < config.layers(); l++) {
        x =
            Int8EncoderLayer.apply(
                graph, config, TransformerConfig.LayerWeights.of(config, prefix, l), x, maskInt32);
      }
      return head(x, zero);
    }
    // Padding mask: (mask - 1) x 1e9, as [batch, 1, 1, tokens].
    String keep = graph.node("Cast", "/mask/Cast", List.of(mask), attr("to", FLOAT));
    String additive =
        graph.node(
            "Mul",
            "/mask/Mul",
            List.of(
                graph.node("Sub", "/mask/Sub", List.of(keep, graph.scalar(1f))),
                graph.scalar(-MASKED)));
    additive =
        graph.node(
            "Unsqueeze",
            "/mask/Unsqueeze",
            List.of(additive, graph.constant("axes_1_2", INT64, new long[] {2}, longs(1, 2))));
    int heads = config.heads();
    int headDim = config.hidden() / heads;
    String split =
        graph.constant("shape_heads", INT64, new long[] {4}, longs(0, 0, heads, headDim));
    String merge =
        graph.constant("shape_hidden", INT64, new long[] {3}, longs(0, 0, config.hidden()));
    String scale = graph.scalar((float) (1 / Math.sqrt(headDim)));
    for (int l = 0; l < config.layers(); l++) {
      TransformerConfig.LayerWeights w = TransformerConfig.LayerWeights.of(config, prefix, l);
      String q =
          graph.node(
              "Mul",
              "/" + path(w.query()) + "/scale/Mul",
              List.of(graph.linear(x, w.query(), true), scale));
      q =
          graph.node(
              "Transpose",
              "/" + path(w.query()) + "/Transpose",
              List.of(graph.node("Reshape", "/" + path(w.query()) + "/Reshape", List.of(q, split))),
              ints("perm", 0, 2, 1, 3));
      String k =
          graph.node(
              "Reshape",
              "/" + path(w.key()) + "/Reshape",
              List.of(graph.linear(x, w.key(), true), split));
      k =
          graph.node(
              "Transpose",
              "/" + path(w.key()) + "/Transpose",
              List.of(k),
              ints("perm", 0, 2, 3, 1));
      String v =
          graph.node(
              "Reshape",
              "/" + path(w.value()) + "/Reshape",
              List.of(graph.linear(x, w.value(), true), split));
      v =
          graph.node(
              "Transpose",
              "/" + path(w.value()) + "/Transpose",
              List.of(v),
              ints("perm", 0, 2, 1, 3));
      String layer = "/layer." + l + "/attention";
      String scores =
          graph.node(
              "Add",
              layer + "/mask/Add",
              List.of(graph.node("MatMul", layer + "/scores/MatMul", List.of(q, k)), additive));
      String probs = graph.node("Softmax", layer + "/Softmax", List.of(scores), attr("axis", -1));
      String context =
          graph.node(
              "Transpose",
              layer + "/context/Transpose",
              List.of(graph.node("MatMul", layer + "/context/MatMul", List.of(probs, v))),
              ints("perm", 0, 2, 1, 3));
      context = graph.node("Reshape", layer + "/context/Reshape", List.of(context, merge));
      x =
          layerNorm(
              graph.node(
                  "Add",
                  layer + "/residual/Add",
                  List.of(graph.linear(context, w.attentionOut(), true), x)),
              w.attentionNorm());
      String ffn =
          graph.linear(
              activation(graph.linear(x, w.ffnIn(), true), "/" + path(w.ffnIn())),
              w.ffnOut(),
              true);
      x =
          layerNorm(
              graph.node("Add", "/layer." + l + "/output/residual/Add", List.of(ffn, x)),
              w.outputNorm());
    }
    return head(x, zero);
  }

  /** The output: last_hidden_state, or a cross-encoder's head on the [CLS] state to logits. */
  private byte[] head(String x, String zero) {
    String output;
    if (config.labels() == 0) {
      output = "last_hidden_state";
      graph.output(output, FLOAT, "batch", "tokens", Integer.toString(config.hidden()));
    } else {
      output = "logits";
      String cls = graph.node("Gather", "/head/cls/Gather", List.of(x, zero), attr("axis", 1));
      String features =
          config.isBert()
              ? graph.node(
                  "Tanh", "/head/pooler/Tanh", List.of(graph.linear(cls, prefix + "pooler.dense")))
              : graph.node(
                  "Relu",
                  "/head/pre_classifier/Relu",
                  List.of(graph.linear(cls, "pre_classifier")));
      x = graph.linear(features, "classifier");
      graph.output(output, FLOAT, "batch", Integer.toString(config.labels()));
    }
    graph.node("Identity", "/output/Identity", List.of(x), output, new ProtoMessage[0]);
    return graph.model(OPSET);
  }

  /**
   * The serialized ModelProto of one matrix product {@code C = MatMul(A, B)} with fixed float
   * shapes [m, k] x [k, n]: the GEMM reference the benchmarks measure kernels against.
   */
  public static byte[] matMul(long m, long k, long n) {
    ProtoMessage node =
        new ProtoMessage()
            .string(1, "A")
            .string(1, "B")
            .string(2, "C")
            .string(3, "gemm")
            .string(4, "MatMul");
    ProtoMessage graph =
        new ProtoMessage()
            .message(1, node)
            .string(2, "gemm")
            .message(11, valueInfo("A", FLOAT, Long.toString(m), Long.toString(k)))
            .message(11, valueInfo("B", FLOAT, Long.toString(k), Long.toString(n)))
            .message(12, valueInfo("C", FLOAT, Long.toString(m), Long.toString(n)));
    return OnnxProto.model(graph, OPSET);
  }

  private String layerNorm(String x, String module) {
    return graph.layerNorm(x, module, config.layerNormEps());
  }

  /** The feed-forward activation, as {@link TransformerBlock}'s: erf GELU, tanh GELU or ReLU. */
  private String activation(String x, String at) {
    return switch (config.activation()) {
      case "relu" -> graph.node("Relu", at + "/Relu", List.of(x));
      case "gelu_new", "gelu_pytorch_tanh" -> {
        String cube =
            graph.node(
                "Mul",
                at + "/gelu/cube",
                List.of(graph.node("Mul", at + "/gelu/square", List.of(x, x)), x));
        String inner =
            graph.node(
                "Add",
                at + "/gelu/inner",
                List.of(
                    x, graph.node("Mul", at + "/gelu/c", List.of(cube, graph.scalar(0.044715f)))));
        String tanh =
            graph.node(
                "Tanh",
                at + "/gelu/Tanh",
                List.of(
                    graph.node(
                        "Mul",
                        at + "/gelu/s",
                        List.of(inner, graph.scalar((float) Math.sqrt(2 / Math.PI))))));
        yield graph.node(
            "Mul",
            at + "/gelu/Mul",
            List.of(
                graph.node("Mul", at + "/gelu/half", List.of(x, graph.scalar(0.5f))),
                graph.node("Add", at + "/gelu/one", List.of(tanh, graph.scalar(1f)))));
      }
      default -> {
        // 0.5 x (1 + erf(x / sqrt 2)), torch.nn.functional.gelu
        String erf =
            graph.node(
                "Erf",
                at + "/gelu/Erf",
                List.of(
                    graph.node(
                        "Div", at + "/gelu/Div", List.of(x, graph.scalar((float) Math.sqrt(2))))));
        yield graph.node(
            "Mul",
            at + "/gelu/Mul",
            List.of(
                graph.node("Mul", at + "/gelu/half", List.of(x, graph.scalar(0.5f))),
                graph.node("Add", at + "/gelu/one", List.of(erf, graph.scalar(1f)))));
      }
    };
  }
}
