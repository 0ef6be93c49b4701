package dev.negbench.report;

import dev.negbench.analysis.SourceComparisons;
import dev.negbench.io.AtomicFiles;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.HardnessSummary;
import dev.negbench.results.JmhResults;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.Reference;
import dev.negbench.results.ResultsStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The report built from a results folder: nDCG@10 per dataset and source with significance against
 * BM25, the generator comparison, negative hardness, JMH timings and published reference numbers.
 * Everything is ordered explicitly (experiment, dataset, then source type and name), so the same
 * results always give the same tables and page.
 */
public final class Report {
  /** Significance level for the marks, after Holm's correction. */
  public static final double ALPHA = 0.05;

  /** The source every other is tested against, when a dataset has it. */
  public static final String BASELINE = "bm25";

  static final String NDCG10 = "ndcg@10";

  /**
   * Appended to a source's name wherever a result made with a test fixture is shown: a tiny
   * random-weight model of the test suite, whose numbers test the machinery and rank nothing.
   */
  public static final String FIXTURE_MARK = " †";

  /**
   * One source on one dataset: mean and sd over seeds, the 95% bootstrap interval of the mean over
   * queries and seeds, and its test against the baseline (from the dataset's pairwise tests).
   */
  public record Score(
      String source,
      String type,
      double mean,
      double sd,
      int seeds,
      double ciLow,
      double ciHigh,
      Double p,
      Double pHolm,
      int direction,
      boolean best) {
    public boolean significant() {
      return pHolm != null && pHolm < ALPHA;
    }
  }

  /** One dataset of one experiment, with every pair of its sources compared. */
  public record DatasetRow(
      String experiment,
      String dataset,
      boolean synthetic,
      int queries,
      List<Score> scores,
      List<SourceComparisons.Comparison> comparisons) {
    public Score score(String source) {
      return scores.stream().filter(s -> s.source().equals(source)).findFirst().orElse(null);
    }
  }

  /**
   * One LLM source's generation (summed over its distinct generations) and what its negatives
   * scored: {@code generations} distinct generations for {@code seeds} seeds (one shared by all, or
   * one a seed with {@code per_seed}), and the sd of nDCG@10 over the seeds, which holds training
   * variance alone where the generation is shared, and generation variance too where it is not.
   */
  public record GeneratorRow(
      String experiment,
      String dataset,
      String source,
      GenerationSummary generation,
      double ndcg10,
      int generations,
      int seeds,
      double ndcg10Sd) {
    public GeneratorRow(
        String experiment,
        String dataset,
        String source,
        GenerationSummary generation,
        double ndcg10) {
      this(experiment, dataset, source, generation, ndcg10, 1, 1, Double.NaN);
    }

    /** Whether every seed trained on the one generation. */
    public boolean shared() {
      return generations == 1 && seeds > 1;
    }

    /** What the sd over seeds holds: training variance, or training and generation variance. */
    public String sdHolds() {
      return seeds < 2 ? "" : generations == 1 ? "training" : "training + generation";
    }
  }

  /**
   * What one source's negatives on one dataset cost (summed over its distinct negatives stages: a
   * seed-independent source makes its negatives once for all seeds) and the nDCG@10 they bought;
   * {@code cost} is null when no result of the source records it.
   */
  public record CostRow(
      String experiment,
      String dataset,
      String source,
      String type,
      NegativesCost cost,
      double ndcg10,
      double deltaVsBaseline) {
    public double usdPer1000Negatives() {
      return cost == null || cost.negatives() == 0
          ? Double.NaN
          : cost.usd() / cost.negatives() * 1000;
    }
  }

  /**
   * A stage's throughput in an experiment, beside the kernel class that times it: {@code items}
   * (queries, pairs, requests, documents, steps) in {@code seconds} of the stage's wall time.
   */
  public record StageRate(
      String benchmarkClass,
      String experiment,
      String dataset,
      String what,
      double items,
      double seconds,
      String unit) {
    public double rate() {
      return seconds > 0 ? items / seconds : Double.NaN;
    }
  }

  /** Hardness of one source's negatives on one dataset (averaged over seeds). */
  public record HardnessRow(
      String experiment, String dataset, String source, HardnessSummary summary) {}

  /**
   * Every pair of sources of an experiment with more than one dataset, compared across its
   * datasets.
   */
  public record AcrossDatasets(String experiment, List<SourceComparisons.Comparison> comparisons) {}

  /** Mean of every metric per source, for the CSV. */
  public record MetricRow(
      String experiment,
      String dataset,
      String source,
      String metric,
      double mean,
      double sd,
      int seeds) {}

  private final List<DatasetRow> datasets;
  private final List<AcrossDatasets> across;
  private final List<MetricRow> metrics;
  private final List<GeneratorRow> generators;
  private final List<CostRow> costs;
  private final List<HardnessRow> hardness;
  private final List<JmhResults> jmh;
  private final List<StageRate> stageRates;
  private final List<Reference> reference;
  private final FixtureModels fixtures;

