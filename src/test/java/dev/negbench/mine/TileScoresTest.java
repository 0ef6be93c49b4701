package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class TileScoresTest {
  private static float[][] random(int n, int dim, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] out = new float[n][dim];
    for (float[] row : out) {
      for (int i = 0; i < dim; i++) {
        row[i] = (float) (random.nextDouble() * 2 - 1);
      }
    }
    return out;
  }

  /**
   * A pair's dot product is bit for bit the score the tile kernel gives it, in a block or at an
   * edge.
   */
  @Test
  void dotIsTheTileKernelsScore() {
    assertTrue(
        TileScores.INSTANCE.describe().startsWith("vector API"),
        "the tests run with jdk.incubator.vector: " + TileScores.INSTANCE.describe());
    for (int dim : new int[] {7, 24, 384}) {
      float[][] queries = random(6, dim, dim);
      float[][] tile = random(7, dim, dim + 1);
      int stride = 7;
      float[] out = new float[6 * stride];
      TileScores.INSTANCE.scores(queries, 0, 6, tile, 7, dim, out, stride);
      for (int q = 0; q < 6; q++) {
        for (int d = 0; d < 7; d++) {
          assertEquals(
              out[q * stride + d],
              TileScores.INSTANCE.dot(queries[q], tile[d]),
              0,
              "dim " + dim + " query " + q + " document " + d);
        }
      }
    }
  }

  /**
   * Lanes are summed in one fixed order (lane i with lane i XOR half, then a quarter, ...), so a
   * score does not depend on whether the JIT has compiled the kernel yet.
   */
  @Test
  void lanesAreSummedInAFixedTree() {
    var species = FloatVector.SPECIES_PREFERRED;
    for (float[] lanes : random(200, species.length(), 9)) {
      float[] t = lanes.clone();
      for (int h = t.length / 2; h >= 1; h /= 2) {
        float[] next = new float[t.length];
        for (int i = 0; i < t.length; i++) {
          next[i] = t[i] + t[i ^ h];
        }
        t = next;
      }
      assertEquals(t[0], VectorTileScores.sum(FloatVector.fromArray(species, lanes, 0)), 0);
    }
  }
}
