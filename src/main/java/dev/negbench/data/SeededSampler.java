package dev.negbench.data;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The one seeded random source of a synthetic dataset, with the samplers its parts draw through:
 * Zipfian ranks, distinct picks, shuffles. Every draw of the dataset goes through one instance, so
 * the order of the calls fixes the bytes written.
 */
final class SeededSampler {
  private final SplittableRandom random;

  SeededSampler(long seed) {
    this.random = new SplittableRandom(seed);
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  double nextDouble() {
    return random.nextDouble();
  }

  boolean nextBoolean() {
    return random.nextBoolean();
  }

  /** The cumulative distribution of ranks 1..n with weights 1 / rank^exponent (Zipf's law). */
  static double[] zipfCdf(int n, double exponent) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, exponent);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  /** An index drawn from the cumulative distribution {@code cdf}. */
  int sample(double[] cdf) {
    int i = Arrays.binarySearch(cdf, random.nextDouble());
    return i >= 0 ? i : Math.min(-i - 1, cdf.length - 1);
  }

  /** {@code n} distinct elements of {@code pool} (all of it when smaller), in draw order. */
  String[] distinct(String[] pool, int n) {
    int[] picks = sampleWithoutReplacement(pool.length, Math.min(n, pool.length));
    String[] out = new String[picks.length];
    for (int i = 0; i < picks.length; i++) {
      out[i] = pool[picks[i]];
    }
    return out;
  }

  /** Floyd's algorithm, then sorted by draw order for determinism. */
  int[] sampleWithoutReplacement(int n, int k) {
    Set<Integer> chosen = new LinkedHashSet<>();
    for (int j = n - k; j < n; j++) {
      int t = random.nextInt(j + 1);
      if (!chosen.add(t)) {
        chosen.add(j);
      }
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Fisher-Yates, in place. */
  void shuffle(List<String> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
