package dev.negbench.experiment;

import dev.negbench.io.Progress;
import java.util.List;

/**
 * A bi-encoder as the pipeline uses it: texts in, embeddings out. A seam, so the pipeline neither
 * knows nor cares whether ONNX Runtime (the built-in models now) or the training stage's encoders
 * compute them; {@link #of} adapts any encoder with the same methods in one line.
 */
public interface RetrievalEncoder extends AutoCloseable {
  /** One embedding per text, in order, L2-normalised when {@code normalize}; one step per text. */
  float[][] encode(List<String> texts, boolean normalize, Progress progress);

  /** Tokens per text, longer texts truncated. */
  int maxLength();

  /** Identifies the weights and tokenizer: equal checksums encode equally (a cache key). */
  String checksum();

  @Override
  void close();

  /** The encode method of an encoder. */
  @FunctionalInterface
  interface Encode {
    float[][] encode(List<String> texts, boolean normalize, Progress progress);
  }

  /** Adapts an encoder: {@code RetrievalEncoder.of(e::encode, e.maxLength(), e.checksum(), e::close)}. */
  static RetrievalEncoder of(Encode encode, int maxLength, String checksum, Runnable close) {
    return new RetrievalEncoder() {
      @Override
      public float[][] encode(List<String> texts, boolean normalize, Progress progress) {
        return encode.encode(texts, normalize, progress);
      }

      @Override
      public int maxLength() {
        return maxLength;
      }

      @Override
      public String checksum() {
        return checksum;
      }

      @Override
      public void close() {
        close.run();
      }
    };
  }

  /** Opens encoders by model name or folder. */
  @FunctionalInterface
  interface Factory {
    RetrievalEncoder open(String model, int maxLength, int batchSize, int threads);
  }
}
