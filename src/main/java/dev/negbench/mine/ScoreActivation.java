package dev.negbench.mine;

import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.EnumNames;
import java.nio.file.Path;

/**
 * The function a cross-encoder's logit goes through before mining compares and writes it: what
 * sentence-transformers' {@code CrossEncoder.predict} applies, and so what its {@code
 * mine_hard_negatives} compares its margins on. For a one-label model its default is the sigmoid
 * ({@code activation_fn}, {@code Sigmoid} when {@code num_labels == 1}), so scores lie in (0, 1)
 * and a relative margin's bound lies below the positive whatever the sign of its logit.
 */
public enum ScoreActivation {
  /** 1 / (1 + e^-logit), in double precision: sentence-transformers' default for one label. */
  SIGMOID,
  /** The raw logit, as negbench compared them before the sigmoid became the default. */
  NONE;

  /** The activation named {@code text} ({@code sigmoid} or {@code none}, any case). */
  public static ScoreActivation parse(String text) {
    return EnumNames.parse(ScoreActivation.class, "--activation", text);
  }

  /** The name options, configs and summaries use ({@code sigmoid}, {@code none}). */
  public String label() {
    return EnumNames.label(this);
  }

  public double apply(float logit) {
    return this == SIGMOID ? 1 / (1 + Math.exp(-(double) logit)) : logit;
  }

  /**
   * Checks that this activation suits a cross-encoder of {@code labels} logits. The sigmoid is
   * defined on a one-label model's logit; a two-label model's score is label 1's logit, whose
   * sigmoid is no probability (that would be the softmax of both), and sentence-transformers
   * applies no activation to it, so it needs {@code none}.
   */
  public void check(int labels, Path model) {
    if (this == SIGMOID && labels != 1) {
      throw new DatasetFormatException(
          model,
          0,
          "a cross-encoder with "
              + labels
              + " labels; the sigmoid activation (the default) needs a one-logit cross-encoder"
              + " (num_labels 1). Pass --activation none (activation: none in a config) to compare"
              + " label 1's raw logits");
    }
  }
}
