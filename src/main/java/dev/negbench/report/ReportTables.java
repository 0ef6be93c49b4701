package dev.negbench.report;

import dev.negbench.analysis.SourceComparisons;
import dev.negbench.io.Csv;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.HardnessSummary;
import dev.negbench.results.JmhResults;
import dev.negbench.results.NegativesCost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The report's CSV tables, one file each, numbers with fixed decimals. */
final class ReportTables {
  private ReportTables() {}

  /**
   * The last column of the result tables: the test-fixture models behind a row ("; "-separated,
   * empty for real models), so a result the fixture made is never read as a model's.
   */
  static final String FIXTURES = "fixture_models";

  static void write(Report r, Path out) {
    List<List<String>> ndcg = new ArrayList<>();
    for (Report.DatasetRow d : r.datasets()) {
      for (Report.Score s : d.scores()) {
        ndcg.add(
            List.of(
                d.experiment(),
                d.dataset(),
                String.valueOf(d.synthetic()),
                String.valueOf(d.queries()),
                s.source(),
                s.type(),
                String.valueOf(s.seeds()),
                Csv.num(s.mean(), 4),
                Csv.num(s.sd(), 4),
                p(s.p()),
                p(s.pHolm()),
                String.valueOf(s.significant()),
                String.valueOf(s.direction()),
                String.valueOf(s.best()),
                fixtures(r, d.experiment(), d.dataset(), s.source())));
      }
    }
    Csv.write(
        out.resolve("ndcg10.csv"),
        List.of(
            "experiment",
            "dataset",
            "synthetic",
            "queries",
            "source",
            "source_type",
            "seeds",
            "ndcg@10_mean",
            "ndcg@10_sd",
            "p_vs_bm25",
            "p_holm",
            "significant",
            "direction",
            "best",
            FIXTURES),
        ndcg);

    List<List<String>> sig = new ArrayList<>();
    for (Report.DatasetRow d : r.datasets()) {
      d.comparisons().forEach(c -> sig.add(comparison(r, d.experiment(), d.dataset(), c)));
    }
    for (Report.AcrossDatasets a : r.across()) {
      a.comparisons().forEach(c -> sig.add(comparison(r, a.experiment(), ALL, c)));
    }
    Csv.write(
        out.resolve("significance.csv"),
        List.of(
            "experiment",
            "dataset",
            "source_a",
            "source_b",
            "delta",
            "ci_low",
            "ci_high",
            "p",
            "p_holm",
            FIXTURES),
        sig);

    List<List<String>> metrics = new ArrayList<>();
    for (Report.MetricRow m : r.metrics()) {
      metrics.add(
          List.of(
              m.experiment(),
              m.dataset(),
              m.source(),
              m.metric(),
              String.valueOf(m.seeds()),
              Csv.num(m.mean(), 4),
              Csv.num(m.sd(), 4),
              fixtures(r, m.experiment(), m.dataset(), m.source())));
    }
    Csv.write(
        out.resolve("metrics.csv"),
        List.of("experiment", "dataset", "source", "metric", "seeds", "mean", "sd", FIXTURES),
        metrics);

    List<List<String>> gens = new ArrayList<>();
    for (Report.GeneratorRow g : r.generators()) {
      GenerationSummary s = g.generation();
      gens.add(
          List.of(
              g.experiment(),
              g.dataset(),
              g.source(),
              s.generator(),
              nz(s.model()),
              s.parametersB() == null ? "" : Csv.num(s.parametersB(), 1),
              nz(s.device()),
              String.valueOf(s.simulated()),
              String.valueOf(s.queries()),
              String.valueOf(s.negatives()),
              String.valueOf(s.requests()),
              Csv.num(s.seconds(), 1),
              Csv.num(s.negativesPerSecond(), 2),
              Csv.num(s.tokensPerSecond(), 1),
              Csv.num(s.latencyP50Ms(), 1),
              Csv.num(s.latencyP90Ms(), 1),
              Csv.num(s.latencyP99Ms(), 1),
              nz(s.gpu()),
              s.gpuHourUsd() == null ? "" : Csv.num(s.gpuHourUsd(), 2),
              Csv.num(s.usdPer1000Negatives(), 4),
              Csv.num(g.ndcg10(), 4),
              String.valueOf(g.generations()),
              String.valueOf(g.seeds()),
              Csv.num(g.ndcg10Sd(), 4),
              g.sdHolds(),
              fixtures(r, g.experiment(), g.dataset(), g.source())));
    }
    Csv.write(
        out.resolve("generators.csv"),
        List.of(
            "experiment",
            "dataset",
            "source",
            "generator",
            "model",
            "parameters_b",
            "device",
            "simulated",
            "queries",
            "negatives",
            "requests",
            "seconds",
            "negatives_per_s",
            "completion_tokens_per_s",
            "latency_p50_ms",
            "latency_p90_ms",
            "latency_p99_ms",
            "gpu",
            "gpu_hour_usd",
            "usd_per_1000_negatives",
            "ndcg@10",
            "generations",
            "seeds",
            "ndcg@10_sd",
            "sd_holds",
            FIXTURES),
        gens);

    List<List<String>> cost = new ArrayList<>();
    for (Report.CostRow c : r.costs()) {
      NegativesCost n = c.cost();
      cost.add(
          List.of(
              c.experiment(),
              c.dataset(),
              c.source(),
              n == null ? "" : String.valueOf(n.negatives()),
              n == null ? "" : Csv.num(n.seconds(), 1),
              n == null ? "" : n.devices(),
              n == null ? "" : Csv.num(n.usd(), 6),
              Csv.num(c.usdPer1000Negatives(), 6),
              Csv.num(c.ndcg10(), 4),
              Csv.num(c.deltaVsBaseline(), 4),
              fixtures(r, c.experiment(), c.dataset(), c.source())));
    }
    Csv.write(
        out.resolve("cost.csv"),
        List.of(
            "experiment",
            "dataset",
            "source",
            "negatives",
            "seconds",
            "device",
            "usd",
            "usd_per_1000_negatives",
            "ndcg@10",
            "delta_vs_" + Report.BASELINE,
            FIXTURES),
        cost);

    List<List<String>> hard = new ArrayList<>();
    for (Report.HardnessRow h : r.hardness()) {
      HardnessSummary s = h.summary();
      hard.add(
          List.of(
              h.experiment(),
              h.dataset(),
              h.source(),
              String.valueOf(s.queries()),
              String.valueOf(s.negatives()),
              Csv.num(s.cosineToQuery(), 4),
              Csv.num(s.cosineToPositive(), 4),
              Csv.num(s.positiveCosineToQuery(), 4),
              Csv.num(s.shareCloserThanPositive(), 4),
              Csv.num(s.bm25Ratio(), 4),
              Csv.num(s.shareBm25AbovePositive(), 4),
              s.crossEncoderScore() == null ? "" : Csv.num(s.crossEncoderScore(), 4),
              s.shareCrossEncoderAbovePositive() == null
                  ? ""
                  : Csv.num(s.shareCrossEncoderAbovePositive(), 4),
              Csv.num(s.jaccardWithPositive(), 4),
              Csv.num(s.negativeTokens(), 1),
              Csv.num(s.positiveTokens(), 1),
              fixtures(r, h.experiment(), h.dataset(), h.source())));
    }
    Csv.write(out.resolve("hardness.csv"), HARDNESS_HEADER, hard);

    List<List<String>> jmh = new ArrayList<>();
    for (JmhResults f : r.jmh()) {
      for (JmhResults.Kernel run : f.kernels()) {
        jmh.add(
            List.of(
                f.file(),
                run.benchmark(),
                run.paramText(),
                run.mode(),
                String.valueOf(run.threads()),
                String.valueOf(run.forks()),
                run.warmup(),
                run.measurement(),
                Csv.num(run.score(), 3),
                Csv.num(run.error(), 3),
                run.unit(),
                run.jvm(),
                String.join(" ", run.jvmArgs())));
      }
    }
    Csv.write(
        out.resolve("jmh.csv"),
        List.of(
            "file",
            "benchmark",
            "params",
            "mode",
            "threads",
            "forks",
            "warmup",
            "measurement",
            "score",
            "error_99.9",
            "unit",
            "jvm",
            "jvm_args"),
        jmh);
  }

