package dev.negbench.model;

import dev.negbench.io.Progress;
import java.util.List;

/**
 * A text encoder producing one pooled vector per text (bi-encoder): ONNX Runtime ({@link
 * OnnxEncoder}) or DJL PyTorch ({@link DjlEncoder}). Dense search, mining and training's evaluation
 * depend on this seam; {@link Encoders#open} picks the implementation from the model.
 */
public interface TextEncoder extends AutoCloseable {
  /**
   * One embedding per text, in input order; L2-normalised when {@code normalize} (then inner
   * product is cosine similarity). {@code progress} advances by one per text.
   */
  float[][] encode(List<String> texts, boolean normalize, Progress progress);

  /** Tokens per text after capping at the model's position embeddings. */
  int maxLength();

  /** Stable identity of weights+tokenizer+pooling, used to key embedding caches. */
  String checksum();

  @Override
  void close();
}
