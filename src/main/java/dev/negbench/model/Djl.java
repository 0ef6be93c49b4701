package dev.negbench.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;

/**
 * DJL's PyTorch engine, started once. Offline by default ({@code ai.djl.offline=true}): the CPU
 * libtorch comes from the {@code pytorch-native-cpu} jar; a GPU machine points {@code
 * PYTORCH_LIBRARY_PATH} (with {@code PYTORCH_VERSION}, {@code PYTORCH_FLAVOR}) at a CUDA libtorch,
 * or sets {@code -Dai.djl.offline=false} to let DJL download one (docs/paper-on-gpus.md).
 */
public final class Djl {
  static {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  private Djl() {}

  /** The PyTorch engine; a missing or mismatched libtorch is an error that says what to set. */
  public static synchronized Engine engine() {
    try {
      return Engine.getEngine("PyTorch");
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new IllegalStateException(
          "cannot start DJL's PyTorch engine ("
              + e.getMessage()
              + "); on CPU the native library comes from"
              + " ai.djl.pytorch:pytorch-native-cpu, on a GPU set PYTORCH_LIBRARY_PATH, PYTORCH_VERSION=2.7.1 and"
              + " PYTORCH_FLAVOR (e.g. cu128) or run with -Dai.djl.offline=false so DJL can download it",
          e);
    }
  }

  /** "cpu", "cuda" or "cuda:N" ("gpu" is accepted for "cuda"). */
  public static Device device(String name) {
    String n = name == null ? "cpu" : name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("cpu")) {
      return Device.cpu();
    }
    if (n.equals("cuda") || n.equals("gpu") || n.startsWith("cuda:") || n.startsWith("gpu:")) {
      int index = n.contains(":") ? Integer.parseInt(n.substring(n.indexOf(':') + 1)) : 0;
      Engine engine = engine();
      if (engine.getGpuCount() <= index) {
        throw new IllegalArgumentException(
            "device "
                + name
                + " requested but DJL's PyTorch engine sees "
                + engine.getGpuCount()
                + " GPUs (a CPU-only libtorch, or no CUDA driver); see docs/paper-on-gpus.md for GPU native libraries");
      }
      return Device.gpu(index);
    }
    throw new IllegalArgumentException("device must be cpu, cuda or cuda:N, was " + name);
  }

  /** A root manager for a model's weights on {@code device}. */
  public static NDManager manager(Device device) {
    engine();
    return NDManager.newBaseManager(device, "PyTorch");
  }

  /**
   * {@code value} as a 0-dimensional array in {@code like}'s data type, on its manager and device,
   * in memory that libtorch allocated. Model and loss code uses it instead of DJL's {@code Number}
   * overloads ({@code mul(Number)}, {@code div(Number)}, {@code add(Number)}, {@code pow(Number)}
   * ...): those wrap the number in a Java direct buffer ({@code torch::from_blob}) and close it as
   * soon as the op returns, but autograd keeps that tensor for the backward pass (d(x*s)/dx = s),
   * so once the JVM collects the buffer, backward reads freed memory. Training then got NaN
   * gradients in the attention's query path in some runs, more often the more the JVM collected.
   */
  public static NDArray scalar(NDArray like, float value) {
    return like.getManager().full(new Shape(), value, like.getDataType());
  }

  /** PyTorch's intra-op threads (a process-wide setting). */
  public static void threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    engine();
    if (JniUtils.getNumThreads() != threads) {
      JniUtils.setNumThreads(threads);
    }
  }
}
