package dev.negbench.train;

import dev.negbench.model.TransformerBlock;

/** Small helpers the trainer and its tests share. */
final class Training {
  private Training() {}

  /** Makes every weight a leaf that autograd collects gradients for. */
  static void attachGradients(TransformerBlock block) {
    block.parametersByName().values().forEach(p -> p.getArray().setRequiresGradient(true));
  }
}
