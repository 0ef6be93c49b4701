package dev.negbench.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import java.util.List;

/**
 * A cross-encoder checkpoint ({@code BertForSequenceClassification} or {@code
 * DistilBertForSequenceClassification} in {@code model.safetensors}, as {@code train-ce} writes it)
 * scoring pairs on DJL PyTorch, in length-bucketed batches ({@link Batches}): the one-label logit,
 * or the positive class's of two, as {@link CrossEncoder} reads an ONNX export.
 */
public final class DjlCrossEncoder implements CrossEncoders.Opened {
  private final DjlModel model;
  private final TextTokenizer tokenizer;
  private final int batchSize;

  private DjlCrossEncoder(DjlModel model, TextTokenizer tokenizer, int batchSize) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.batchSize = batchSize;
  }

  /** Opens a checkpoint folder on {@code device} with {@code threads} PyTorch intra-op threads. */
  public static DjlCrossEncoder open(
      String dir, int maxLength, int batchSize, int threads, String device) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    Djl.threads(threads);
    DjlModel model = DjlModel.open(dir, Djl.device(device));
    try {
      int labels = model.config().labels();
      if (labels != 1 && labels != 2) {
        throw new DatasetFormatException(
            BuiltinModels.resolve(dir).resolve("config.json"),
            0,
            (labels == 0 ? "architectures name no classification head" : labels + " labels")
                + "; expected a cross-encoder (BertForSequenceClassification or DistilBertForSequenceClassification with 1 or 2 labels)");
      }
      TextTokenizer tokenizer =
          TextTokenizer.load(model.tokenizer(), Math.min(maxLength, model.config().maxPositions()));
      return new DjlCrossEncoder(model, tokenizer, batchSize);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  @Override
  public float[] score(List<QueryPassage> pairs, Progress progress) {
    return CrossEncoders.score(
        tokenizer,
        pairs,
        batchSize,
        model.config().labels(),
        batch -> {
          try (NDManager scope = model.manager().newSubManager()) {
            Shape shape = new Shape(batch.rows(), batch.length());
            NDArray logits =
                model
                    .block()
                    .logits(
                        scope.create(batch.ids(), shape),
                        scope.create(batch.mask(), shape),
                        scope.create(batch.typeIds(), shape));
            return logits.toDevice(Device.cpu(), false).toFloatArray();
          }
        },
        progress);
  }

  public DjlModel model() {
    return model;
  }

  @Override
  public int maxLength() {
    return tokenizer.maxLength();
  }

  @Override
  public String engine() {
    return "djl";
  }

  @Override
  public int labels() {
    return model.config().labels();
  }

  @Override
  public void close() {
    tokenizer.close();
    model.close();
  }
}
