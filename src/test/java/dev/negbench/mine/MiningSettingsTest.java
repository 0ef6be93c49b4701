package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MiningSettingsTest {
  /**
   * The picks as first written (a seeded partial shuffle, then a sort): random sampling must keep
   * choosing the same negatives, or earlier runs' negatives files stop being reproducible.
   */
  private static int[] shuffledThenSorted(int numNegatives, long seed, int count, String queryId) {
    int n = Math.min(numNegatives, count);
    if (count <= numNegatives) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] positions = new int[count];
    Arrays.setAll(positions, i -> i);
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ queryId.hashCode());
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(count - i);
      int t = positions[i];
      positions[i] = positions[j];
      positions[j] = t;
    }
    int[] picked = Arrays.copyOf(positions, n);
    Arrays.sort(picked);
    return picked;
  }

  @Test
  void randomPicksAreTheSeededShuffleInAscendingOrder() {
    for (int numNegatives : new int[] {1, 3, 10, 64, 65, 200}) {
      for (int count : new int[] {0, 1, 9, 10, 11, 63, 64, 65, 99, 128, 129, 1000}) {
        for (long seed : new long[] {0, 42}) {
          for (String query : new String[] {"q1", "PLAIN-1008", ""}) {
            var settings =
                new MiningSettings(
                    numNegatives, 1, Math.max(1, count), MiningSettings.Sampling.RANDOM, seed);
            assertArrayEquals(
                shuffledThenSorted(numNegatives, seed, count, query),
                settings.pickIndices(count, query),
                numNegatives + " of " + count + ", seed " + seed + ", query '" + query + "'");
          }
        }
      }
    }
  }

  @Test
  void topPicksAreTheFirstN() {
    var settings = new MiningSettings(4, 1, 100, MiningSettings.Sampling.TOP, 7);
    assertArrayEquals(new int[] {0, 1, 2, 3}, settings.pickIndices(50, "q"));
    assertArrayEquals(new int[] {0, 1}, settings.pickIndices(2, "q"));
  }
}
