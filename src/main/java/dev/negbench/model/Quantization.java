package dev.negbench.model;

import dev.negbench.io.EnumNames;

/**
 * How an ONNX export's linear layers compute: {@code none} in float32, {@code int8} by ONNX
 * Runtime's dynamic int8 quantization (weights int8 at export, activations quantized per call;
 * {@link OnnxGraphBuilder#linear}). Options and configs spell it {@code none} or {@code int8}.
 */
public enum Quantization {
  NONE,
  INT8;

  /** {@code none} or {@code int8} in any case; anything else an error naming both. */
  public static Quantization parse(String text) {
    return EnumNames.parse(Quantization.class, "quantize", text);
  }

  /** The lower-case name configs, {@code export.json} and summaries record. */
  public String label() {
    return EnumNames.label(this);
  }
}
