package dev.negbench.model;

import java.util.List;

/**
 * One encoder layer of an int8 export ({@code export-onnx --quantize int8}), computing what {@link
 * TransformerBlock} computes with ONNX Runtime's fused CPU operators (com.microsoft): QAttention
 * (the Q, K and V products in int8 in one matrix, then the float attention, fused), the attention
 * output and both feed-forward products as int8 MatMulIntegerToFloat ({@link
 * OnnxGraphBuilder#linear}), each residual sum and its LayerNorm as one SkipLayerNormalization, and
 * the feed-forward activation as one Gelu (erf), FastGelu (tanh approximation) or Relu. The fused
 * operators save the passes over [batch, tokens, hidden] that separate float operators make, which
 * weigh more once the products run in int8 (docs/results/int8.md measures both).
 */
final class Int8EncoderLayer {
  private Int8EncoderLayer() {}

  /** The layer {@code w} on {@code x}; {@code mask} is int32 [batch, tokens], 1 for a token. */
  static String apply(
      OnnxGraphBuilder graph,
      TransformerConfig config,
      TransformerConfig.LayerWeights w,
      String x,
      String mask) {
    double eps = config.layerNormEps();
    String context = graph.int8Attention(x, w.query(), w.key(), w.value(), mask, config.heads());
    x =
        graph.skipLayerNorm(
            graph.linear(context, w.attentionOut(), true), x, w.attentionNorm(), eps);
    String hidden = graph.linear(x, w.ffnIn(), true);
    String at = "/" + OnnxGraphBuilder.path(w.ffnIn());
    hidden =
        switch (config.activation()) {
          case "relu" -> graph.node("Relu", at + "/Relu", List.of(hidden));
          // gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), FastGelu's formula.
          case "gelu_new", "gelu_pytorch_tanh" ->
              graph.microsoft("FastGelu", at + "/FastGelu", List.of(hidden));
          default -> graph.microsoft("Gelu", at + "/Gelu", List.of(hidden)); // erf, exact
        };
    return graph.skipLayerNorm(graph.linear(hidden, w.ffnOut(), true), x, w.outputNorm(), eps);
  }
}
