package dev.negbench.report;

import dev.negbench.analysis.Significance;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report built from a results folder: nDCG@10 per dataset and source with significance against
 * BM25, the generator comparison, negative hardness, JMH timings and published reference numbers.
 * Everything is ordered explicitly (experiment, dataset, then source type and name), so the same
 * results always give the same tables and page.
 */
public final class Report {
  /** Significance level for the marks, after Holm's correction. */
  public static final double ALPHA = 0.05;

  /** Seed of the randomization test, fixed so the report is reproducible. */
  static final long TEST_SEED = 20070606L;

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

  /** One LLM source's generation (summed over seeds) and what its negatives scored. */
  public record GeneratorRow(
      String experiment,
      String dataset,
      String source,
      GenerationSummary generation,
      double ndcg10) {}

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
  private final Map<String, List<String>> fixtures;

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
      Map<String, List<String>> fixtures) {
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
    TreeSet<String> out = new TreeSet<>();
    fixtures.forEach(
        (k, v) -> {
          String[] key = k.split("/", 3);
          if (key[0].equals(experiment)
              && (dataset == null || key[1].equals(dataset))
              && key[2].equals(source)) {
            out.addAll(v);
          }
        });
    return List.copyOf(out);
  }

  /**
   * The key of {@link #fixtures}: "experiment/dataset/source", split again by {@link
   * #fixtureModels}.
   */
  private static String fixtureKey(String experiment, String dataset, String source) {
    return experiment + "/" + dataset + "/" + source;
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
    List<String> out = new ArrayList<>();
    fixtures.forEach((k, v) -> out.add(k.replace("/", " / ") + ": " + String.join(", ", v)));
    return out;
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

  /** Reads {@code results}: result folders, {@code jmh/*.json} and {@code reference/*.csv}. */
  public static Report build(Path results) {
    List<CellResult> cells = new ResultsStore(results).readAll();
    // experiment -> dataset -> source -> cells (one per seed, seed order)
    Map<String, Map<String, Map<String, List<CellResult>>>> grouped = new TreeMap<>();
    for (CellResult c : cells) {
      grouped
          .computeIfAbsent(c.experiment(), k -> new TreeMap<>())
          .computeIfAbsent(c.dataset(), k -> new TreeMap<>())
          .computeIfAbsent(c.source(), k -> new ArrayList<>())
          .add(c);
    }
    List<DatasetRow> rows = new ArrayList<>();
    List<MetricRow> metricRows = new ArrayList<>();
    Map<String, List<String>> fixtures = new TreeMap<>();
    for (CellResult c : cells) {
      if (c.training().get("fixture_models") instanceof List<?> models && !models.isEmpty()) {
        List<String> known =
            fixtures.computeIfAbsent(
                fixtureKey(c.experiment(), c.dataset(), c.source()), k -> new ArrayList<>());
        models.stream().map(String::valueOf).filter(m -> !known.contains(m)).forEach(known::add);
      }
    }
    grouped.forEach(
        (exp, byDataset) ->
            byDataset.forEach(
                (ds, bySource) -> {
                  List<Map.Entry<String, List<CellResult>>> sources =
                      new ArrayList<>(bySource.entrySet());
                  sources.sort(
                      Comparator.comparing(
                          e -> new String[] {e.getKey(), e.getValue().get(0).sourceType()},
                          SOURCE_ORDER));
                  for (var e : sources) {
                    e.getValue().sort(Comparator.comparingLong(CellResult::seed));
                    for (String m : e.getValue().get(0).metrics().keySet()) {
                      var ms =
                          Significance.MeanSd.of(
                              e.getValue().stream().mapToDouble(c -> c.metric(m)).toArray());
                      metricRows.add(
                          new MetricRow(exp, ds, e.getKey(), m, ms.mean(), ms.sd(), ms.n()));
                    }
                  }
                  DatasetRow row = datasetRow(exp, ds, sources, fixtures.keySet());
                  rows.add(row);
                }));
    SourceScores scores = SourceScores.of(rows);
    List<SourceFolder> folders = SourceFolder.readAll(results);
    List<CostRow> costs = SourceCosts.of(folders, scores);
    return new Report(
        rows,
        across(rows),
        metricRows,
        GeneratorRows.of(folders, scores),
        costs,
        HardnessRows.of(folders),
        JmhResults.readAll(results.resolve("jmh")),
        StageRates.of(cells, costs),
        Reference.readAll(results.resolve("reference")),
        fixtures);
  }

  /**
   * One dataset's scores and tests; the best (bold) is the best real source: a source a test
   * fixture made (its "exp/ds/source" key in {@code fixtureKeys}) is not, unless every source is
   * one.
   */
  private static DatasetRow datasetRow(
      String exp,
      String ds,
      List<Map.Entry<String, List<CellResult>>> sources,
      Set<String> fixtureKeys) {
    // Per-query nDCG@10 of every seed, aligned to the first source's query order; a source whose
    // seeds were evaluated on other queries is left out of the tests.
    List<String> queryIds = sources.get(0).getValue().get(0).queryIds();
    Map<String, double[][]> tables = new LinkedHashMap<>();
    for (var e : sources) {
      double[][] t = perSeedPerQuery(e.getValue(), queryIds);
      if (t != null) {
        tables.put(e.getKey(), t);
      }
    }
    List<SourceComparisons.Comparison> comparisons =
        SourceComparisons.withinDataset(tables, TEST_SEED);
    boolean allFixtures =
        sources.stream().allMatch(e -> fixtureKeys.contains(fixtureKey(exp, ds, e.getKey())));
    double best = Double.NEGATIVE_INFINITY;
    List<Significance.MeanSd> stats = new ArrayList<>();
    for (var e : sources) {
      var ms =
          Significance.MeanSd.of(
              e.getValue().stream().mapToDouble(c -> c.metric(NDCG10)).toArray());
      stats.add(ms);
      if (allFixtures || !fixtureKeys.contains(fixtureKey(exp, ds, e.getKey()))) {
        best = Math.max(best, round4(ms.mean()));
      }
    }
    double baseMean = Double.NaN;
    for (int i = 0; i < sources.size(); i++) {
      if (sources.get(i).getKey().equals(BASELINE)) {
        baseMean = stats.get(i).mean();
      }
    }
    List<Score> scores = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      var e = sources.get(i);
      var ms = stats.get(i);
      String name = e.getKey();
      int direction =
          Double.isNaN(baseMean) || name.equals(BASELINE)
              ? 0
              : Double.compare(round4(ms.mean()), round4(baseMean));
      SourceComparisons.Comparison vsBase =
          name.equals(BASELINE) ? null : pair(comparisons, name, BASELINE);
      double[][] t = tables.get(name);
      Significance.Interval ci =
          t == null
              ? new Significance.Interval(Double.NaN, Double.NaN)
              : SourceComparisons.meanInterval(t, TEST_SEED);
      scores.add(
          new Score(
              name,
              e.getValue().get(0).sourceType(),
              ms.mean(),
              ms.sd(),
              ms.n(),
              ci.low(),
              ci.high(),
              vsBase == null ? null : vsBase.p(),
              vsBase == null ? null : vsBase.pHolm(),
              direction,
              round4(ms.mean()) == best
                  && (allFixtures || !fixtureKeys.contains(fixtureKey(exp, ds, name)))));
    }
    CellResult first = sources.get(0).getValue().get(0);
    return new DatasetRow(exp, ds, first.synthetic(), first.queryIds().size(), scores, comparisons);
  }

  /** The comparison of sources {@code x} and {@code y} in either order, or null. */
  static SourceComparisons.Comparison pair(
      List<SourceComparisons.Comparison> comparisons, String x, String y) {
    for (SourceComparisons.Comparison c : comparisons) {
      if ((c.sourceA().equals(x) && c.sourceB().equals(y))
          || (c.sourceA().equals(y) && c.sourceB().equals(x))) {
        return c;
      }
    }
    return null;
  }

  /**
   * Per seed, per-query nDCG@10 in the order of {@code queryIds}; null when a seed lacks per-query
   * values or was evaluated on other queries (no paired test then).
   */
  private static double[][] perSeedPerQuery(List<CellResult> seeds, List<String> queryIds) {
    double[][] t = new double[seeds.size()][];
    for (int s = 0; s < seeds.size(); s++) {
      CellResult c = seeds.get(s);
      double[] v = c.perQuery().get(NDCG10);
      if (v == null || v.length != queryIds.size() || v.length == 0) {
        return null;
      }
      if (c.queryIds().equals(queryIds)) {
        t[s] = v;
        continue;
      }
      Map<String, Integer> at = new HashMap<>();
      for (int q = 0; q < c.queryIds().size(); q++) {
        at.put(c.queryIds().get(q), q);
      }
      t[s] = new double[queryIds.size()];
      for (int q = 0; q < queryIds.size(); q++) {
        Integer i = at.get(queryIds.get(q));
        if (i == null) {
          return null;
        }
        t[s][q] = v[i];
      }
    }
    return t;
  }

  /**
   * Per experiment with more than one dataset: every pair of sources over the datasets both were
   * evaluated on (mean nDCG@10 over seeds per dataset).
   */
  private static List<AcrossDatasets> across(List<DatasetRow> rows) {
    Map<String, List<DatasetRow>> byExperiment = new TreeMap<>();
    rows.forEach(d -> byExperiment.computeIfAbsent(d.experiment(), k -> new ArrayList<>()).add(d));
    List<AcrossDatasets> out = new ArrayList<>();
    byExperiment.forEach(
        (exp, ds) -> {
          if (ds.size() < 2) {
            return;
          }
          List<String[]> sources = new ArrayList<>();
          Map<String, String> types = new LinkedHashMap<>();
          ds.forEach(d -> d.scores().forEach(s -> types.putIfAbsent(s.source(), s.type())));
          types.forEach((k, v) -> sources.add(new String[] {k, v}));
          sources.sort(SOURCE_ORDER);
          Map<String, Map<String, Double>> means = new LinkedHashMap<>();
          for (String[] s : sources) {
            Map<String, Double> m = new TreeMap<>();
            for (DatasetRow d : ds) {
              Score sc = d.score(s[0]);
              if (sc != null) {
                m.put(d.dataset(), sc.mean());
              }
            }
            means.put(s[0], m);
          }
          out.add(new AcrossDatasets(exp, SourceComparisons.acrossDatasets(means, TEST_SEED)));
        });
    return out;
  }

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
