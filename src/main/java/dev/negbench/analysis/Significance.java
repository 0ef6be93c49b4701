package dev.negbench.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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
   * Two-sided p-value of the paired randomization test of the mean difference between {@code a} and
   * {@code b} (per-query scores of two systems, same query order). Under the null hypothesis the
   * two systems are exchangeable per query, so each permutation swaps a query's pair with
   * probability one half, which flips the sign of its difference. The p-value is the share of
   * permutations whose |mean difference| is at least the observed one (Smucker et al. count the
   * same way). When 2^n is at most {@code permutations}, all 2^n sign patterns are enumerated and
   * the p-value is exact; otherwise {@code permutations} random patterns are drawn from {@code
   * seed}, so the same inputs always give the same p-value.
   */
  public static double pairedRandomization(double[] a, double[] b, int permutations, long seed) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "paired test needs equal lengths, got " + a.length + " and " + b.length);
    }
    return relabelling(new double[][] {a}, new double[][] {b}, permutations, seed);
  }

  /**
   * Two-sided p-value of the randomization test of the mean difference between two sources over
   * queries and seeds: {@code a[s][q]} is source A's score on query q with seed s, {@code b} the
   * same for B (every row the same queries, any number of seeds each). Under the null hypothesis
   * that the source does not matter, a query's scores from all seeds of both sources are
   * exchangeable, so each permutation relabels them within every query, independently across
   * queries (which of the pooled values count as A's). With one seed each this is the paired
   * randomization test (a relabelling flips the sign of the query's difference); with more, the
   * spread between seeds widens the null distribution, so a difference that one lucky seed made is
   * not significant. The statistic is the mean over queries of (mean over A's seeds - mean over
   * B's); the p-value is the share of relabellings whose |statistic| is at least the observed one.
   * When all relabellings number at most {@code permutations} they are enumerated and the p-value
   * is exact; otherwise {@code permutations} are drawn from {@code seed}.
   */
  public static double relabelling(double[][] a, double[][] b, int permutations, long seed) {
    if (permutations < 1) {
      throw new IllegalArgumentException("permutations must be at least 1, was " + permutations);
    }
    int n = queries(a, b);
    if (n == 0) {
      return 1.0;
    }
    // Per query, the statistic's term under each relabelling; relabelling 0 is the observed one.
    double[][] terms = new double[n][];
    double observed = 0;
    for (int q = 0; q < n; q++) {
      terms[q] = relabelledDifferences(column(a, q), column(b, q));
      observed += terms[q][0];
    }
    // Sums rather than means (the same order for a fixed n); a tolerance keeps relabellings that
    // equal the observed sum up to rounding from being missed.
    double threshold = Math.abs(observed) - 1e-9 * Math.max(1.0, Math.abs(observed));
    int choices = terms[0].length;
    long atLeast = 0;
    long total;
    if (exactCount(choices, n) <= permutations) {
      total = exactCount(choices, n);
      int[] digit = new int[n];
      for (long k = 0; k < total; k++) {
        double s = 0;
        for (int q = 0; q < n; q++) {
          s += terms[q][digit[q]];
        }
        if (Math.abs(s) >= threshold) {
          atLeast++;
        }
        next(digit, choices);
      }
    } else {
      total = permutations;
      SplittableRandom random = new SplittableRandom(seed);
      for (int p = 0; p < permutations; p++) {
        double s = 0;
        for (int q = 0; q < n; q++) {
          // Two labellings (one seed each): a coin per query, as the paired test has always drawn
          // it.
          s += terms[q][choices == 2 ? (random.nextBoolean() ? 0 : 1) : random.nextInt(choices)];
        }
        if (Math.abs(s) >= threshold) {
          atLeast++;
        }
      }
    }
    return (double) atLeast / total;
  }

  /** A confidence interval's bounds. */
  public record Interval(double low, double high) {}

  /**
   * Percentile bootstrap interval (Efron and Tibshirani 1993, ch. 13) at {@code level} for the mean
   * over queries of (mean over A's seeds - mean over B's seeds), or of A's mean alone when {@code
   * b} has no rows. Each replicate resamples the queries and, independently, each source's seeds,
   * both with replacement, so the interval carries the seed-to-seed variance as well as the
   * sampling of queries. The bounds are the smallest replicate values whose share at or below
   * reaches (1 - level) / 2 and (1 + level) / 2. With one seed each and n^n at most {@code
   * resamples}, every resample of the queries is enumerated (the exact bootstrap distribution);
   * otherwise {@code resamples} are drawn from {@code seed}.
   */
  public static Interval bootstrap(
      double[][] a, double[][] b, int resamples, double level, long seed) {
    int n = queries(a, b);
    if (n == 0) {
      return new Interval(Double.NaN, Double.NaN);
    }
    double[] replicates;
    boolean oneSeedEach = a.length == 1 && b.length <= 1;
    if (oneSeedEach && exactCount(n, n) <= resamples) {
      double[] d = new double[n];
      for (int q = 0; q < n; q++) {
        d[q] = a[0][q] - (b.length == 0 ? 0 : b[0][q]);
      }
      replicates = new double[(int) exactCount(n, n)];
      int[] digit = new int[n];
      for (int k = 0; k < replicates.length; k++) {
        double s = 0;
        for (int q = 0; q < n; q++) {
          s += d[digit[q]];
        }
        replicates[k] = s / n;
        next(digit, n);
      }
    } else {
      replicates = new double[resamples];
      SplittableRandom random = new SplittableRandom(seed);
      int[] seedsA = new int[a.length];
      int[] seedsB = new int[b.length];
      for (int r = 0; r < resamples; r++) {
        for (int s = 0; s < seedsA.length; s++) {
          seedsA[s] = random.nextInt(a.length);
        }
        for (int s = 0; s < seedsB.length; s++) {
          seedsB[s] = random.nextInt(b.length);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
          int q = random.nextInt(n);
          double ma = 0;
          for (int s : seedsA) {
            ma += a[s][q];
          }
          double mb = 0;
          for (int s : seedsB) {
            mb += b[s][q];
          }
          sum += ma / seedsA.length - (seedsB.length == 0 ? 0 : mb / seedsB.length);
        }
        replicates[r] = sum / n;
      }
    }
    Arrays.sort(replicates);
    int total = replicates.length;
    double tail = (1 - level) / 2;
    int lo = Math.max(0, (int) Math.ceil(tail * total - 1e-9) - 1);
    int hi = Math.min(total - 1, (int) Math.ceil((1 - tail) * total - 1e-9) - 1);
    return new Interval(replicates[lo], replicates[hi]);
  }

  /**
   * Two-sided p-value of Wilcoxon's signed-rank test of paired values (e.g. two sources' mean
   * nDCG@10 on each dataset): zero differences dropped, |differences| ranked with mid-ranks for
   * ties, and the exact null distribution of the signed-rank sum by enumerating the 2^k signs (the
   * paired randomization test on signed ranks; sampled from {@code seed} when 2^k exceeds {@code
   * permutations}).
   */
  public static double wilcoxon(double[] a, double[] b, int permutations, long seed) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "paired test needs equal lengths, got " + a.length + " and " + b.length);
    }
    double[] d =
        IntStream.range(0, a.length)
            .mapToDouble(i -> a[i] - b[i])
            .filter(v -> Math.abs(v) > 1e-12)
            .toArray();
    int k = d.length;
    Integer[] order = IntStream.range(0, k).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> Math.abs(d[i])));
    double[] signedRanks = new double[k];
    for (int i = 0; i < k; ) {
      int j = i;
      while (j + 1 < k && Math.abs(Math.abs(d[order[j + 1]]) - Math.abs(d[order[i]])) <= 1e-12) {
        j++;
      }
      double midRank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        signedRanks[order[t]] = Math.signum(d[order[t]]) * midRank;
      }
      i = j + 1;
    }
    return pairedRandomization(signedRanks, new double[k], permutations, seed);
  }

  /** Queries (columns) of two seed-by-query tables, which must agree. */
  private static int queries(double[][] a, double[][] b) {
    if (a.length == 0) {
      throw new IllegalArgumentException("source A has no seeds");
    }
    int n = a[0].length;
    for (double[][] t : new double[][][] {a, b}) {
      for (double[] row : t) {
        if (row.length != n) {
          throw new IllegalArgumentException(
              "every seed of both sources needs the same queries: " + row.length + " against " + n);
        }
      }
    }
    return n;
  }

  private static double[] column(double[][] t, int q) {
    double[] c = new double[t.length];
    for (int s = 0; s < t.length; s++) {
      c[s] = t[s][q];
    }
    return c;
  }

  /**
   * mean(chosen) - mean(rest) for every way to choose {@code a.length} of the pooled values as A's,
   * the observed split first (with one value each: d, then -d).
   */
  private static double[] relabelledDifferences(double[] a, double[] b) {
    double[] pooled = new double[a.length + b.length];
    System.arraycopy(a, 0, pooled, 0, a.length);
    System.arraycopy(b, 0, pooled, a.length, b.length);
    double total = 0;
    for (double v : pooled) {
      total += v;
    }
    List<Double> out = new ArrayList<>();
    int m = pooled.length;
    int k = a.length;
    // Subsets of size k in lexicographic order of index sets: {0..k-1} (the observed split) first.
    int[] idx = IntStream.range(0, k).toArray();
    while (true) {
      double chosen = 0;
      for (int i : idx) {
        chosen += pooled[i];
      }
      out.add(b.length == 0 ? chosen / k : chosen / k - (total - chosen) / (m - k));
      int i = k - 1;
      while (i >= 0 && idx[i] == m - k + i) {
        i--;
      }
      if (i < 0) {
        break;
      }
      idx[i]++;
      for (int j = i + 1; j < k; j++) {
        idx[j] = idx[j - 1] + 1;
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** base^n, or Long.MAX_VALUE when it overflows. */
  private static long exactCount(int base, int n) {
    long c = 1;
    for (int i = 0; i < n; i++) {
      if (c > Long.MAX_VALUE / Math.max(1, base)) {
        return Long.MAX_VALUE;
      }
      c *= base;
    }
    return c;
  }

  /** Advances a mixed-radix counter of digits below {@code base}. */
  private static void next(int[] digit, int base) {
    for (int i = 0; i < digit.length; i++) {
      if (++digit[i] < base) {
        return;
      }
      digit[i] = 0;
    }
  }

  /**
   * Holm's step-down adjusted p-values (Holm 1979), in the input order: sorted ascending, the i-th
   * smallest (from 0) is multiplied by m - i, capped at 1, and made monotone.
   */
  public static double[] holm(double[] pValues) {
    int m = pValues.length;
    Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
    Arrays.sort(
        order, Comparator.comparingDouble((Integer i) -> pValues[i]).thenComparingInt(i -> i));
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
