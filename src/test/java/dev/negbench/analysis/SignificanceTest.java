package dev.negbench.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SignificanceTest {
  @Test
  void exactTestCountsSignPatternsByHand() {
    // Differences 1, 1, 1: of the 8 sign patterns only +++ and --- reach |sum| 3.
    assertEquals(0.25, Significance.pairedRandomization(new double[] {1, 1, 1}, new double[] {0, 0, 0}, 10_000, 1), 1e-12);
    // Differences 1, 2, -3: sums over the 8 patterns are 0, 6, -2, 4, -4, 2, -6, 0; |s| >= 0 for all.
    assertEquals(1.0, Significance.pairedRandomization(new double[] {1, 2, 0}, new double[] {0, 0, 3}, 10_000, 1), 1e-12);
    // Differences 3, 1: sums 4, 2, -2, -4; observed 4, so 2 of 4.
    assertEquals(0.5, Significance.pairedRandomization(new double[] {3, 1}, new double[] {0, 0}, 10_000, 1), 1e-12);
    // Differences 2, 1, 1: sums 4, 2, 2, 0, 0, -2, -2, -4; |s| >= 4 in 2 of 8.
    assertEquals(0.25, Significance.pairedRandomization(new double[] {0.5, 0.3, 0.2}, new double[] {-1.5, -0.7, -0.8}, 10_000, 7), 1e-12);
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
    java.util.Arrays.fill(a, 0.6);
    java.util.Arrays.fill(b, 0.5);
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
    // 16 differences of 1 and one of 0: 2^17 patterns; exact p = P(|sum of 16 signs| >= 16) = 2/65536.
    // A noisier case: differences 1 for 14 queries; P(|S| >= 14) for 14 fair signs = 2^-13.
    double[] a = new double[14];
    double[] b = new double[14];
    java.util.Arrays.fill(a, 1);
    // 2^14 = 16,384 > 10,000: sampled. Expect about 10,000 * 2^-13 = 1.2 hits.
    double p = Significance.pairedRandomization(a, b, 10_000, 3);
    assertTrue(p < 0.001, "p " + p);
  }

  @Test
  void unequalLengthsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Significance.pairedRandomization(new double[1], new double[2], 10, 1));
  }

  @Test
  void holmAdjustsInStepDownOrder() {
    // Sorted 0.01, 0.03, 0.04 -> 3 x 0.01 = 0.03, 2 x 0.03 = 0.06, max(0.06, 1 x 0.04) = 0.06.
    assertArrayEquals(new double[] {0.03, 0.06, 0.06}, Significance.holm(new double[] {0.01, 0.04, 0.03}), 1e-12);
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
}
