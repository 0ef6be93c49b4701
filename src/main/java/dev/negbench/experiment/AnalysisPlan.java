package dev.negbench.experiment;

/**
 * Negative-hardness analysis: the config's {@code analysis} block.
 *
 * @param hardness compute hardness statistics per source
 * @param referenceModel bi-encoder whose cosine similarities measure hardness
 * @param crossEncoder optional cross-encoder folder: scores negatives and positives
 * @param maxQueries at most this many training queries (the first in qrels order) are analysed
 */
public record AnalysisPlan(
    Boolean hardness, String referenceModel, String crossEncoder, Integer maxQueries) {
  public AnalysisPlan {
    hardness = hardness == null ? Boolean.TRUE : hardness;
    referenceModel = referenceModel == null ? "minilm" : referenceModel;
    maxQueries = maxQueries == null ? 500 : maxQueries;
  }

  static AnalysisPlan defaults() {
    return new AnalysisPlan(null, null, null, null);
  }
}
