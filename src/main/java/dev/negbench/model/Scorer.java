package dev.negbench.model;

import java.util.List;

/** Scores (query, passage) pairs; higher means more relevant. Mining and reranking depend on this seam. */
public interface Scorer {
  /** One score per pair, in the order of {@code pairs}. */
  float[] score(List<QueryPassage> pairs);
}
