package dev.negbench.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.negbench.model.Device;
import dev.negbench.model.OnnxGraph;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reference for "what fraction of the machine does the transformer kernel use": one ONNX
 * Runtime {@code MatMul} of shape [M, K] x [K, N], run by the same runtime, on the same device and
 * with the same thread count as the model under test. ONNX Runtime's CPU GEMM (MLAS) is what the
 * transformer's linear layers call, so this is the peak those layers can reach here.
 *
 * <p>The one-node model is {@link OnnxGraph#matMul}, written as ONNX protobuf bytes by the same
 * writer as the exported checkpoints, so no ONNX tooling is needed.
 */
final class GemmPeak implements AutoCloseable {
  private final OrtSession session;
  private final OnnxTensor a;
  private final OnnxTensor b;

  /** The product, allocated once and bound as the output on the CPU (null on CUDA). */
  private final OnnxTensor c;

  private final long m;
  private final long k;
  private final long n;

  GemmPeak(int m, int k, int n, int threads, String device) throws OrtException {
    this.m = m;
    this.k = k;
    this.n = n;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      if (Device.parse(device) == Device.CUDA) {
        options.addCUDA(Device.ordinal(device));
      }
      session = env.createSession(OnnxGraph.matMul(m, k, n), options);
    }
    SplittableRandom random = new SplittableRandom(7);
    a =
        OnnxTensor.createTensor(
            env, FloatBuffer.wrap(randomFloats(random, m * k)), new long[] {m, k});
    b =
        OnnxTensor.createTensor(
            env, FloatBuffer.wrap(randomFloats(random, k * n)), new long[] {k, n});
    // The output bound once: otherwise every call allocates (and faults in) a fresh product, which
    // at [100, 4096] floats is part of what a "peak" would then measure.
    c =
        Device.parse(device) == Device.CUDA
            ? null
            : OnnxTensor.createTensor(
                env,
                ByteBuffer.allocateDirect(Math.toIntExact(m * n * Float.BYTES))
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer(),
                new long[] {m, n});
    check();
    check(); // twice: the bound output survives a run
  }

  /** Floating-point operations of one {@link #run}: a multiply and an add per term. */
  long flop() {
    return 2 * m * k * n;
  }

  /** One GEMM; returns an element of the product so the work cannot be skipped. */
  float run() {
    if (c != null) {
      try (OrtSession.Result result = session.run(Map.of("A", a, "B", b), Map.of("C", c))) {
        return c.getFloatBuffer().get(0);
      } catch (OrtException e) {
        throw new IllegalStateException("GEMM reference failed: " + e.getMessage(), e);
      }
    }
    try (OrtSession.Result result = session.run(Map.of("A", a, "B", b))) {
      return ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
    } catch (OrtException e) {
      throw new IllegalStateException("GEMM reference failed: " + e.getMessage(), e);
    }
  }

  /** Element (0, 0) of the product equals the dot product computed here. */
  private void check() {
    FloatBuffer av = a.getFloatBuffer();
    FloatBuffer bv = b.getFloatBuffer();
    double expected = 0;
    for (int i = 0; i < k; i++) {
      expected += (double) av.get(i) * bv.get((int) (i * n));
    }
    float got = run();
    if (Math.abs(got - expected) > 1e-3 * Math.max(1, Math.abs(expected))) {
      throw new IllegalStateException(
          "GEMM reference: wrong answer: C[0][0] = " + got + ", expected " + expected);
    }
  }

  private static float[] randomFloats(SplittableRandom random, long count) {
    float[] v = new float[Math.toIntExact(count)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return v;
  }

  @Override
  public void close() throws OrtException {
    a.close();
    b.close();
    if (c != null) {
      c.close();
    }
    session.close();
  }
}
