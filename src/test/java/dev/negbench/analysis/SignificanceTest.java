package dev.negbench.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SignificanceTest {
  @Test
  void exactTestCountsSignPatternsByHand() {
    // Differences 1, 1, 1: of the 8 sign patterns only +++ and --- reach |sum| 3.
    assertEquals(
        0.25,
        Significance.pairedRandomization(new double[] {1, 1, 1}, new double[] {0, 0, 0}, 10_000, 1),
        1e-12);
    // Differences 1, 2, -3: sums over the 8 patterns are 0, 6, -2, 4, -4, 2, -6, 0; |s| >= 0 for
    // all.
    assertEquals(
        1.0,
        Significance.pairedRandomization(new double[] {1, 2, 0}, new double[] {0, 0, 3}, 10_000, 1),
        1e-12);
    // Differences 3, 1: sums 4, 2, -2, -4; observed 4, so 2 of 4.
    assertEquals(
        0.5,
        Significance.pairedRandomization(new double[] {3, 1}, new double[] {0, 0}, 10_000, 1),
        1e-12);
    // Differences 2, 1, 1: sums 4, 2, 2, 0, 0, -2, -2, -4; |s| >= 4 in 2 of 8.
    assertEquals(
        0.25,
        Significance.pairedRandomization(
            new double[] {0.5, 0.3, 0.2}, new double[] {-1.5, -0.7, -0.8}, 10_000, 7),
        1e-12);
  }

  @Test
  void identicalSystemsAreNeverSignificant() {
    double[] a = {0.1, 0.5, 0.9, 0.3};
    assertEquals(1.0, Significance.pairedRandomization(a, a.clone(), 10_000, 1), 1e-12);
  }

  @Test
  void sampledTestIsSeededAndNearTheExactValue() {
    // 20 queries, all better by 0.1: exact p = 2 / 2^20. With 10,000 samples almost surely no
    // other pattern reaches the observed sum, so p is 0 or 1e-4 and identical for one seed.
    double[] a = new double[20];
    double[] b = new double[20];
    Arrays.fill(a, 0.6);
    Arrays.fill(b, 0.5);
    double p1 = Significance.pairedRandomization(a, b, Significance.PERMUTATIONS, 42);
    assertEquals(p1, Significance.pairedRandomization(a, b, Significance.PERMUTATIONS, 42));
    assertTrue(p1 <= 2e-4, "p " + p1);
    // Half the queries better, half worse by the same amount: the observed sum is 0, p = 1.
    for (int i = 0; i < 10; i++) {
      b[i] = 0.7;
    }
    assertEquals(1.0, Significance.pairedRandomization(a, b, Significance.PERMUTATIONS, 42), 1e-12);
  }

  @Test
  void sampledTestApproximatesAKnownExactValue() {
    // 16 differences of 1 and one of 0: 2^17 patterns; exact p = P(|sum of 16 signs| >= 16) =
    // 2/65536.
    // A noisier case: differences 1 for 14 queries; P(|S| >= 14) for 14 fair signs = 2^-13.
    double[] a = new double[14];
    double[] b = new double[14];
    Arrays.fill(a, 1);
    // 2^14 = 16,384 > 10,000: sampled. Expect about 10,000 * 2^-13 = 1.2 hits.
    double p = Significance.pairedRandomization(a, b, 10_000, 3);
    assertTrue(p < 0.001, "p " + p);
  }

  @Test
  void unequalLengthsAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Significance.pairedRandomization(new double[1], new double[2], 10, 1));
  }

  @Test
  void holmAdjustsInStepDownOrder() {
    // Sorted 0.01, 0.03, 0.04 -> 3 x 0.01 = 0.03, 2 x 0.03 = 0.06, max(0.06, 1 x 0.04) = 0.06.
    assertArrayEquals(
        new double[] {0.03, 0.06, 0.06}, Significance.holm(new double[] {0.01, 0.04, 0.03}), 1e-12);
    // Capped at 1.
    assertArrayEquals(new double[] {1.0, 1.0}, Significance.holm(new double[] {0.6, 0.9}), 1e-12);
    assertArrayEquals(new double[] {0.02}, Significance.holm(new double[] {0.02}), 1e-12);
  }

  @Test
  void meanAndSampleStandardDeviation() {
    Significance.MeanSd s = Significance.MeanSd.of(2, 4, 4, 4, 5, 5, 7, 9);
    assertEquals(5.0, s.mean(), 1e-12);
    assertEquals(Math.sqrt(32.0 / 7), s.sd(), 1e-12);
    assertEquals(0.0, Significance.MeanSd.of(0.4).sd());
  }

  @Test
  void relabellingOverSeedsCountsByHand() {
    // One query, A's two seeds score 1 and 1, B's 0 and 0. Of the C(4, 2) = 6 ways to call two of
    // the pooled {1, 1, 0, 0} A's, only {1, 1} (+1) and {0, 0} (-1) reach |difference| 1: p = 2/6.
    double[][] a = {{1}, {1}};
    double[][] b = {{0}, {0}};
    assertEquals(1.0 / 3, Significance.relabelling(a, b, 10_000, 1), 1e-12);
    // Two such queries: each query's term is +1 or -1 with probability 1/6 each, 0 otherwise; the
    // mean reaches 1 only when both are +1 or both -1: p = 2 x (1/6)^2 = 1/18 (6^2 = 36
    // enumerated).
    assertEquals(
        1.0 / 18,
        Significance.relabelling(
            new double[][] {{1, 1}, {1, 1}}, new double[][] {{0, 0}, {0, 0}}, 10_000, 1),
        1e-12);
    // A's seeds disagree (1 and 0), B's are 0 and 0: observed 0.5. Of the 6 splits of {1, 0, 0, 0}
    // A holds the 1 in 3 (+0.5) and B in 3 (-0.5): every split reaches 0.5, p = 1, where one seed
    // of A against one of B would have scored 1 against 0.
    assertEquals(
        1.0,
        Significance.relabelling(new double[][] {{1}, {0}}, new double[][] {{0}, {0}}, 10_000, 1),
        1e-12);
  }

  @Test
  void oneSeedRelabellingIsThePairedTest() {
    double[] a = new double[30];
    double[] b = new double[30];
    for (int i = 0; i < 30; i++) {
      a[i] = (i * 37 % 11) / 10.0;
      b[i] = (i * 13 % 7) / 10.0;
    }
    assertEquals(
        Significance.pairedRandomization(a, b, 10_000, 5),
        Significance.relabelling(new double[][] {a}, new double[][] {b}, 10_000, 5),
        0.0);
  }

  @Test
  void bootstrapIntervalIsTheExactDistributionOnATinyCase() {
    // Differences 0, 0, 3 over three queries: the 27 resamples of three queries have mean k, k the
    // number of times the third query is drawn, k ~ Binomial(3, 1/3): 8/27 at 0, 12/27 at 1, 6/27
    // at 2, 1/27 at 3. The 2.5% point is 0; the share at or below 2 is 26/27 = 0.963 < 0.975, so
    // the
    // 97.5% point is 3.
    Significance.Interval ci =
        Significance.bootstrap(
            new double[][] {{1, 2, 5}}, new double[][] {{1, 2, 2}}, 10_000, 0.95, 1);
    assertEquals(0.0, ci.low(), 1e-12);
    assertEquals(3.0, ci.high(), 1e-12);
    // An 80% interval: 10% point 0 (8/27 = 0.30 >= 0.1), 90% point 2 (26/27 >= 0.9 > 20/27).
    Significance.Interval eighty =
        Significance.bootstrap(
            new double[][] {{1, 2, 5}}, new double[][] {{1, 2, 2}}, 10_000, 0.80, 1);
    assertEquals(0.0, eighty.low(), 1e-12);
    assertEquals(2.0, eighty.high(), 1e-12);
  }

  @Test
  void sampledBootstrapWithSeedsCoversTheMeanAndWidensWithSeedSpread() {
    double[][] a = new double[2][50];
    double[][] b = new double[2][50];
    double[][] noisy = new double[2][50];
    for (int q = 0; q < 50; q++) {
      a[0][q] = a[1][q] = 0.5 + 0.01 * (q % 5);
      b[0][q] = b[1][q] = 0.4 + 0.01 * (q % 5);
      noisy[0][q] = 0.3 + 0.01 * (q % 5);
      noisy[1][q] = 0.7 + 0.01 * (q % 5);
    }
    Significance.Interval tight = Significance.bootstrap(a, b, 10_000, 0.95, 3);
    assertEquals(
        0.1, tight.low(), 1e-9, "every resample of a constant difference is that difference");
    assertEquals(0.1, tight.high(), 1e-9);
    // Seeds 0.4 apart: resampling seeds gives means of 0.3, 0.5 or 0.7 (+ the query term), so the
    // interval of noisy - b spans about -0.1 to 0.3.
    Significance.Interval wide = Significance.bootstrap(noisy, b, 10_000, 0.95, 3);
    assertEquals(-0.1, wide.low(), 0.02);
    assertEquals(0.3, wide.high(), 0.02);
  }

  @Test
  void wilcoxonSignedRankByHand() {
    // Differences 1, 2, 3, 4 (all positive): signed ranks 1..4, rank sum 10 reached by 2 of 16 sign
    // patterns (all + or all -): p = 0.125.
    assertEquals(
        0.125,
        Significance.wilcoxon(new double[] {2, 3, 4, 5}, new double[] {1, 1, 1, 1}, 10_000, 1),
        1e-12);
    // A zero difference is dropped: differences 0, 1, 2 -> ranks 1, 2: p = 2/4.
    assertEquals(
        0.5,
        Significance.wilcoxon(new double[] {1, 2, 3}, new double[] {1, 1, 1}, 10_000, 1),
        1e-12);
    // Ties share the mid-rank: differences -1, 1, 5 -> signed ranks -1.5, 1.5, 3, observed sum 3;
    // the
    // 8 sign patterns sum to 6, 0, 3, -3, 3, -3, 0, -6, so |sum| >= 3 in 6 of 8.
    assertEquals(
        0.75,
        Significance.wilcoxon(new double[] {0, 2, 6}, new double[] {1, 1, 1}, 10_000, 1),
        1e-12);
  }
}
