package dev.negbench.report;

import dev.negbench.analysis.Significance;
import dev.negbench.analysis.SourceComparisons;
import dev.negbench.analysis.SourceComparisons.Comparison;
import dev.negbench.report.DatasetResults.SourceSeeds;
import dev.negbench.results.CellResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's significance tests of nDCG@10: every pair of sources on a dataset (over queries and
 * seeds) and across an experiment's datasets, and the bootstrap interval of each source's mean, all
 * with one fixed seed so that the same results give the same p-values and intervals.
 */
final class SignificanceTests {
  /** Seed of the randomization tests and bootstraps, fixed so the report is reproducible. */
  static final long TEST_SEED = 20070606L;

  private SignificanceTests() {}

  /**
   * Per source, per seed, per-query nDCG@10 aligned to the first source's query order; a source
   * whose seeds lack per-query values or were evaluated on other queries is left out (no paired
   * test then).
   */
  static Map<String, double[][]> perQuery(List<SourceSeeds> sources) {
    List<String> queryIds = sources.get(0).seeds().get(0).queryIds();
    Map<String, double[][]> tables = new LinkedHashMap<>();
    for (SourceSeeds s : sources) {
      double[][] t = perSeedPerQuery(s.seeds(), queryIds);
      if (t != null) {
        tables.put(s.source(), t);
      }
    }
    return tables;
  }

  /** Every pair of the sources of {@link #perQuery}, Holm-corrected over the pairs. */
  static List<Comparison> withinDataset(Map<String, double[][]> perQuery) {
    return SourceComparisons.withinDataset(perQuery, TEST_SEED);
  }

  /** The 95% bootstrap interval of a source's mean; NaN to NaN when it has no per-query table. */
  static Significance.Interval meanInterval(double[][] perQuery) {
    return perQuery == null
        ? new Significance.Interval(Double.NaN, Double.NaN)
        : SourceComparisons.meanInterval(perQuery, TEST_SEED);
  }

  /**
   * Per experiment with more than one dataset: every pair of sources over the datasets both were
   * evaluated on (mean nDCG@10 over seeds per dataset).
   */
  static List<Report.AcrossDatasets> across(List<Report.DatasetRow> rows) {
    Map<String, List<Report.DatasetRow>> byExperiment = new TreeMap<>();
    rows.forEach(d -> byExperiment.computeIfAbsent(d.experiment(), k -> new ArrayList<>()).add(d));
    List<Report.AcrossDatasets> out = new ArrayList<>();
    byExperiment.forEach(
        (exp, ds) -> {
          if (ds.size() < 2) {
            return;
          }
          List<String[]> sources = new ArrayList<>();
          Map<String, String> types = new LinkedHashMap<>();
          ds.forEach(d -> d.scores().forEach(s -> types.putIfAbsent(s.source(), s.type())));
          types.forEach((k, v) -> sources.add(new String[] {k, v}));
          sources.sort(Report.SOURCE_ORDER);
          Map<String, Map<String, Double>> means = new LinkedHashMap<>();
          for (String[] s : sources) {
            Map<String, Double> m = new TreeMap<>();
            for (Report.DatasetRow d : ds) {
              Report.Score sc = d.score(s[0]);
              if (sc != null) {
                m.put(d.dataset(), sc.mean());
              }
            }
            means.put(s[0], m);
          }
          out.add(
              new Report.AcrossDatasets(exp, SourceComparisons.acrossDatasets(means, TEST_SEED)));
        });
    return out;
  }

  /** The comparison of sources {@code x} and {@code y} in either order, or null. */
  static Comparison pair(List<Comparison> comparisons, String x, String y) {
    for (Comparison c : comparisons) {
      if ((c.sourceA().equals(x) && c.sourceB().equals(y))
          || (c.sourceA().equals(y) && c.sourceB().equals(x))) {
        return c;
      }
    }
    return null;
  }

  /**
   * Per seed, per-query nDCG@10 in the order of {@code queryIds}; null when a seed lacks per-query
   * values or was evaluated on other queries.
   */
  private static double[][] perSeedPerQuery(List<CellResult> seeds, List<String> queryIds) {
    double[][] t = new double[seeds.size()][];
    for (int s = 0; s < seeds.size(); s++) {
      CellResult c = seeds.get(s);
      double[] v = c.perQuery().get(Report.NDCG10);
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
}
