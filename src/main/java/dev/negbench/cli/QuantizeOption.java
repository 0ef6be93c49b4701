package dev.negbench.cli;

import dev.negbench.model.Quantization;
import dev.negbench.model.QuantizedModels;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --quantize} for commands that run a model on ONNX Runtime: {@code int8} exports the model
 * once with dynamic int8 linear layers ({@code export-onnx --quantize int8}) into {@code
 * WORK/quantized/int8-SHA} and runs that export.
 */
final class QuantizeOption {
  @Option(
      names = "--quantize",
      paramLabel = "none|int8",
      description =
          "none: the model as it is; int8: its export with dynamic int8 linear layers (export-onnx --quantize int8), written once under WORK/quantized/ keyed by the weights' SHA-256 and run on ONNX Runtime (default ${DEFAULT-VALUE}).")
  String quantize = "none";

  /** The setting, checked: an unknown name is an input error (exit 2). */
  Quantization checked() {
    return Quantization.parse(quantize);
  }

  /** The model to open for {@code model}: itself, or its quantized export under {@code work}. */
  String model(String model, Path work) {
    return QuantizedModels.prepare(model, checked(), work);
  }

  /** As {@link #model(String, Path)} for a folder. */
  Path model(Path model, Path work) {
    return QuantizedModels.prepare(model, checked(), work);
  }
}
