package dev.negbench.results;

import java.util.Map;

/** The pipeline stage a JMH kernel class times, and what one of its operations is. */
public record KernelStage(String stage, String operation) {
  /** By benchmark class's simple name. */
  public static final Map<String, KernelStage> BY_CLASS =
      Map.of(
          "Bm25MiningBenchmark", new KernelStage("negatives: bm25 mining", "query"),
          "CrossEncoderBenchmark", new KernelStage("negatives: ce scoring", "pair"),
          "CrossEncoderMiningBenchmark", new KernelStage("negatives: ce mining", "query"),
          "GenerationBenchmark", new KernelStage("negatives: llm generation", "request"),
          "EncodeBenchmark",
              new KernelStage("corpus encoding (dense mining, evaluation)", "document"),
          "DenseSearchBenchmark",
              new KernelStage("evaluation and dense mining: dense search", "query"),
          "TrainingStepBenchmark", new KernelStage("training", "step"),
          "IndexBuildBenchmark",
              new KernelStage(
                  "index build (bm25 mining and search; dense search with hnsw)", "build"),
          "EvaluationBenchmark", new KernelStage("evaluation: trec_eval metrics", "evaluation"));
}
