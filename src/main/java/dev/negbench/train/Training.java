package dev.negbench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.negbench.model.Djl;
import dev.negbench.model.DjlModel;
import dev.negbench.model.TransformerBlock;
import java.util.function.Function;

/** Small helpers the training steps and their tests share. */
final class Training {
  private Training() {}

  /** Makes every weight a leaf that autograd collects gradients for. */
  static void attachGradients(TransformerBlock block) {
    block.parametersByName().values().forEach(p -> p.getArray().setRequiresGradient(true));
  }

  /**
   * Attaches gradients and creates AdamW over every weight (betas 0.9/0.999, eps 1e-8, the
   * settings' weight decay).
   */
  static AdamW optimizer(DjlModel model, TrainingSettings settings) {
    attachGradients(model.block());
    return new AdamW(model.block().parametersByName(), 0.9, 0.999, 1e-8, settings.weightDecay());
  }

  /**
   * One gradient step: the loss {@code loss} builds on a scope of its own, backward, gradient
   * clipping at {@code maxGradNorm}, AdamW at {@code lr}. Returns the loss before the update; a
   * non-finite loss updates nothing.
   */
  static double descend(
      DjlModel model,
      AdamW adam,
      double maxGradNorm,
      double lr,
      Function<NDManager, NDArray> loss) {
    double value;
    try (NDManager scope = model.manager().newSubManager();
        GradientCollector collector = Djl.engine().newGradientCollector()) {
      NDArray l = loss.apply(scope);
      value = l.getFloat();
      if (!Double.isFinite(value)) {
        return value;
      }
      collector.backward(l);
    }
    adam.clipGradNorm(maxGradNorm);
    adam.step(lr);
    return value;
  }
}
