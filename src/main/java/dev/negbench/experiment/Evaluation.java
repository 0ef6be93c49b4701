package dev.negbench.experiment;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.data.TrecRun;
import dev.negbench.eval.EvaluationResult;
import dev.negbench.eval.Metric;
import dev.negbench.eval.RunFileEvaluation;
import dev.negbench.io.Progress;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.DenseIndexes;
import dev.negbench.model.TextEncoder;
import dev.negbench.results.CellResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation step: dense retrieval of the evaluation split into a TREC run, then trec_eval's
 * metrics of that run.
 */
final class Evaluation {
  /** The run file an evaluation stage writes. */
  static final String RUN = "run.trec";

  private Evaluation() {}

  /**
   * Encodes the evaluation split's queries, searches {@code corpus} (exactly or on HNSW, as {@code
   * dense_index} says) and writes {@code out/run.trec}.
   */
  static void search(
      BeirDataset ds,
      EvaluationPlan plan,
      Map<String, Query> queries,
      DenseEmbeddings corpus,
      TextEncoder encoder,
      String tag,
      int threads,
      Progress.Factory progress,
      Path workDir,
      Path out)
      throws IOException {
    Qrels qrels = ds.qrels(plan.split());
    List<Query> evalQueries = ds.queries(qrels, queries);
    float[][] vectors;
    try (Progress bar = progress.start("Encoding queries", evalQueries.size())) {
      vectors = encoder.encode(evalQueries.stream().map(Query::text).toList(), true, bar);
    }
    try (var searcher =
        DenseIndexes.open(
            plan.denseIndex(), corpus, evalQueries.size(), workDir, threads, progress)) {
      TrecRun.write(
          out.resolve(RUN),
          searcher.searcher().searchAll(evalQueries, vectors, plan.topK(), tag, threads, progress));
    }
  }

  /**
   * The config's metrics of the run in {@code evalDir}: means and per-query values, as one result.
   */
  static CellResult score(
      ExperimentConfig config,
      String dataset,
      BeirDataset ds,
      String source,
      String type,
      long seed,
      Path evalDir,
      Map<String, Object> training) {
    Qrels qrels = ds.qrels(config.evaluation().split());
    List<Metric> metrics = Metric.parseAll(config.evaluation().metrics());
    EvaluationResult er =
        RunFileEvaluation.evaluate(
                qrels, evalDir.resolve(RUN), metrics, Runtime.getRuntime().availableProcessors())
            .result();
    Map<String, Double> means = new LinkedHashMap<>();
    Map<String, double[]> perQuery = new LinkedHashMap<>();
    for (Metric m : metrics) {
      means.put(m.name(), er.mean(m));
      double[] v = new double[er.queryCount()];
      for (int q = 0; q < v.length; q++) {
        v[q] = er.value(m, er.queryIds().get(q));
      }
      perQuery.put(m.name(), v);
    }
    return new CellResult(
        config.name(),
        dataset,
        source,
        type,
        seed,
        config.evaluation().split(),
        ds.isSynthetic(),
        means,
        er.queryIds(),
        perQuery,
        training);
  }
}
