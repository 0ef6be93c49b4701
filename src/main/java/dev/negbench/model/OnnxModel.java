package dev.negbench.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.negbench.io.DatasetFormatException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX Runtime session (CPU, or CUDA with the {@code onnxruntime_gpu} build) over a {@link
 * ModelFolder} together with its tokenizer. The session's own input and output names decide what is
 * fed and read: BERT exports take {@code token_type_ids}, DistilBERT and many sentence-transformers
 * exports do not.
 */
public final class OnnxModel implements AutoCloseable {
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";

  /** A float output flattened row-major, with its shape (e.g. [B, labels] or [B, T, H]). */
  public record Tensor(float[] data, long[] shape) {}

  private final ModelFolder folder;
  private final TextTokenizer tokenizer;
  private final OrtSession session;
  private final boolean takesTokenTypeIds;
  private final Map<String, long[]> outputs;

  private OnnxModel(
      ModelFolder folder,
      TextTokenizer tokenizer,
      OrtSession session,
      boolean takesTokenTypeIds,
      Map<String, long[]> outputs) {
    this.folder = folder;
    this.tokenizer = tokenizer;
    this.session = session;
    this.takesTokenTypeIds = takesTokenTypeIds;
    this.outputs = outputs;
  }

  /**
   * Opens a model folder. {@code maxLength} is capped at the model's position embeddings (longer
   * inputs would index past them); {@code threads} is ONNX Runtime's intra-op thread count.
   */
  public static OnnxModel open(Path dir, int maxLength, int threads) {
    return open(dir, maxLength, threads, "cpu");
  }

  /**
   * Opens a model folder on {@code device}: {@code cpu}, or {@code cuda[:N]} for ONNX Runtime's
   * CUDA execution provider (GPU N), which needs the {@code onnxruntime_gpu} build.
   */
  public static OnnxModel open(Path dir, int maxLength, int threads, String device) {
    Device kind = Device.parse(device);
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    ModelFolder folder = ModelFolder.open(dir);
    TextTokenizer tokenizer =
        TextTokenizer.load(folder.tokenizer(), Math.min(maxLength, folder.maxPositions()));
    OrtSession session = null;
    try {
      if (tokenizer.maxTokenId() >= folder.vocabSize()) {
        throw new DatasetFormatException(
            folder.tokenizer(),
            0,
            "token ids up to "
                + tokenizer.maxTokenId()
                + " do not fit the model's vocab_size "
                + folder.vocabSize()
                + " ("
                + folder.config()
                + "); expected the tokenizer the model was trained with");
      }
      session = createSession(folder, threads, kind, Device.ordinal(device));
      Map<String, NodeInfo> inputs = session.getInputInfo();
      for (var input : inputs.entrySet()) {
        String name = input.getKey();
        if (!Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).contains(name)) {
          throw new DatasetFormatException(
              folder.model(),
              0,
              "unsupported input '"
                  + name
                  + "'; expected input_ids, attention_mask and optionally token_type_ids");
        }
        if (!(input.getValue().getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.INT64) {
          throw new DatasetFormatException(
              folder.model(),
              0,
              "input '"
                  + name
                  + "' is "
                  + input.getValue().getInfo()
                  + "; expected an int64 tensor");
        }
      }
      if (!inputs.containsKey(INPUT_IDS) || !inputs.containsKey(ATTENTION_MASK)) {
        throw new DatasetFormatException(
            folder.model(),
            0,
            "inputs are " + inputs.keySet() + "; expected input_ids and attention_mask");
      }
      Map<String, long[]> outputs = new LinkedHashMap<>();
      for (var output : session.getOutputInfo().entrySet()) {
        if (output.getValue().getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT) {
          outputs.put(output.getKey(), t.getShape());
        }
      }
      return new OnnxModel(folder, tokenizer, session, inputs.containsKey(TOKEN_TYPE_IDS), outputs);
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      tokenizer.close();
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new DatasetFormatException(
          folder.model(), 0, "cannot read its inputs and outputs: " + e.getMessage(), e);
    }
  }

  private static OrtSession createSession(ModelFolder folder, int threads, Device device, int gpu) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      if (device == Device.CUDA) {
        requireCuda();
        try {
          options.addCUDA(gpu);
        } catch (OrtException e) {
          throw new IllegalArgumentException(
              "--device cuda: ONNX Runtime's CUDA provider failed to start on GPU "
                  + gpu
                  + ": "
                  + e.getMessage()
                  + " (it needs CUDA 12 and cuDNN 9 libraries on the library path)",
              e);
        }
      }
      return OrtEnvironment.getEnvironment().createSession(folder.model().toString(), options);
    } catch (OrtException e) {
      throw new DatasetFormatException(
          folder.model(),
          0,
          "expected an ONNX model that ONNX Runtime can load: " + e.getMessage(),
          e);
    }
  }

  /**
   * Fails clearly when this ONNX Runtime build has no CUDA provider: the default dependency is the
   * CPU build, and a session would otherwise fall back to the CPU without a word.
   */
  static void requireCuda() {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      throw new IllegalArgumentException(
          "--device cuda: this ONNX Runtime build has no CUDA provider (available: "
              + OrtEnvironment.getAvailableProviders()
              + "). Build with the GPU runtime, 'mvn -Pcuda package' (com.microsoft.onnxruntime:onnxruntime_gpu, needs CUDA 12 and cuDNN 9), or use --device cpu");
    }
  }

  public ModelFolder folder() {
    return folder;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public boolean takesTokenTypeIds() {
    return takesTokenTypeIds;
  }

  /** Float outputs by name, with their declared shapes (-1 for a dynamic axis). */
  public Map<String, long[]> outputs() {
    return outputs;
  }

  /** Runs one padded batch and returns the named output. */
  public Tensor run(PaddedBatch batch, String output) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      feed.put(
          INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), batch.shape()));
      feed.put(
          ATTENTION_MASK,
          OnnxTensor.createTensor(env, LongBuffer.wrap(batch.mask()), batch.shape()));
      if (takesTokenTypeIds) {
        feed.put(
            TOKEN_TYPE_IDS,
            OnnxTensor.createTensor(env, LongBuffer.wrap(batch.typeIds()), batch.shape()));
      }
      try (OrtSession.Result result = session.run(feed, Set.of(output))) {
        OnnxTensor tensor = (OnnxTensor) result.get(output).orElseThrow();
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] data = new float[buffer.remaining()];
        buffer.get(data);
        return new Tensor(data, tensor.getInfo().getShape());
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed on " + folder.model() + ": " + e.getMessage(), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    closeQuietly(session);
    tokenizer.close();
  }

  private static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException ignored) {
        // nothing to do: the session is gone either way
      }
    }
  }
}
