package dev.negbench.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Significance of differences between two systems evaluated on the same queries: the paired
 * randomization test (Smucker, Allan and Carterette, "A comparison of statistical significance
 * tests for information retrieval evaluation", CIKM 2007), Holm's step-down correction for several
 * comparisons, and mean and standard deviation over seeds.
 */
public final class Significance {
  /** The paper-standard number of random permutations. */
  public static final int PERMUTATIONS = 10_000;

  private Significance() {}

  /**
   * Two-sided p-value of the paired randomization test of the mean difference between {@code a}
   * and {@code b} (per-query scores of two systems, same query order). Under the null hypothesis
   * the two systems are exchangeable per query, so each permutation swaps a query's pair with
   * probability one half, which flips the sign of its difference. The p-value is the share of
   * permutations whose |mean difference| is at least the observed one (Smucker et al. count the
   * same way). When 2^n is at most {@code permutations}, all 2^n sign patterns are enumerated and
   * the p-value is exact; otherwise {@code permutations} random patterns are drawn from {@code
   * seed}, so the same inputs always give the same p-value.
   */
  public static double pairedRandomization(double[] a, double[] b, int permutations, long seed) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired test needs equal lengths, got " + a.length + " and " + b.length);
    }
    if (permutations < 1) {
      throw new IllegalArgumentException("permutations must be at least 1, was " + permutations);
    }
    int n = a.length;
    if (n == 0) {
      return 1.0;
    }
    double[] diff = new double[n];
    double observed = 0;
    for (int i = 0; i < n; i++) {
      diff[i] = a[i] - b[i];
      observed += diff[i];
    }
    // Sums rather than means (the same order for a fixed n); a tolerance keeps permutations that
    // equal the observed sum up to rounding from being missed.
    double threshold = Math.abs(observed) - 1e-9 * Math.max(1.0, Math.abs(observed));
    long atLeast = 0;
    long total;
    if (n < 63 && (1L << n) <= permutations) {
      total = 1L << n;
      for (long pattern = 0; pattern < total; pattern++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += ((pattern >>> i) & 1) == 0 ? diff[i] : -diff[i];
        }
        if (Math.abs(s) >= threshold) {
          atLeast++;
        }
      }
    } else {
      total = permutations;
      SplittableRandom random = new SplittableRandom(seed);
      for (int p = 0; p < permutations; p++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += random.nextBoolean() ? diff[i] : -diff[i];
        }
        if (Math.abs(s) >= threshold) {
          atLeast++;
        }
      }
    }
    return (double) atLeast / total;
  }

  /**
   * Holm's step-down adjusted p-values (Holm 1979), in the input order: sorted ascending, the
   * i-th smallest (from 0) is multiplied by m - i, capped at 1, and made monotone.
   */
  public static double[] holm(double[] pValues) {
    int m = pValues.length;
    Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> pValues[i]).thenComparingInt(i -> i));
    double[] adjusted = new double[m];
    double running = 0;
    for (int rank = 0; rank < m; rank++) {
      int i = order[rank];
      running = Math.max(running, Math.min(1.0, (m - rank) * pValues[i]));
      adjusted[i] = running;
    }
    return adjusted;
  }

  /** Mean and sample standard deviation (n - 1 in the denominator; 0 for a single value). */
  public record MeanSd(double mean, double sd, int n) {
    public static MeanSd of(double... values) {
      int n = values.length;
      if (n == 0) {
        return new MeanSd(Double.NaN, Double.NaN, 0);
      }
      double sum = 0;
      for (double v : values) {
        sum += v;
      }
      double mean = sum / n;
      double squares = 0;
      for (double v : values) {
        squares += (v - mean) * (v - mean);
      }
      return new MeanSd(mean, n > 1 ? Math.sqrt(squares / (n - 1)) : 0.0, n);
    }
  }
}
