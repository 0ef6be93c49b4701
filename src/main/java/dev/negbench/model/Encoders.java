package dev.negbench.model;

import dev.negbench.io.DatasetFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens a {@link TextEncoder} for a model argument, choosing the engine from what the folder holds.
 */
public final class Encoders {
  private Encoders() {}

  /** Which engine runs a model: chosen from the folder, or forced. */
  public enum Engine {
    AUTO,
    ONNX,
    DJL;

    public static Engine parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "onnx" -> ONNX;
        case "djl" -> DJL;
        default ->
            throw new IllegalArgumentException("engine must be auto, onnx or djl, was " + name);
      };
    }
  }

  /**
   * "minilm" → built-in ONNX; a folder with model.onnx → ONNX Runtime; a folder with
   * model.safetensors (a trained checkpoint) → DJL.
   */
  public static TextEncoder open(String model, int maxLength, int batchSize, int threads) {
    return open(model, maxLength, batchSize, threads, Engine.AUTO, "cpu", Pooling.MEAN);
  }

  /**
   * The engine {@link Engine#AUTO} picks: ONNX Runtime for the built-in models and folders with
   * model.onnx only, DJL for trained checkpoints (model.safetensors) and pickles.
   */
  public static Engine engineFor(String model) {
    Path dir = BuiltinModels.resolve(model);
    boolean safetensors = Files.isRegularFile(dir.resolve(DjlModel.WEIGHTS));
    boolean onnx =
        Files.isRegularFile(dir.resolve("model.onnx"))
            || Files.isRegularFile(dir.resolve("onnx").resolve("model.onnx"));
    if (BuiltinModels.isBuiltin(model) || (onnx && !safetensors)) {
      return Engine.ONNX;
    }
    if (safetensors || Files.isRegularFile(dir.resolve("pytorch_model.bin"))) {
      return Engine.DJL; // a pickle-only folder gets DjlModel's message on how to convert it
    }
    throw new DatasetFormatException(
        dir,
        0,
        "expected a model folder with model.safetensors (DJL) or model.onnx (ONNX Runtime), or 'minilm'");
  }

  /**
   * As {@link #open(String, int, int, int)} with the engine forced ({@code DJL} imports an ONNX
   * export's weights; {@code ONNX} needs a model.onnx), a DJL device ("cpu", "cuda"; on a GPU the
   * DJL encoder runs in float16) and the pooling (ONNX Runtime pools by mean only).
   */
  public static TextEncoder open(
      String model,
      int maxLength,
      int batchSize,
      int threads,
      Engine engine,
      String device,
      Pooling pooling) {
    Path dir = BuiltinModels.resolve(model);
    Engine use = engine == Engine.AUTO ? engineFor(model) : engine;
    if (use == Engine.ONNX) {
      if (pooling != Pooling.MEAN) {
        throw new IllegalArgumentException(
            "the ONNX Runtime encoder pools by mean only; use --engine djl for cls pooling");
      }
      return OnnxEncoder.open(
          dir, maxLength, batchSize, threads,
          device); // cuda: ONNX Runtime's CUDA provider, or a clear error
    }
    return DjlEncoder.open(
        model, maxLength, batchSize, threads, device, pooling, !device.equalsIgnoreCase("cpu"));
  }
}
