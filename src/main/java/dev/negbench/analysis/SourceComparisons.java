package dev.negbench.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every pair of negative sources compared: on one dataset over its queries and seeds, and across
 * the datasets of an experiment. Per pair the mean difference, its 95% percentile bootstrap
 * interval and a two-sided p-value, Holm-corrected over all pairs of the dataset (or of the
 * experiment, across datasets).
 *
 * <p>Within a dataset the test is {@link Significance#relabelling}: per query, the scores of both
 * sources' seeds are exchangeable under the null, so relabelling them within each query tests over
 * queries and seeds at once (one seed each: the paired randomization test of Smucker et al. 2007),
 * and the bootstrap resamples queries and seeds alike. Across datasets each dataset counts once:
 * the mean over datasets per source, and Wilcoxon's signed-rank test over the datasets.
 */
public final class SourceComparisons {
  /** Bootstrap resamples and randomization permutations, 10,000 as is usual in IR evaluation. */
  public static final int RESAMPLES = Significance.PERMUTATIONS;

  /** Coverage of the intervals. */
  public static final double LEVEL = 0.95;

  private SourceComparisons() {}

  /**
   * Source {@code a} against source {@code b}: {@code delta} = mean(a) - mean(b), its interval, p
   * and Holm-adjusted p; {@code units} are the queries (within a dataset) or datasets (across)
   * compared.
   */
  public record Comparison(
      String sourceA,
      String sourceB,
      int units,
      double delta,
      double ciLow,
      double ciHigh,
      double p,
      double pHolm) {}

  /**
   * Every pair of {@code scores} (source name -> [seed][query], every row the same queries in the
   * same order, in report order): source {@code a} the later of the two, so a positive delta means
   * the later source scored higher. Sources whose queries differ from the first's are left out.
   */
  public static List<Comparison> withinDataset(Map<String, double[][]> scores, long seed) {
    List<String> names = new ArrayList<>(scores.keySet());
    List<Comparison> raw = new ArrayList<>();
    for (int j = 0; j < names.size(); j++) {
      for (int i = 0; i < j; i++) {
        double[][] a = scores.get(names.get(j));
        double[][] b = scores.get(names.get(i));
        if (a.length == 0 || b.length == 0 || a[0].length == 0 || a[0].length != b[0].length) {
          continue;
        }
        double delta = mean(a) - mean(b);
        Significance.Interval ci = Significance.bootstrap(a, b, RESAMPLES, LEVEL, seed);
        double p = Significance.relabelling(a, b, Significance.PERMUTATIONS, seed);
        raw.add(
            new Comparison(
                names.get(j),
                names.get(i),
                a[0].length,
                delta,
                ci.low(),
                ci.high(),
                p,
                Double.NaN));
      }
    }
    return holm(raw);
  }

  /**
   * Every pair of sources across datasets, from {@code means} (source -> dataset -> mean nDCG@10
   * over seeds, sources in report order): the datasets both have, the mean over them of a - b, a
   * bootstrap interval over datasets and Wilcoxon's signed-rank p. A pair with no common dataset is
   * left out.
   */
  public static List<Comparison> acrossDatasets(Map<String, Map<String, Double>> means, long seed) {
    List<String> names = new ArrayList<>(means.keySet());
    List<Comparison> raw = new ArrayList<>();
    for (int j = 0; j < names.size(); j++) {
      for (int i = 0; i < j; i++) {
        Map<String, Double> a = means.get(names.get(j));
        Map<String, Double> b = means.get(names.get(i));
        List<String> common = a.keySet().stream().filter(b::containsKey).sorted().toList();
        if (common.isEmpty()) {
          continue;
        }
        double[] va = common.stream().mapToDouble(a::get).toArray();
        double[] vb = common.stream().mapToDouble(b::get).toArray();
        double[][] ta = {va};
        double[][] tb = {vb};
        Significance.Interval ci = Significance.bootstrap(ta, tb, RESAMPLES, LEVEL, seed);
        double p = Significance.wilcoxon(va, vb, Significance.PERMUTATIONS, seed);
        raw.add(
            new Comparison(
                names.get(j),
                names.get(i),
                common.size(),
                mean(ta) - mean(tb),
                ci.low(),
                ci.high(),
                p,
                Double.NaN));
      }
    }
    return holm(raw);
  }

  /** The 95% bootstrap interval of one source's mean over queries and seeds ([seed][query]). */
  public static Significance.Interval meanInterval(double[][] scores, long seed) {
    if (scores.length == 0 || scores[0].length == 0) {
      return new Significance.Interval(Double.NaN, Double.NaN);
    }
    return Significance.bootstrap(scores, new double[0][], RESAMPLES, LEVEL, seed);
  }

  /** Mean over seeds and queries. */
  private static double mean(double[][] t) {
    double s = 0;
    for (double[] row : t) {
      for (double v : row) {
        s += v / row.length;
      }
    }
    return s / t.length;
  }

  private static List<Comparison> holm(List<Comparison> raw) {
    double[] adjusted = Significance.holm(raw.stream().mapToDouble(Comparison::p).toArray());
    List<Comparison> out = new ArrayList<>();
    for (int k = 0; k < raw.size(); k++) {
      Comparison c = raw.get(k);
      out.add(
          new Comparison(
              c.sourceA(),
              c.sourceB(),
              c.units(),
              c.delta(),
              c.ciLow(),
              c.ciHigh(),
              c.p(),
              adjusted[k]));
    }
    return out;
  }
}
