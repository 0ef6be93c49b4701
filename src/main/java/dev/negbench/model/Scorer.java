package dev.negbench.model;

import dev.negbench.io.Progress;
import java.util.List;

/**
 * Scores (query, passage) pairs; higher means more relevant. Mining and reranking depend on this
 * seam.
 */
public interface Scorer {
  /** One score per pair, in the order of {@code pairs}. */
  float[] score(List<QueryPassage> pairs);

  /**
   * As {@link #score(List)}, advancing {@code progress} by one per pair (all at the end unless a
   * scorer does better).
   */
  default float[] score(List<QueryPassage> pairs, Progress progress) {
    float[] scores = score(pairs);
    progress.advance(pairs.size());
    return scores;
  }
}
