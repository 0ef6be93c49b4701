package dev.negbench.model;

/**
 * Attention-masked mean of token embeddings, sentence-transformers' default pooling ({@code
 * Pooling(pooling_mode_mean_tokens=True)}): padding tokens do not count.
 */
public final class MeanPooling {
  private MeanPooling() {}

  /**
   * Pools row {@code row} of a last hidden state flattened as [rows, length, dim].
   *
   * @param mask the batch's attention mask, flattened as [rows, length]
   */
  public static float[] pool(float[] hidden, long[] mask, int row, int length, int dim) {
    float[] sum = new float[dim];
    long tokens = 0;
    for (int t = 0; t < length; t++) {
      if (mask[row * length + t] == 0) {
        continue;
      }
      tokens++;
      int base = (row * length + t) * dim;
      for (int d = 0; d < dim; d++) {
        sum[d] += hidden[base + d];
      }
    }
    // sentence-transformers clamps the count at 1e-9; a row with no tokens pools to zeros either
    // way.
    float n = Math.max(tokens, 1);
    for (int d = 0; d < dim; d++) {
      sum[d] /= n;
    }
    return sum;
  }
}
