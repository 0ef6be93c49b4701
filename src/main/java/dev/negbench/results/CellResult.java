package dev.negbench.results;

import java.util.List;
import java.util.Map;

/**
 * One result: a retriever trained on one source's negatives for one dataset and seed (or the
 * untrained {@code zero-shot} model), evaluated on one split. {@code metrics} holds the means by
 * metric name in the config's order; {@code perQuery} the value of each metric for each of {@code
 * queryIds} (qrels order), by metric name.
 */
public record CellResult(
    String experiment,
    String dataset,
    String source,
    String sourceType,
    long seed,
    String split,
    boolean synthetic,
    Map<String, Double> metrics,
    List<String> queryIds,
    Map<String, double[]> perQuery,
    Map<String, Object> training) {

  /** The source name of the untrained base model's result. */
  public static final String ZERO_SHOT = "zero-shot";

  /**
   * Source types in the order tables list them, after {@link #ZERO_SHOT}: mined, then generated,
   * then read and mixed; a type not listed comes last.
   */
  public static final List<String> TYPE_ORDER =
      List.of("bm25", "ce", "dense", "llm", "file", "mix");

  public double metric(String name) {
    Double v = metrics.get(name);
    return v == null ? Double.NaN : v;
  }
}
