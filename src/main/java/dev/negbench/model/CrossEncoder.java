package dev.negbench.model;

import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A cross-encoder reranker (BertForSequenceClassification exported to ONNX): reads {@code [CLS]
 * query [SEP] passage [SEP]} and gives one relevance score per pair. One-label models
 * (sentence-transformers CrossEncoder, e.g. ms-marco-MiniLM) give the raw logit, as {@code
 * CrossEncoder.predict} does without an activation; two-label models give the logit of the positive
 * class (index 1).
 */
public final class CrossEncoder implements CrossEncoders.Opened {
  private final OnnxModel model;
  private final String output;
  private final int labels;
  private final int batchSize;

  private CrossEncoder(OnnxModel model, String output, int labels, int batchSize) {
    this.model = model;
    this.output = output;
    this.labels = labels;
    this.batchSize = batchSize;
  }

  public static CrossEncoder open(Path dir, int maxLength, int batchSize, int threads) {
    return open(dir, maxLength, batchSize, threads, "cpu");
  }

  /**
   * Opens the cross-encoder on {@code device} ({@code cpu} or {@code cuda[:N]}, see {@link
   * Device}).
   */
  public static CrossEncoder open(
      Path dir, int maxLength, int batchSize, int threads, String device) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    OnnxModel model = OnnxModel.open(dir, maxLength, threads, device);
    // "logits" is what transformers' exporters name it; a single float output is taken as well.
    String output =
        model.outputs().containsKey("logits")
            ? "logits"
            : model.outputs().size() == 1 ? model.outputs().keySet().iterator().next() : null;
    long[] shape = output == null ? null : model.outputs().get(output);
    if (shape == null || shape.length != 2 || (shape[1] != 1 && shape[1] != 2)) {
      model.close();
      throw new DatasetFormatException(
          model.folder().model(),
          0,
          "outputs are "
              + describe(model)
              + "; expected a cross-encoder's logits of shape [batch, 1] or [batch, 2]");
    }
    return new CrossEncoder(model, output, (int) shape[1], batchSize);
  }

  @Override
  public float[] score(List<QueryPassage> pairs) {
    return score(pairs, Progress.NONE);
  }

  /** Scores the pairs, advancing {@code progress} by one per pair. */
  @Override
  public float[] score(List<QueryPassage> pairs, Progress progress) {
    return CrossEncoders.score(
        model.tokenizer(),
        pairs,
        batchSize,
        labels,
        batch -> model.run(batch, output).data(),
        progress);
  }

  public OnnxModel model() {
    return model;
  }

  @Override
  public int maxLength() {
    return model.tokenizer().maxLength();
  }

  @Override
  public String engine() {
    return "onnxruntime";
  }

  @Override
  public int labels() {
    return labels;
  }

  private static String describe(OnnxModel model) {
    StringBuilder s = new StringBuilder();
    model
        .outputs()
        .forEach(
            (name, shape) ->
                s.append(s.isEmpty() ? "" : ", ").append(name).append(Arrays.toString(shape)));
    return s.isEmpty() ? "none of type float" : s.toString();
  }

  @Override
  public void close() {
    model.close();
  }
}
