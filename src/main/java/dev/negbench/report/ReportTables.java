package dev.negbench.report;

import dev.negbench.io.Csv;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.HardnessSummary;
import dev.negbench.results.JmhResults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The report's CSV tables, one file each, numbers with fixed decimals. */
final class ReportTables {
  private ReportTables() {}

  static void write(Report r, Path out) {
    List<List<String>> ndcg = new ArrayList<>();
    for (Report.DatasetRow d : r.datasets()) {
      for (Report.Score s : d.scores()) {
        ndcg.add(
            List.of(
                d.experiment(), d.dataset(), String.valueOf(d.synthetic()), String.valueOf(d.queries()), s.source(), s.type(),
                String.valueOf(s.seeds()), Csv.num(s.mean(), 4), Csv.num(s.sd(), 4), p(s.p()), p(s.pHolm()),
                String.valueOf(s.significant()), String.valueOf(s.direction()), String.valueOf(s.best())));
      }
    }
    Csv.write(
        out.resolve("ndcg10.csv"),
        List.of(
            "experiment", "dataset", "synthetic", "queries", "source", "source_type", "seeds", "ndcg@10_mean", "ndcg@10_sd", "p_vs_bm25",
            "p_holm", "significant", "direction", "best"),
        ndcg);

    List<List<String>> metrics = new ArrayList<>();
    for (Report.MetricRow m : r.metrics()) {
      metrics.add(List.of(m.experiment(), m.dataset(), m.source(), m.metric(), String.valueOf(m.seeds()), Csv.num(m.mean(), 4), Csv.num(m.sd(), 4)));
    }
    Csv.write(out.resolve("metrics.csv"), List.of("experiment", "dataset", "source", "metric", "seeds", "mean", "sd"), metrics);

    List<List<String>> gens = new ArrayList<>();
    for (Report.GeneratorRow g : r.generators()) {
      GenerationSummary s = g.generation();
      gens.add(
          List.of(
              g.experiment(), g.dataset(), g.source(), s.generator(), nz(s.model()), s.parametersB() == null ? "" : Csv.num(s.parametersB(), 1),
              nz(s.device()), String.valueOf(s.simulated()), String.valueOf(s.queries()), String.valueOf(s.negatives()),
              String.valueOf(s.requests()), Csv.num(s.seconds(), 1), Csv.num(s.negativesPerSecond(), 2), Csv.num(s.tokensPerSecond(), 1),
              Csv.num(s.latencyP50Ms(), 1), Csv.num(s.latencyP90Ms(), 1), Csv.num(s.latencyP99Ms(), 1), nz(s.gpu()),
              s.gpuHourUsd() == null ? "" : Csv.num(s.gpuHourUsd(), 2), Csv.num(s.usdPer1000Negatives(), 4), Csv.num(g.ndcg10(), 4)));
    }
    Csv.write(
        out.resolve("generators.csv"),
        List.of(
            "experiment", "dataset", "source", "generator", "model", "parameters_b", "device", "simulated", "queries", "negatives", "requests",
            "seconds", "negatives_per_s", "completion_tokens_per_s", "latency_p50_ms", "latency_p90_ms", "latency_p99_ms", "gpu",
            "gpu_hour_usd", "usd_per_1000_negatives", "ndcg@10"),
        gens);

    List<List<String>> hard = new ArrayList<>();
    for (Report.HardnessRow h : r.hardness()) {
      HardnessSummary s = h.summary();
      hard.add(
          List.of(
              h.experiment(), h.dataset(), h.source(), String.valueOf(s.queries()), String.valueOf(s.negatives()), Csv.num(s.cosineToQuery(), 4),
              Csv.num(s.cosineToPositive(), 4), Csv.num(s.positiveCosineToQuery(), 4), Csv.num(s.shareCloserThanPositive(), 4),
              Csv.num(s.bm25Ratio(), 4), Csv.num(s.shareBm25AbovePositive(), 4),
              s.crossEncoderScore() == null ? "" : Csv.num(s.crossEncoderScore(), 4),
              s.shareCrossEncoderAbovePositive() == null ? "" : Csv.num(s.shareCrossEncoderAbovePositive(), 4),
              Csv.num(s.jaccardWithPositive(), 4), Csv.num(s.negativeTokens(), 1), Csv.num(s.positiveTokens(), 1)));
    }
    Csv.write(out.resolve("hardness.csv"), HARDNESS_HEADER, hard);

    List<List<String>> jmh = new ArrayList<>();
    for (JmhResults f : r.jmh()) {
      for (JmhResults.Run run : f.runs()) {
        jmh.add(
            List.of(
                f.file(), run.benchmark(), run.paramText(), run.mode(), String.valueOf(run.threads()), String.valueOf(run.forks()), run.warmup(),
                run.measurement(), Csv.num(run.score(), 3), Csv.num(run.error(), 3), run.unit(), run.jvm(), String.join(" ", run.jvmArgs())));
      }
    }
    Csv.write(
        out.resolve("jmh.csv"),
        List.of("file", "benchmark", "params", "mode", "threads", "forks", "warmup", "measurement", "score", "error_99.9", "unit", "jvm", "jvm_args"),
        jmh);
  }

  static final List<String> HARDNESS_HEADER =
      List.of(
          "experiment", "dataset", "source", "queries", "negatives", "cos_negative_query", "cos_negative_positive", "cos_positive_query",
          "share_closer_to_query_than_positive", "bm25_ratio_to_positive", "share_bm25_above_positive", "ce_score",
          "share_ce_above_positive", "jaccard_with_positive", "negative_tokens", "positive_tokens");

  private static String p(Double p) {
    return p == null ? "" : Csv.num(p, 4);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
