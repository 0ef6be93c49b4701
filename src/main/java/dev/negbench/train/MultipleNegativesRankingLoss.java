package dev.negbench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.negbench.model.Djl;
import dev.negbench.model.PaddedBatch;
import dev.negbench.model.TransformerBlock;

/**
 * MultipleNegativesRankingLoss (sentence-transformers; Henderson et al. 2017, arXiv 1705.00652):
 * each query's mean-pooled embedding is scored against every document of the batch, its own
 * positive, the other queries' positives and all hard negatives, by cosine similarity times a
 * scale; the loss is the cross-entropy of picking its own positive. Documents are laid out as
 * [positive of query 0..B-1; hard negatives...], so query i's label is i.
 */
public final class MultipleNegativesRankingLoss {
  private MultipleNegativesRankingLoss() {}

  /**
   * The mean loss over the batch's queries, a scalar NDArray that gradients flow from. Inputs are
   * created on {@code scope}, which owns every intermediate.
   */
  public static NDArray loss(
      TransformerBlock block,
      PaddedBatch queries,
      PaddedBatch documents,
      float scale,
      NDManager scope) {
    int b = queries.rows();
    if (documents.rows() < b) {
      throw new IllegalArgumentException(
          documents.rows()
              + " documents for "
              + b
              + " queries; expected a positive per query first");
    }
    NDArray q = normalize(embed(block, queries, scope));
    NDArray d = normalize(embed(block, documents, scope));
    NDArray scores = q.matMul(d.transpose());
    NDArray logProbs = scores.mul(Djl.scalar(scores, scale)).logSoftmax(1);
    NDArray labels = scope.eye(b, documents.rows(), 0, DataType.FLOAT32);
    NDArray total = logProbs.mul(labels).sum().neg();
    return total.div(Djl.scalar(total, b));
  }

  static NDArray embed(TransformerBlock block, PaddedBatch batch, NDManager scope) {
    Shape shape = new Shape(batch.rows(), batch.length());
    NDArray ids = scope.create(batch.ids(), shape);
    NDArray mask = scope.create(batch.mask(), shape);
    NDArray types = scope.create(batch.typeIds(), shape);
    return TransformerBlock.meanPool(block.hidden(ids, mask, types), mask);
  }

  /** Rows divided by their L2 norm, clamped at 1e-12 as torch.nn.functional.normalize does. */
  static NDArray normalize(NDArray x) {
    return x.div(x.norm(new int[] {1}, true).clip(1e-12f, Float.MAX_VALUE));
  }
}
