package dev.negbench.mine;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Query;
import java.util.Set;

/**
 * Where hard negatives come from: BM25 here; the cross-encoder, a dense retriever or an LLM in
 * their own stages. Implementations must be thread-safe and deterministic for one query.
 */
public interface NegativeSource {
  /** A short name recorded in outputs, e.g. {@code bm25}. */
  String name();

  /** Hard negatives for one query whose relevant documents are {@code positiveIds}. */
  HardNegatives mine(Query query, Set<String> positiveIds);

  /**
   * Work done so far beyond searching one query each (e.g. {@code pairs_scored} by a cross-encoder),
   * by counter name, for the cost of the negatives; empty when there is none.
   */
  default java.util.Map<String, Long> work() {
    return java.util.Map.of();
  }
}
