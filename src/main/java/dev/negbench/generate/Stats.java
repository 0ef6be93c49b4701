package dev.negbench.generate;

import java.util.Arrays;
import java.util.Collection;

/**
 * Mean, median, 90th and 99th percentile of a sample, percentiles interpolated linearly between
 * order statistics (numpy's default, which vLLM's benchmark reports). NaN for an empty sample.
 */
public record Stats(long count, double mean, double median, double p90, double p99) {
  public static Stats of(Collection<Double> values) {
    double[] v =
        values.stream()
            .filter(d -> d != null && !d.isNaN())
            .mapToDouble(Double::doubleValue)
            .toArray();
    if (v.length == 0) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    Arrays.sort(v);
    double sum = 0;
    for (double d : v) {
      sum += d;
    }
    return new Stats(
        v.length, sum / v.length, percentile(v, 50), percentile(v, 90), percentile(v, 99));
  }

  /** Percentile {@code p} of sorted values, linear interpolation. */
  public static double percentile(double[] sorted, double p) {
    double rank = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
  }
}
