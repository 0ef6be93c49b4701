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
 *
 * <p>Miners write one row per query, its negatives shared by all its positives ({@code positiveId}
 * null). The LLM generator writes one row per (query, positive) pair, since each request shows the
 * model one positive (arXiv 2504.21015, one generated negative per pair): {@code positiveId} names
 * that positive and {@code positiveIds} is exactly {@code [positiveId]}, so a reader that knows
 * only {@code positiveIds} still pairs the negatives with the right positive.
 */
public record HardNegatives(
    String queryId,
    String query,
    List<String> positiveIds,
    List<Negative> negatives,
    Map<String, Double> positiveScores,
    String positiveId) {
  public HardNegatives {
    // A copy that keeps the positives' order, so files and equality do not depend on the caller's
    // map.
    positiveScores =
        positiveScores.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(positiveScores));
    if (positiveId != null && !positiveIds.equals(List.of(positiveId))) {
      throw new IllegalArgumentException(
          "a row for one positive lists only that positive: expected ["
              + positiveId
              + "], was "
              + positiveIds);
    }
  }

  /** A row for the whole query, with its positives' scores. */
  public HardNegatives(
      String queryId,
      String query,
      List<String> positiveIds,
      List<Negative> negatives,
      Map<String, Double> positiveScores) {
    this(queryId, query, positiveIds, negatives, positiveScores, null);
  }

  /** A row for the whole query, without positive scores. */
  public HardNegatives(
      String queryId, String query, List<String> positiveIds, List<Negative> negatives) {
    this(queryId, query, positiveIds, negatives, Map.of(), null);
  }

  /** A row for one (query, positive) pair: negatives made against {@code positiveId} alone. */
  public static HardNegatives forPositive(
      String queryId, String query, String positiveId, List<Negative> negatives) {
    return new HardNegatives(queryId, query, List.of(positiveId), negatives, Map.of(), positiveId);
  }

  /**
   * Whether this row holds the negatives of one (query, positive) pair rather than of the whole
   * query.
   */
  public boolean perPositive() {
    return positiveId != null;
  }
}
