package dev.negbench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.negbench.model.Djl;
import dev.negbench.model.PaddedBatch;
import dev.negbench.model.TransformerBlock;

/**
 * Losses of a one-logit cross-encoder over groups of pairs, each group a query's positive first and
 * then its hard negatives (sentence-transformers' cross-encoder recipes):
 *
 * <ul>
 *   <li>{@link Kind#SOFTMAX}: cross-entropy of the positive under a softmax over its group's logits
 *       (the listwise loss of Nogueira and Cho's monoBERT successors, sentence-transformers' {@code
 *       CrossEncoder} {@code MultipleNegativesRankingLoss} without in-batch negatives), averaged
 *       over groups;
 *   <li>{@link Kind#BCE}: binary cross-entropy of every pair's logit, label 1 for the positive and
 *       0 for each negative ({@code BinaryCrossEntropyLoss}), averaged over pairs.
 * </ul>
 */
public final class CrossEncoderLoss {
  /** Which loss. */
  public enum Kind {
    SOFTMAX,
    BCE
  }

  private CrossEncoderLoss() {}

  /**
   * The loss of {@code pairs} (rows in group order) cut into groups of {@code groupSizes}, a scalar
   * that gradients flow from; inputs and intermediates live on {@code scope}.
   */
  public static NDArray loss(
      TransformerBlock block, PaddedBatch pairs, int[] groupSizes, Kind kind, NDManager scope) {
    NDArray logits = logits(block, pairs, scope);
    NDArray total = null;
    int start = 0;
    for (int size : groupSizes) {
      NDArray group = logits.get(start + ":" + (start + size));
      NDArray term =
          kind == Kind.SOFTMAX
              ? group.logSoftmax(0).get(0).neg()
              : softplus(group.get(0).neg()).add(softplus(group.get("1:")).sum());
      total = total == null ? term : total.add(term);
      start += size;
    }
    if (total == null || start != pairs.rows()) {
      throw new IllegalArgumentException(
          "groups of " + start + " pairs for a batch of " + pairs.rows());
    }
    int count = kind == Kind.SOFTMAX ? groupSizes.length : pairs.rows();
    return total.div(Djl.scalar(total, count));
  }

  /** One logit per pair, [pairs]. */
  public static NDArray logits(TransformerBlock block, PaddedBatch pairs, NDManager scope) {
    Shape shape = new Shape(pairs.rows(), pairs.length());
    NDArray ids = scope.create(pairs.ids(), shape);
    NDArray mask = scope.create(pairs.mask(), shape);
    NDArray types = scope.create(pairs.typeIds(), shape);
    return block.logits(ids, mask, types).reshape(pairs.rows());
  }

  /** log(1 + e^x), computed as max(x, 0) + log(1 + e^-|x|) so that it never overflows. */
  static NDArray softplus(NDArray x) {
    return Activation.relu(x).add(x.abs().neg().exp().add(Djl.scalar(x, 1f)).log());
  }
}
