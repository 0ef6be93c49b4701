package dev.negbench.model;

import dev.negbench.data.DatasetFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bi-encoder: texts to mean-pooled embeddings from an ONNX transformer's
 * {@code last_hidden_state} (no normalization; cosine similarity normalizes where needed).
 */
public final class OnnxEncoder implements AutoCloseable {
  private static final String OUTPUT = "last_hidden_state";

  private final OnnxModel model;
  private final int batchSize;

  private OnnxEncoder(OnnxModel model, int batchSize) {
    this.model = model;
    this.batchSize = batchSize;
  }

  public static OnnxEncoder open(Path dir, int maxLength, int batchSize, int threads) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    OnnxModel model = OnnxModel.open(dir, maxLength, threads);
    long[] shape = model.outputs().get(OUTPUT);
    if (shape == null || shape.length != 3) {
      model.close();
      throw new DatasetFormatException(model.folder().model(), 0, "expected an output last_hidden_state of shape [batch, tokens, dim]");
    }
    return new OnnxEncoder(model, batchSize);
  }

  /** One embedding per text, in input order. */
  public float[][] encode(List<String> texts) {
    List<Encoding> encodings = new ArrayList<>(texts.size());
    for (String text : texts) {
      encodings.add(model.tokenizer().encode(text));
    }
    List<float[]> pooled =
        Batches.map(
            encodings,
            batchSize,
            batch -> {
              OnnxModel.Tensor hidden = model.run(batch, OUTPUT);
              int dim = (int) hidden.shape()[2];
              List<float[]> out = new ArrayList<>(batch.rows());
              for (int r = 0; r < batch.rows(); r++) {
                out.add(MeanPooling.pool(hidden.data(), batch.mask(), r, batch.length(), dim));
              }
              return out;
            },
            dev.negbench.data.Progress.NONE);
    return pooled.toArray(float[][]::new);
  }

  @Override
  public void close() {
    model.close();
  }
}
