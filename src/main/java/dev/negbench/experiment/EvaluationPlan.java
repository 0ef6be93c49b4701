package dev.negbench.experiment;

import dev.negbench.model.Quantization;
import java.util.List;

/**
 * How trained retrievers are evaluated: the config's {@code evaluation} block.
 *
 * @param split qrels split searched and scored
 * @param metrics trec_eval metrics (names as {@code negbench evaluate --metrics}); nDCG@10 is
 *     required
 * @param topK hits retrieved per query
 * @param maxLength tokens per text when encoding for search
 * @param zeroShot also evaluate the untrained base model (a {@code zero-shot} row)
 * @param device where corpus and queries are encoded for search and hardness; default: the
 *     experiment's {@code device}
 * @param denseIndex how the evaluation searches the corpus: {@code exact}, {@code hnsw} or {@code
 *     auto} (default; see {@link dev.negbench.mine.DenseIndexes})
 * @param quantize {@code int8}: every model is evaluated as its dynamic int8 export ({@code
 *     export-onnx --quantize int8}); unset or {@code none}: as it is. Unset leaves stage keys as
 *     before.
 */
public record EvaluationPlan(
    String split,
    List<String> metrics,
    Integer topK,
    Integer maxLength,
    Integer batchSize,
    Boolean zeroShot,
    String device,
    String denseIndex,
    String quantize) {
  public EvaluationPlan {
    split = split == null ? "test" : split;
    metrics = metrics == null ? List.of("ndcg@10", "recall@100", "mrr@10") : List.copyOf(metrics);
    topK = topK == null ? 1000 : topK;
    maxLength = maxLength == null ? 256 : maxLength;
    batchSize = batchSize == null ? 64 : batchSize;
    zeroShot = zeroShot == null ? Boolean.TRUE : zeroShot;
  }

  static EvaluationPlan defaults() {
    return new EvaluationPlan(null, null, null, null, null, null, null, null, null);
  }

  /** The models' quantization: none when unset. */
  public Quantization quantization() {
    return quantize == null ? Quantization.NONE : Quantization.parse(quantize);
  }
}
