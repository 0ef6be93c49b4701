package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.Progress;
import dev.negbench.model.OnnxEncoder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalityOrderTest {
  private static final int CLUSTERS = 12;
  private static final int PER_CLUSTER = 60;
  private static final int DIM = 32;

  /** {@code CLUSTERS} tight, well-apart groups of points, the rows in random order. */
  private static DenseEmbeddings shuffledClusters(int[] clusterOfRow) {
    Random r = new Random(3);
    float[][] centres = new float[CLUSTERS][DIM];
    for (float[] c : centres) {
      for (int d = 0; d < DIM; d++) {
        c[d] = (float) r.nextGaussian();
      }
      OnnxEncoder.l2Normalize(c);
    }
    int n = CLUSTERS * PER_CLUSTER;
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
    }
    float[][] vectors = new float[n][DIM];
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      int cluster = rows[i] / PER_CLUSTER;
      clusterOfRow[i] = cluster;
      for (int d = 0; d < DIM; d++) {
        vectors[i][d] = centres[cluster][d] + 0.05f * (float) r.nextGaussian();
      }
      OnnxEncoder.l2Normalize(vectors[i]);
      ids[i] = "d" + i;
    }
    return new DenseEmbeddings(ids, vectors);
  }

  @Test
  void everyRowOnceAndTheSameOrderOnAnyThreadCount() {
    int[] cluster = new int[CLUSTERS * PER_CLUSTER];
    DenseEmbeddings corpus = shuffledClusters(cluster);
    int[] order = LocalityOrder.of(corpus, 1, Progress.Factory.NONE);
    boolean[] seen = new boolean[corpus.size()];
    for (int row : order) {
      assertTrue(!seen[row], "row " + row + " twice");
      seen[row] = true;
    }
    assertEquals(corpus.size(), order.length);
    assertArrayEquals(
        order, LocalityOrder.of(corpus, 3, Progress.Factory.NONE), "1 thread against 3");
  }

  /**
   * The rows of one true cluster come out together: the order changes cluster far less often than
   * the shuffled corpus order does (every step, nearly), at most a few times per true cluster (the
   * k-means clusters, about sqrt(n) = 27 here, split the 12 true ones).
   */
  @Test
  void nearVectorsGetNearPlaces() {
    int[] cluster = new int[CLUSTERS * PER_CLUSTER];
    DenseEmbeddings corpus = shuffledClusters(cluster);
    int[] order = LocalityOrder.of(corpus, 2, Progress.Factory.NONE);
    int changesBefore = 0;
    int changesAfter = 0;
    for (int i = 1; i < order.length; i++) {
      changesBefore += cluster[i] != cluster[i - 1] ? 1 : 0;
      changesAfter += cluster[order[i]] != cluster[order[i - 1]] ? 1 : 0;
    }
    assertTrue(changesBefore > order.length / 2, "the corpus is shuffled: " + changesBefore);
    assertTrue(changesAfter <= 3 * CLUSTERS, "cluster changes along the order: " + changesAfter);
  }
}