  Report(
      List<DatasetRow> datasets,
      List<AcrossDatasets> across,
      List<MetricRow> metrics,
      List<GeneratorRow> generators,
      List<CostRow> costs,
      List<HardnessRow> hardness,
      List<JmhResults> jmh,
      List<StageRate> stageRates,
      List<Reference> reference,
      FixtureModels fixtures) {
    this.datasets = datasets;
    this.across = across;
    this.metrics = metrics;
    this.generators = generators;
    this.costs = costs;
    this.hardness = hardness;
    this.jmh = jmh;
    this.stageRates = stageRates;
    this.reference = reference;
    this.fixtures = fixtures;
  }

  public List<DatasetRow> datasets() {
    return datasets;
  }

  /** The across-datasets comparisons, one entry per experiment with more than one dataset. */
  public List<AcrossDatasets> across() {
    return across;
  }

  public List<MetricRow> metrics() {
    return metrics;
  }

  public List<GeneratorRow> generators() {
    return generators;
  }

  public List<CostRow> costs() {
    return costs;
  }

  public List<HardnessRow> hardness() {
    return hardness;
  }

  public List<JmhResults> jmh() {
    return jmh;
  }

  public List<StageRate> stageRates() {
    return stageRates;
  }

  public List<Reference> reference() {
    return reference;
  }

  /**
   * The test-fixture models behind a source's results on a dataset (over all its seeds; {@code
   * dataset} null: on any dataset of the experiment), as the pipeline recorded them in {@code
   * metrics.json}'s {@code training.fixture_models}; empty for real models.
   */
  public List<String> fixtureModels(String experiment, String dataset, String source) {
    return fixtures.models(experiment, dataset, source);
  }

  /**
   * The source's name as tables show it: with {@link #FIXTURE_MARK} when a test fixture made its
   * results.
   */
  public String label(String experiment, String dataset, String source) {
    return fixtureModels(experiment, dataset, source).isEmpty() ? source : source + FIXTURE_MARK;
  }

  /**
   * Every result made with a test fixture, as "experiment / dataset / source: model, ...", ordered
   * by that key.
   */
  public List<String> fixtureNotes() {
    return fixtures.notes();
  }

  /**
   * Sources in report order: zero-shot, then by type as {@link CellResult#TYPE_ORDER} lists them,
   * then name.
   */
  static final Comparator<String[]> SOURCE_ORDER =
      Comparator.comparingInt(
              (String[] s) -> s[0].equals(CellResult.ZERO_SHOT) ? -1 : typeRank(s[1]))
          .thenComparing(s -> s[0]);

  private static int typeRank(String type) {
    int i = CellResult.TYPE_ORDER.indexOf(type);
    return i < 0 ? CellResult.TYPE_ORDER.size() : i;
  }

  /**
   * Reads {@code results}: result folders, {@code jmh/*.json} and {@code reference/*.csv}. The
   * results are grouped by dataset ({@link DatasetResults}) and scored and tested ({@link
   * DatasetScores}, {@link SignificanceTests}); the source folders' other files ({@link
   * SourceFolder}) give the generator, hardness and cost rows.
   */
  public static Report build(Path results) {
    List<CellResult> cells = new ResultsStore(results).readAll();
    FixtureModels fixtures = FixtureModels.of(cells);
    List<DatasetRow> rows = new ArrayList<>();
    List<MetricRow> metrics = new ArrayList<>();
    for (DatasetResults d : DatasetResults.group(cells)) {
      metrics.addAll(DatasetScores.metricMeans(d));
      rows.add(DatasetScores.of(d, fixtures));
    }
    SourceScores scores = SourceScores.of(rows);
    List<SourceFolder> folders = SourceFolder.readAll(results);
    List<CostRow> costs = SourceCosts.of(folders, scores);
    return new Report(
        rows,
        SignificanceTests.across(rows),
        metrics,
        GeneratorRows.of(folders, scores),
        costs,
        HardnessRows.of(folders),
        JmhResults.readAll(results.resolve("jmh")),
        StageRates.of(cells, costs),
        Reference.readAll(results.resolve("reference")),
        fixtures);
  }

  /**
   * Rounded to the 4 decimals the tables show: which source is best and which way it differs from
   * the baseline are decided on the numbers a reader sees.
   */
  static double round4(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  /** Writes the CSV tables and {@code index.html} into {@code out}. */
  public void write(Path out) {
    ReportTables.write(this, out);
    AtomicFiles.writeString(out.resolve("ndcg10.tex"), NdcgTable.latex(NdcgTable.of(this)));
    AtomicFiles.writeString(out.resolve("index.html"), HtmlPage.render(this));
  }
}
