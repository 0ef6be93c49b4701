package dev.negbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.model.Batches;
import dev.negbench.model.Encoding;
import dev.negbench.model.PaddedBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * Floating-point operations of a BERT-style encoder forward pass over padded batches, the FLOP
 * count used for "achieved GFLOP/s": per layer and padded token, the Q, K, V and output projections
 * (4 H^2 multiply-adds) and the feed-forward (2 H I), plus attention scores and their weighted sum
 * (2 T H per token); a multiply-add is 2 FLOP (Kaplan et al. 2020, table 1, without the embedding
 * and the negligible head). Padding positions are counted: the hardware computes them, and the
 * count is of work done, not work needed.
 */
record TransformerFlops(int layers, int hidden, int intermediate) {
  static TransformerFlops of(Path configJson) throws IOException {
    JsonNode c = Json.PLAIN.readTree(configJson.toFile());
    // BERT names (hidden_size, ...); DistilBERT's are dim, n_layers, hidden_dim.
    int layers =
        c.has("num_hidden_layers")
            ? c.get("num_hidden_layers").asInt()
            : c.path("n_layers").asInt();
    int hidden = c.has("hidden_size") ? c.get("hidden_size").asInt() : c.path("dim").asInt();
    int intermediate =
        c.has("intermediate_size")
            ? c.get("intermediate_size").asInt()
            : c.path("hidden_dim").asInt();
    if (layers < 1 || hidden < 1 || intermediate < 1) {
      throw new IllegalStateException(
          configJson
              + ": expected num_hidden_layers, hidden_size and intermediate_size (or DistilBERT's n_layers, dim, hidden_dim)");
    }
    return new TransformerFlops(layers, hidden, intermediate);
  }

  /** FLOP of one forward pass over {@code rows} sequences padded to {@code length} tokens. */
  long forward(int rows, int length) {
    long tokens = (long) rows * length;
    long perToken = 4L * hidden * hidden + 2L * hidden * intermediate + 2L * length * hidden;
    return 2 * layers * tokens * perToken;
  }

  /**
   * FLOP of the batches {@link Batches#map} forms from these encodings (the project's bucketing).
   */
  long bucketed(List<Encoding> encodings, int batchSize) {
    long[] total = {0};
    Batches.map(
        encodings,
        batchSize,
        (PaddedBatch b) -> {
          total[0] += forward(b.rows(), b.length());
          return Collections.nCopies(b.rows(), null);
        },
        Progress.NONE);
    return total[0];
  }

  /** FLOP of the given batches, e.g. those padded to the longest input. */
  long of(List<PaddedBatch> batches) {
    long total = 0;
    for (PaddedBatch b : batches) {
      total += forward(b.rows(), b.length());
    }
    return total;
  }

  /** The GEMM of this model's feed-forward up-projection for a batch: [tokens, H] x [H, I]. */
  int[] feedForwardShape(int tokens) {
    return new int[] {tokens, hidden, intermediate};
  }
}
