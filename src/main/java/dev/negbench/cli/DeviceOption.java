package dev.negbench.cli;

import dev.negbench.model.Device;
import picocli.CommandLine.Option;

/** {@code --device} for commands that run an ONNX model. */
final class DeviceOption {
  @Option(
      names = "--device",
      paramLabel = "cpu|cuda[:N]",
      description = {
        "Where the model runs (default ${DEFAULT-VALUE}). cuda needs the GPU build of ONNX Runtime: build with 'mvn -Pcuda package' (onnxruntime_gpu; CUDA 12, cuDNN 9); without it the command stops with an error instead of falling back to the CPU."
      })
  String device = "cpu";

  /** The device, checked: an unknown name is an input error (exit 2). */
  String checked() {
    Device.parse(device);
    return device;
  }
}
