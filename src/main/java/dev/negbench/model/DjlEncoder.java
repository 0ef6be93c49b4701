package dev.negbench.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bi-encoder on DJL PyTorch: a {@link DjlModel} (a trained checkpoint, a Hugging Face folder or
 * an imported ONNX export) with its tokenizer, length-bucketed batches ({@link Batches}) and mean
 * or [CLS] pooling. On a GPU the weights can be cast to float16 for encoding ({@code half});
 * pooling and normalisation run in float32.
 */
public final class DjlEncoder implements TextEncoder {
  private final DjlModel model;
  private final TextTokenizer tokenizer;
  private final int batchSize;
  private final Pooling pooling;
  private final boolean half;
  private String checksum;

  private DjlEncoder(
      DjlModel model, TextTokenizer tokenizer, int batchSize, Pooling pooling, boolean half) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.batchSize = batchSize;
    this.pooling = pooling;
    this.half = half;
  }

  /** Opens a model folder (or {@code minilm}) on {@code device} ("cpu", "cuda"). */
  public static DjlEncoder open(
      String model,
      int maxLength,
      int batchSize,
      int threads,
      String device,
      Pooling pooling,
      boolean half) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    Device d = Djl.device(device);
    if (half && d.equals(Device.cpu())) {
      throw new IllegalArgumentException(
          "float16 encoding needs a GPU; on the CPU encode in float32");
    }
    Djl.threads(threads);
    return wrap(
        DjlModel.open(model, d, half ? DataType.FLOAT16 : DataType.FLOAT32),
        maxLength,
        batchSize,
        pooling);
  }

  /** An encoder over an open model; closing the encoder closes the model. */
  public static DjlEncoder wrap(DjlModel model, int maxLength, int batchSize, Pooling pooling) {
    TextTokenizer tokenizer;
    try {
      tokenizer =
          TextTokenizer.load(model.tokenizer(), Math.min(maxLength, model.config().maxPositions()));
      if (tokenizer.maxTokenId() >= model.config().vocabSize()) {
        tokenizer.close();
        throw new DatasetFormatException(
            model.tokenizer(),
            0,
            "token ids up to "
                + tokenizer.maxTokenId()
                + " do not fit the model's vocab_size "
                + model.config().vocabSize());
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return new DjlEncoder(
        model, tokenizer, batchSize, pooling, model.block().dataType() == DataType.FLOAT16);
  }

  @Override
  public float[][] encode(List<String> texts, boolean normalize, Progress progress) {
    List<Encoding> encodings = new ArrayList<>(texts.size());
    for (String text : texts) {
      encodings.add(tokenizer.encode(text));
    }
    List<float[]> pooled = Batches.map(encodings, batchSize, this::run, progress);
    float[][] out = pooled.toArray(float[][]::new);
    if (normalize) {
      for (float[] v : out) {
        OnnxEncoder.l2Normalize(v);
      }
    }
    return out;
  }

  private List<float[]> run(PaddedBatch batch) {
    try (NDManager scope = model.manager().newSubManager()) {
      Shape shape = new Shape(batch.rows(), batch.length());
      NDArray ids = scope.create(batch.ids(), shape);
      NDArray mask = scope.create(batch.mask(), shape);
      NDArray types = scope.create(batch.typeIds(), shape);
      NDArray hidden = model.block().hidden(ids, mask, types).toType(DataType.FLOAT32, false);
      NDArray pooled =
          pooling == Pooling.MEAN
              ? TransformerBlock.meanPool(hidden, mask)
              : TransformerBlock.clsPool(hidden);
      float[] flat = pooled.toDevice(Device.cpu(), false).toFloatArray();
      int dim = model.config().hidden();
      List<float[]> rows = new ArrayList<>(batch.rows());
      for (int r = 0; r < batch.rows(); r++) {
        rows.add(Arrays.copyOfRange(flat, r * dim, (r + 1) * dim));
      }
      return rows;
    }
  }

  @Override
  public int maxLength() {
    return tokenizer.maxLength();
  }

  public DjlModel model() {
    return model;
  }

  public Pooling pooling() {
    return pooling;
  }

  /**
   * SHA-256 over the weights file's and tokenizer's checksums, the pooling, precision and engine.
   */
  @Override
  public synchronized String checksum() {
    if (checksum == null) {
      checksum =
          AtomicFiles.sha256(
              String.join(
                  "\n",
                  "djl",
                  AtomicFiles.sha256(model.weightsFile()),
                  AtomicFiles.sha256(model.tokenizer()),
                  pooling.label(),
                  half ? "fp16" : "fp32"));
    }
    return checksum;
  }

  @Override
  public void close() {
    tokenizer.close();
    model.close();
  }
}
