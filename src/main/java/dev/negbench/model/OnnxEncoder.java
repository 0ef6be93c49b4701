package dev.negbench.model;

import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bi-encoder: texts to mean-pooled embeddings from an ONNX transformer's {@code
 * last_hidden_state} (no normalization; cosine similarity normalizes where needed).
 */
public final class OnnxEncoder implements TextEncoder {
  private static final String OUTPUT = "last_hidden_state";

  private final OnnxModel model;
  private final int batchSize;
  private String checksum;

  private OnnxEncoder(OnnxModel model, int batchSize) {
    this.model = model;
    this.batchSize = batchSize;
  }

  public static OnnxEncoder open(Path dir, int maxLength, int batchSize, int threads) {
    return open(dir, maxLength, batchSize, threads, "cpu");
  }

  /** Opens the encoder on {@code device} ({@code cpu} or {@code cuda[:N]}, see {@link Device}). */
  public static OnnxEncoder open(
      Path dir, int maxLength, int batchSize, int threads, String device) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    OnnxModel model = OnnxModel.open(dir, maxLength, threads, device);
    long[] shape = model.outputs().get(OUTPUT);
    if (shape == null || shape.length != 3) {
      model.close();
      throw new DatasetFormatException(
          model.folder().model(),
          0,
          "expected an output last_hidden_state of shape [batch, tokens, dim]");
    }
    return new OnnxEncoder(model, batchSize);
  }

  /** One embedding per text, in input order. */
  public float[][] encode(List<String> texts) {
    return encode(texts, false, Progress.NONE);
  }

  /**
   * One embedding per text, in input order, L2-normalised when {@code normalize} (as
   * sentence-transformers' {@code Normalize} module, e.g. all-MiniLM-L6-v2's last module, so that
   * inner product is cosine similarity); {@code progress} advances by one per text.
   */
  @Override
  public float[][] encode(List<String> texts, boolean normalize, Progress progress) {
    float[][] embeddings = pooled(texts, progress);
    if (normalize) {
      for (float[] e : embeddings) {
        l2Normalize(e);
      }
    }
    return embeddings;
  }

  /**
   * Divides a vector by its L2 norm in place, as {@code torch.nn.functional.normalize} does (the
   * norm clamped at 1e-12, so a zero vector stays zero).
   */
  public static float[] l2Normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    float norm = (float) Math.max(Math.sqrt(sum), 1e-12);
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
    return v;
  }

  /** The model folder the encoder reads. */
  public ModelFolder folder() {
    return model.folder();
  }

  /** Tokens per text after capping at the model's position embeddings. */
  @Override
  public int maxLength() {
    return model.tokenizer().maxLength();
  }

  private float[][] pooled(List<String> texts, Progress progress) {
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
            progress);
    return pooled.toArray(float[][]::new);
  }

  /** SHA-256 over the ONNX file's and tokenizer's checksums and the pooling (mean). */
  @Override
  public synchronized String checksum() {
    if (checksum == null) {
      checksum =
          AtomicFiles.sha256(
              String.join(
                  "\n",
                  "onnx",
                  AtomicFiles.sha256(folder().model()),
                  AtomicFiles.sha256(folder().tokenizer()),
                  "mean"));
    }
    return checksum;
  }

  @Override
  public void close() {
    model.close();
  }
}
