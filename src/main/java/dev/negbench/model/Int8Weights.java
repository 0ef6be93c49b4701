package dev.negbench.model;

/**
 * Symmetric per-column int8 quantization of a weight matrix, as ONNX Runtime's {@code
 * quantize_dynamic(per_channel=True, weight_type=QInt8)} does it: each output column j gets scale_j
 * = max_i |W[i, j]| / 127 and zero point 0, and W[i, j] is stored as round(W[i, j] / scale_j) in
 * [-127, 127]. Per-column scales keep a column of small weights from losing its precision to
 * another column's outlier.
 */
final class Int8Weights {
  /** Row-major int8 values [rows, cols] and one scale per column. */
  record Quantized(byte[] values, float[] scales) {
    /** The float weight value {@code values[r * cols + c]} stands for. */
    float dequantized(int r, int c) {
      return values[r * scales.length + c] * scales[c];
    }
  }

  private Int8Weights() {}

  /** Quantizes row-major {@code w} [rows, cols] (a Linear's weight transposed to [in, out]). */
  static Quantized quantize(float[] w, int rows, int cols) {
    if (w.length != (long) rows * cols) {
      throw new IllegalArgumentException(
          "weight has " + w.length + " values; expected " + rows + " x " + cols);
    }
    float[] scales = new float[cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        scales[c] = Math.max(scales[c], Math.abs(w[r * cols + c]));
      }
    }
    for (int c = 0; c < cols; c++) {
      // An all-zero column (a fresh head) keeps scale 1: any scale maps it to zeros.
      scales[c] = scales[c] == 0 ? 1f : scales[c] / 127f;
    }
    byte[] q = new byte[w.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        long v = Math.round(w[r * cols + c] / scales[c]);
        q[r * cols + c] = (byte) Math.max(-127, Math.min(127, v));
      }
    }
    return new Quantized(q, scales);
  }
}