  static final List<String> HARDNESS_HEADER =
      List.of(
          "experiment",
          "dataset",
          "source",
          "queries",
          "negatives",
          "cos_negative_query",
          "cos_negative_positive",
          "cos_positive_query",
          "share_closer_to_query_than_positive",
          "bm25_ratio_to_positive",
          "share_bm25_above_positive",
          "ce_score",
          "share_ce_above_positive",
          "jaccard_with_positive",
          "negative_tokens",
          "positive_tokens",
          FIXTURES);

  /** The dataset column of the rows that compare sources across an experiment's datasets. */
  static final String ALL = "ALL";

  private static String fixtures(Report r, String experiment, String dataset, String source) {
    return String.join("; ", r.fixtureModels(experiment, dataset, source));
  }

  private static List<String> comparison(
      Report r, String experiment, String dataset, SourceComparisons.Comparison c) {
    String ds = dataset.equals(ALL) ? null : dataset;
    List<String> fixtures = new ArrayList<>(r.fixtureModels(experiment, ds, c.sourceA()));
    r.fixtureModels(experiment, ds, c.sourceB()).stream()
        .filter(m -> !fixtures.contains(m))
        .forEach(fixtures::add);
    return List.of(
        experiment,
        dataset,
        c.sourceA(),
        c.sourceB(),
        Csv.num(c.delta(), 4),
        Csv.num(c.ciLow(), 4),
        Csv.num(c.ciHigh(), 4),
        Csv.num(c.p(), 4),
        Csv.num(c.pHolm(), 4),
        String.join("; ", fixtures));
  }

  private static String p(Double p) {
    return p == null ? "" : Csv.num(p, 4);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
