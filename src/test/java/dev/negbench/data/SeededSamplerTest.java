package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeededSamplerTest {
  @Test
  void zipfCdfRisesToOneWithTheHarmonicWeights() {
    double[] cdf = SeededSampler.zipfCdf(4, 1.0);
    double h = 1 + 1 / 2.0 + 1 / 3.0 + 1 / 4.0;
    assertArrayEquals(
        new double[] {1 / h, 1.5 / h, (1.5 + 1 / 3.0) / h, 1.0}, cdf, 1e-12, "1, 1/2, 1/3, 1/4");
  }

  @Test
  void theSameSeedDrawsTheSameAndTheFirstRankMost() {
    SeededSampler a = new SeededSampler(3);
    SeededSampler b = new SeededSampler(3);
    double[] cdf = SeededSampler.zipfCdf(10, 1.0);
    int[] counts = new int[10];
    for (int i = 0; i < 10_000; i++) {
      int r = a.sample(cdf);
      assertEquals(r, b.sample(cdf));
      counts[r]++;
    }
    for (int r = 1; r < 10; r++) {
      assertTrue(counts[0] > counts[r], "rank 1 is the most frequent: " + counts[r]);
    }
  }

  @Test
  void samplesWithoutReplacementAndPicksDistinctElements() {
    SeededSampler s = new SeededSampler(1);
    int[] picks = s.sampleWithoutReplacement(10, 10);
    Set<Integer> seen = new HashSet<>();
    for (int p : picks) {
      assertTrue(p >= 0 && p < 10 && seen.add(p), "distinct and in range: " + p);
    }
    assertEquals(10, seen.size());
    String[] pool = {"a", "b", "c"};
    assertEquals(2, Set.of(s.distinct(pool, 2)).size());
    assertEquals(Set.of(pool), Set.of(s.distinct(pool, 5)), "all of a smaller pool");
  }

  @Test
  void shufflesIntoAPermutation() {
    List<String> list = new ArrayList<>(List.of("a", "b", "c", "d", "e", "f"));
    new SeededSampler(9).shuffle(list);
    assertEquals(Set.of("a", "b", "c", "d", "e", "f"), new HashSet<>(list));
    assertEquals(6, list.size());
  }
}
