package dev.negbench.model;

import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Opens a cross-encoder by what its folder holds: ONNX Runtime for an ONNX export ({@code
 * model.onnx} or {@code onnx/model.onnx}: a downloaded reranker, or a trained one after {@code
 * export-onnx}), DJL PyTorch for a trained checkpoint ({@code model.safetensors} with a {@code
 * *ForSequenceClassification} config, as {@code train-ce} writes it).
 */
public final class CrossEncoders {
  private CrossEncoders() {}

  /** An open cross-encoder on either engine. */
  public interface Opened extends Scorer, AutoCloseable {
    /**
     * One score per pair (the one-label logit, or the positive class's of two), {@code progress}
     * advanced per pair.
     */
    @Override
    float[] score(List<QueryPassage> pairs, Progress progress);

    @Override
    default float[] score(List<QueryPassage> pairs) {
      return score(pairs, Progress.NONE);
    }

    /** Tokens per pair after capping at the model's position embeddings. */
    int maxLength();

    /**
     * Logits per pair: 1 (the score is the logit) or 2 (the score is label 1's logit, not a
     * probability).
     */
    int labels();

    /** {@code onnxruntime} or {@code djl}. */
    String engine();

    @Override
    void close();
  }

  /**
   * Scores pairs on either engine: tokenized as {@code [CLS] query [SEP] passage [SEP]},
   * length-bucketed ({@link Batches}), {@code logits} of each padded batch read as [rows, labels],
   * the score being label 0 of a one-label model and label 1 (positive) of a two-label one.
   */
  static float[] score(
      TextTokenizer tokenizer,
      List<QueryPassage> pairs,
      int batchSize,
      int labels,
      Function<PaddedBatch, float[]> logits,
      Progress progress) {
    List<Encoding> encodings = new ArrayList<>(pairs.size());
    for (QueryPassage p : pairs) {
      encodings.add(tokenizer.encode(p.query(), p.passage()));
    }
    List<Float> scores =
        Batches.map(
            encodings,
            batchSize,
            batch -> {
              float[] flat = logits.apply(batch);
              List<Float> out = new ArrayList<>(batch.rows());
              for (int r = 0; r < batch.rows(); r++) {
                out.add(flat[r * labels + labels - 1]); // index 0 of one label, 1 of two
              }
              return out;
            },
            progress);
    float[] result = new float[scores.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = scores.get(i);
    }
    return result;
  }

  /** True when ONNX Runtime would run the folder (it holds an ONNX export). */
  public static boolean isOnnx(Path dir) {
    return Files.isRegularFile(dir.resolve("model.onnx"))
        || Files.isRegularFile(dir.resolve("onnx").resolve("model.onnx"));
  }

  /**
   * The folder's cross-encoder on {@code device}: {@code threads} ONNX Runtime or PyTorch intra-op
   * threads, pairs cut at {@code maxLength} tokens, {@code batchSize} pairs a call.
   */
  public static Opened open(Path dir, int maxLength, int batchSize, int threads, String device) {
    if (isOnnx(dir)) {
      return CrossEncoder.open(dir, maxLength, batchSize, threads, device);
    }
    if (Files.isRegularFile(dir.resolve(DjlModel.WEIGHTS))) {
      return DjlCrossEncoder.open(dir.toString(), maxLength, batchSize, threads, device);
    }
    if (!Files.isDirectory(dir)) {
      throw new DatasetFormatException(
          dir,
          0,
          "not a folder; expected a cross-encoder folder (model.onnx or model.safetensors, tokenizer.json, config.json)");
    }
    throw new DatasetFormatException(
        dir.resolve("model.onnx"),
        0,
        "file not found; expected a cross-encoder's model.onnx (ONNX Runtime) or model.safetensors (a train-ce checkpoint, DJL)");
  }
}
