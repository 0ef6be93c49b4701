package dev.negbench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, arXiv 1711.05101) as torch.optim.AdamW computes it: decoupled
 * weight decay {@code p -= lr * wd * p}, then {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 -
 * b2^t) + eps)}. With weight decay 0 it is torch.optim.Adam. Biases and LayerNorm weights are not
 * decayed (as sentence-transformers' and transformers' trainers group them). Also the global
 * gradient-norm clipping of torch.nn.utils.clip_grad_norm_.
 */
public final class AdamW {
  private final Map<String, Parameter> parameters;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long step;

  public AdamW(
      Map<String, Parameter> parameters,
      double beta1,
      double beta2,
      double eps,
      double weightDecay) {
    this.parameters = parameters;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    for (var e : parameters.entrySet()) {
      NDArray p = e.getValue().getArray();
      m.put(e.getKey(), p.zerosLike());
      v.put(e.getKey(), p.zerosLike());
    }
  }

  /** Optimizer steps taken so far (the t of the bias corrections). */
  public long steps() {
    return step;
  }

  /** First and second moments by parameter name, for checkpoints. */
  public Map<String, NDArray> firstMoments() {
    return m;
  }

  public Map<String, NDArray> secondMoments() {
    return v;
  }

  /** Restores the state of a checkpoint: moments copied in place, and the step count. */
  public void restore(Map<String, float[]> first, Map<String, float[]> second, long steps) {
    for (var e : m.entrySet()) {
      e.getValue().set(FloatBuffer.wrap(first.get(e.getKey())));
      v.get(e.getKey()).set(FloatBuffer.wrap(second.get(e.getKey())));
    }
    this.step = steps;
  }

  static boolean decays(String name) {
    return !(name.endsWith(".bias") || name.contains("LayerNorm") || name.contains("layer_norm"));
  }

  /**
   * Scales all gradients so that their global L2 norm is at most {@code maxNorm} (no clipping when
   * {@code maxNorm} is not positive); returns the norm before clipping.
   */
  public double clipGradNorm(double maxNorm) {
    try (NDScope ignored = new NDScope()) {
      List<NDArray> grads = new ArrayList<>();
      double sum = 0;
      for (Parameter p : parameters.values()) {
        NDArray g = p.getArray().getGradient();
        grads.add(g);
        sum += g.square().sum().getFloat();
      }
      double norm = Math.sqrt(sum);
      if (maxNorm > 0) {
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
          for (NDArray g : grads) {
            g.muli((float) coef);
          }
        }
      }
      return norm;
    }
  }

  /** One update with learning rate {@code lr}, then the gradients are zeroed. */
  public void step(double lr) {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    try (NDScope ignored = new NDScope()) {
      for (var e : parameters.entrySet()) {
        NDArray p = e.getValue().getArray();
        NDArray g = p.getGradient();
        NDArray mi = m.get(e.getKey());
        NDArray vi = v.get(e.getKey());
        mi.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
        vi.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
        if (weightDecay > 0 && decays(e.getKey())) {
          p.muli((float) (1 - lr * weightDecay));
        }
        NDArray denom = vi.sqrt().divi((float) bc2Sqrt).addi((float) eps);
        p.subi(mi.div(denom).muli((float) (lr / bc1)));
        g.subi(g); // zero for the next step's backward, which accumulates
      }
    }
  }
}
