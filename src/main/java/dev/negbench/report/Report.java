package dev.negbench.report;

import dev.negbench.analysis.Significance;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.HardnessSummary;
import dev.negbench.results.JmhResults;
import dev.negbench.results.Reference;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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

  /** One source on one dataset: mean and sd over seeds, and its test against the baseline. */
  public record Score(
      String source, String type, double mean, double sd, int seeds, Double p, Double pHolm, int direction, boolean best) {
    public boolean significant() {
      return pHolm != null && pHolm < ALPHA;
    }
  }

  /** One dataset of one experiment. */
  public record DatasetRow(String experiment, String dataset, boolean synthetic, int queries, List<Score> scores) {
    public Score score(String source) {
      return scores.stream().filter(s -> s.source().equals(source)).findFirst().orElse(null);
    }
  }

  /** One LLM source's generation (summed over seeds) and what its negatives scored. */
  public record GeneratorRow(String experiment, String dataset, String source, GenerationSummary generation, double ndcg10) {}

  /** Hardness of one source's negatives on one dataset (averaged over seeds). */
  public record HardnessRow(String experiment, String dataset, String source, HardnessSummary summary) {}

  /** Mean of every metric per source, for the CSV. */
  public record MetricRow(String experiment, String dataset, String source, String metric, double mean, double sd, int seeds) {}

  private final List<DatasetRow> datasets;
  private final List<MetricRow> metrics;
  private final List<GeneratorRow> generators;
  private final List<HardnessRow> hardness;
  private final List<JmhResults> jmh;
  private final List<Reference> reference;

  Report(
      List<DatasetRow> datasets,
      List<MetricRow> metrics,
      List<GeneratorRow> generators,
      List<HardnessRow> hardness,
      List<JmhResults> jmh,
      List<Reference> reference) {
    this.datasets = datasets;
    this.metrics = metrics;
    this.generators = generators;
    this.hardness = hardness;
    this.jmh = jmh;
    this.reference = reference;
  }

  public List<DatasetRow> datasets() {
    return datasets;
  }

  public List<MetricRow> metrics() {
    return metrics;
  }

  public List<GeneratorRow> generators() {
    return generators;
  }

  public List<HardnessRow> hardness() {
    return hardness;
  }

  public List<JmhResults> jmh() {
    return jmh;
  }

  public List<Reference> reference() {
    return reference;
  }

  /** Sources in report order: zero-shot, then by type as {@link CellResult#TYPE_ORDER} lists them, then name. */
  static final Comparator<String[]> SOURCE_ORDER =
      Comparator.comparingInt((String[] s) -> s[0].equals(CellResult.ZERO_SHOT) ? -1 : typeRank(s[1])).thenComparing(s -> s[0]);

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
    Map<String, Double> ndcgBySource = new HashMap<>();
    grouped.forEach(
        (exp, byDataset) ->
            byDataset.forEach(
                (ds, bySource) -> {
                  List<Map.Entry<String, List<CellResult>>> sources = new ArrayList<>(bySource.entrySet());
                  sources.sort(Comparator.comparing(e -> new String[] {e.getKey(), e.getValue().get(0).sourceType()}, SOURCE_ORDER));
                  for (var e : sources) {
                    e.getValue().sort(Comparator.comparingLong(CellResult::seed));
                    for (String m : e.getValue().get(0).metrics().keySet()) {
                      var ms = Significance.MeanSd.of(e.getValue().stream().mapToDouble(c -> c.metric(m)).toArray());
                      metricRows.add(new MetricRow(exp, ds, e.getKey(), m, ms.mean(), ms.sd(), ms.n()));
                    }
                  }
                  DatasetRow row = datasetRow(exp, ds, sources);
                  rows.add(row);
                  row.scores().forEach(s -> ndcgBySource.put(exp + "/" + ds + "/" + s.source(), s.mean()));
                }));
    List<GeneratorRow> gens = new ArrayList<>();
    List<HardnessRow> hard = new ArrayList<>();
    // Per source folder: generation.json and hardness.json of each seed.
    for (Path sourceDir : sourceDirs(results)) {
      String source = sourceDir.getFileName().toString();
      String ds = sourceDir.getParent().getFileName().toString();
      String exp = sourceDir.getParent().getParent().getFileName().toString();
      List<GenerationSummary> g = new ArrayList<>();
      List<HardnessSummary> h = new ArrayList<>();
      for (Path seed : seedDirs(sourceDir)) {
        if (Files.isRegularFile(seed.resolve(ResultsStore.GENERATION))) {
          g.add(GenerationSummary.read(seed.resolve(ResultsStore.GENERATION)));
        }
        if (Files.isRegularFile(seed.resolve(ResultsStore.HARDNESS))) {
          h.add(HardnessSummary.read(seed.resolve(ResultsStore.HARDNESS)));
        }
      }
      if (!g.isEmpty()) {
        gens.add(new GeneratorRow(exp, ds, source, sum(g), ndcgBySource.getOrDefault(exp + "/" + ds + "/" + source, Double.NaN)));
      }
      if (!h.isEmpty()) {
        hard.add(new HardnessRow(exp, ds, source, average(source, h)));
      }
    }
    return new Report(
        rows, metricRows, gens, hard, JmhResults.readAll(results.resolve("jmh")), Reference.readAll(results.resolve("reference")));
  }

  private static DatasetRow datasetRow(String exp, String ds, List<Map.Entry<String, List<CellResult>>> sources) {
    List<CellResult> baseline = null;
    for (var e : sources) {
      if (e.getKey().equals(BASELINE)) {
        baseline = e.getValue();
      }
    }
    List<String> names = new ArrayList<>();
    List<double[]> perQuery = new ArrayList<>();
    List<Double> pValues = new ArrayList<>();
    Map<String, Double> p = new LinkedHashMap<>();
    double[] base = baseline == null ? null : meanPerQuery(baseline);
    for (var e : sources) {
      double[] pq = meanPerQuery(e.getValue());
      names.add(e.getKey());
      perQuery.add(pq);
      if (base != null && !e.getKey().equals(BASELINE) && pq.length == base.length && pq.length > 0) {
        double v = Significance.pairedRandomization(pq, base, Significance.PERMUTATIONS, TEST_SEED);
        p.put(e.getKey(), v);
        pValues.add(v);
      }
    }
    double[] holm = Significance.holm(pValues.stream().mapToDouble(Double::doubleValue).toArray());
    Map<String, Double> adjusted = new HashMap<>();
    int k = 0;
    for (String s : p.keySet()) {
      adjusted.put(s, holm[k++]);
    }
    double best = Double.NEGATIVE_INFINITY;
    List<Significance.MeanSd> stats = new ArrayList<>();
    for (var e : sources) {
      var ms = Significance.MeanSd.of(e.getValue().stream().mapToDouble(c -> c.metric(NDCG10)).toArray());
      stats.add(ms);
      best = Math.max(best, round4(ms.mean()));
    }
    double baseMean = baseline == null ? Double.NaN : Significance.MeanSd.of(baseline.stream().mapToDouble(c -> c.metric(NDCG10)).toArray()).mean();
    List<Score> scores = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      var e = sources.get(i);
      var ms = stats.get(i);
      String name = e.getKey();
      int direction = Double.isNaN(baseMean) || name.equals(BASELINE) ? 0 : Double.compare(round4(ms.mean()), round4(baseMean));
      scores.add(
          new Score(name, e.getValue().get(0).sourceType(), ms.mean(), ms.sd(), ms.n(), p.get(name), adjusted.get(name), direction,
              round4(ms.mean()) == best));
    }
    CellResult first = sources.get(0).getValue().get(0);
    return new DatasetRow(exp, ds, first.synthetic(), first.queryIds().size(), scores);
  }

  /** Per-query nDCG@10 averaged over seeds, in the first seed's query order. */
  private static double[] meanPerQuery(List<CellResult> seeds) {
    CellResult first = seeds.get(0);
    double[] v = first.perQuery().getOrDefault(NDCG10, new double[0]).clone();
    for (CellResult c : seeds.subList(1, seeds.size())) {
      double[] o = c.perQuery().get(NDCG10);
      if (o == null || o.length != v.length || !c.queryIds().equals(first.queryIds())) {
        return new double[0]; // seeds evaluated on different queries: no paired test
      }
      for (int i = 0; i < v.length; i++) {
        v[i] += o[i];
      }
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= seeds.size();
    }
    return v;
  }

  static double round4(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  private static GenerationSummary sum(List<GenerationSummary> g) {
    GenerationSummary f = g.get(0);
    long queries = 0, negatives = 0, requests = 0, prompt = 0, completion = 0;
    double seconds = 0, p50 = 0, p90 = 0, p99 = 0;
    for (GenerationSummary s : g) {
      queries += s.queries();
      negatives += s.negatives();
      requests += s.requests();
      prompt += s.promptTokens();
      completion += s.completionTokens();
      seconds += s.seconds();
      p50 += s.latencyP50Ms() / g.size();
      p90 += s.latencyP90Ms() / g.size();
      p99 += s.latencyP99Ms() / g.size();
    }
    return new GenerationSummary(
        f.generator(), f.model(), f.parametersB(), f.device(), f.gpu(), f.gpuHourUsd(), f.simulated(), queries, negatives, requests, prompt,
        completion, seconds, p50, p90, p99, f.gpuCount());
  }

  private static HardnessSummary average(String source, List<HardnessSummary> h) {
    int n = h.size();
    double[] s = new double[12];
    long negatives = 0;
    int queries = 0;
    boolean ce = h.stream().allMatch(x -> x.crossEncoderScore() != null);
    for (HardnessSummary x : h) {
      negatives += x.negatives();
      queries = Math.max(queries, x.queries());
      double[] v = {
        x.cosineToQuery(), x.cosineToPositive(), x.positiveCosineToQuery(), x.shareCloserThanPositive(), x.bm25Ratio(),
        x.shareBm25AbovePositive(), ce ? x.crossEncoderScore() : 0, ce ? x.shareCrossEncoderAbovePositive() : 0, x.jaccardWithPositive(),
        x.negativeTokens(), x.positiveTokens(), 0
      };
      for (int i = 0; i < v.length; i++) {
        s[i] += v[i] / n;
      }
    }
    return new HardnessSummary(
        source, queries, negatives / n, round4(s[0]), round4(s[1]), round4(s[2]), round4(s[3]), round4(s[4]), round4(s[5]),
        ce ? round4(s[6]) : null, ce ? round4(s[7]) : null, round4(s[8]), round4(s[9]), round4(s[10]));
  }

  /** {@code results/EXP/DATASET/SOURCE} folders that hold seed folders, in path order. */
  private static List<Path> sourceDirs(Path results) {
    if (!Files.isDirectory(results)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(results, 4)) {
      return walk.filter(p -> results.relativize(p).getNameCount() == 3 && Files.isDirectory(p) && !seedDirs(p).isEmpty())
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + results, e);
    }
  }

  private static List<Path> seedDirs(Path sourceDir) {
    try (Stream<Path> s = Files.list(sourceDir)) {
      return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("seed-\\d+"))
          .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(5))))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + sourceDir, e);
    }
  }

  /** Writes the CSV tables and {@code index.html} into {@code out}. */
  public void write(Path out) {
    ReportTables.write(this, out);
    dev.negbench.io.AtomicFiles.writeString(out.resolve("index.html"), HtmlPage.render(this));
  }
}
