package dev.negbench.model;

import dev.negbench.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Quantization on the fly for the commands and stages that take {@code --quantize int8}: the model
 * is exported once by {@link OnnxExport} into a folder under {@code WORK/quantized/int8-SHA} (SHA:
 * the first 16 hex digits of the source weights' SHA-256), and that folder is opened instead. The
 * folder is reused while its {@code export.json} names the same weights and quantization, so a
 * retrained checkpoint at the same path gets a new export.
 */
public final class QuantizedModels {
  private QuantizedModels() {}

  /**
   * The model to open for {@code model} (a built-in name or a folder) at {@code quantization}:
   * {@code model} itself for {@link Quantization#NONE}, else its quantized export's folder under
   * {@code workDir}, written now if missing.
   */
  public static String prepare(String model, Quantization quantization, Path workDir) {
    if (quantization == Quantization.NONE) {
      return model;
    }
    Path src = BuiltinModels.resolve(model);
    String sha = AtomicFiles.sha256(OnnxExport.weightsFile(src));
    Path dir =
        workDir
            .resolve("quantized")
            .resolve(quantization.label() + "-" + sha.substring(0, 16))
            .toAbsolutePath()
            .normalize();
    if (!isExportOf(dir, sha, quantization)) {
      OnnxExport.export(model, dir, quantization);
    }
    return dir.toString();
  }

  /** As {@link #prepare(String, Quantization, Path)} for a folder. */
  public static Path prepare(Path model, Quantization quantization, Path workDir) {
    return Path.of(prepare(model.toString(), quantization, workDir));
  }

  private static boolean isExportOf(Path dir, String sha, Quantization quantization) {
    Path marker = dir.resolve(OnnxExport.MARKER);
    return Files.isRegularFile(dir.resolve("model.onnx"))
        && Files.isRegularFile(marker)
        && OnnxExport.quantizationOf(dir).equals(quantization.label())
        && sha.equals(OnnxExport.weightsSha256Of(dir));
  }
}
