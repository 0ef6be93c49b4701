package dev.negbench.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a negatives file: a training query, the ids of its positive passages and its hard
 * negatives. Every negative source (BM25, cross-encoder, dense, LLM) writes this one schema, so
 * training reads mined and generated negatives alike. {@code positiveScores} holds the miner's
 * score of each positive where it has one (the cross-encoder scores them to filter false
 * negatives); empty for sources that do not, and then not written.
 */
public record HardNegatives(
    String queryId, String query, List<String> positiveIds, List<Negative> negatives, Map<String, Double> positiveScores) {
  public HardNegatives {
    // A copy that keeps the positives' order, so files and equality do not depend on the caller's map.
    positiveScores = Collections.unmodifiableMap(new LinkedHashMap<>(positiveScores));
  }

  /** A row without positive scores. */
  public HardNegatives(String queryId, String query, List<String> positiveIds, List<Negative> negatives) {
    this(queryId, query, positiveIds, negatives, Map.of());
  }
}
