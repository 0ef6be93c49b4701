package dev.negbench.model;

import java.util.Locale;

/**
 * Where a model runs. {@code cuda} means ONNX Runtime's CUDA execution provider, which only the
 * {@code onnxruntime_gpu} build carries (Maven profile {@code cuda}; CUDA 12 and cuDNN 9 on the
 * machine); the default build is CPU only.
 */
public enum Device {
  CPU,
  CUDA;

  /**
   * Parses {@code cpu}, {@code cuda} or {@code cuda:N} (the device ordinal is given separately).
   */
  public static Device parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("cpu")) {
      return CPU;
    }
    if (t.equals("cuda") || t.matches("cuda:\\d+")) {
      return CUDA;
    }
    throw new IllegalArgumentException("unknown device '" + text + "': expected cpu or cuda[:N]");
  }

  /** The GPU ordinal of {@code cuda:N}, 0 for {@code cuda} and {@code cpu}. */
  public static int ordinal(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return t.startsWith("cuda:") ? Integer.parseInt(t.substring(5)) : 0;
  }

  /**
   * Fails, saying how to fix it, when a runtime cannot open {@code device}: ONNX Runtime without
   * its CUDA provider ({@code onnxRuntime}), DJL without a CUDA libtorch or a GPU ({@code djl}).
   * The CPU always opens. Never a silent fallback to the CPU.
   */
  public static void requireAvailable(String device, boolean onnxRuntime, boolean djl) {
    if (parse(device) == CPU) {
      return;
    }
    if (onnxRuntime) {
      OnnxModel.requireCuda();
    }
    if (djl) {
      Djl.device(device);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
