package dev.negbench.mine;

import dev.negbench.io.Progress;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.util.VectorUtil;

/**
 * An order of the corpus's rows that puts near vectors near each other, for the HNSW index's
 * document numbers: a graph search walks from a vector to its neighbours, and when those lie in
 * nearby pages of the index's vector file it reads fewer pages and fewer cache lines at random.
 * Lucene's main branch reorders by recursive graph bisection ({@code BpVectorReorderer}, not in a
 * 10.x release); this is its cheaper cousin: spherical k-means with about sqrt(n) clusters on a
 * sample, every row assigned to its nearest centroid by the exact blocked search, clusters laid out
 * along a greedy nearest-centroid path, rows in corpus order within a cluster.
 *
 * <p>The order changes where vectors lie, never what a search returns for them: hits are rescored
 * exactly and carry their corpus row. It is a pure function of the embeddings (fixed seed, ties by
 * row), whatever the thread count.
 */
final class LocalityOrder {
  /** Lloyd iterations on the sample. */
  private static final int ITERATIONS = 5;

  /** Sampled rows per cluster for the centroids. */
  private static final int SAMPLE_PER_CLUSTER = 64;

  /** Most clusters: a million rows get 1,000. */
  private static final int MAX_CLUSTERS = 4096;

  /** Rows copied from the mapping and assigned at a time. */
  private static final int BLOCK = 8192;

  private static final long SEED = 0x5EED_0DE5L;

  private LocalityOrder() {}

  /** How many clusters {@code n} rows get. */
  static int clusters(int n) {
    return (int) Math.max(1, Math.min(MAX_CLUSTERS, Math.round(Math.sqrt(n))));
  }

  /**
   * {@code order[d]} is the corpus row that document {@code d} holds: a permutation of the rows.
   */
  static int[] of(DenseEmbeddings corpus, int threads, Progress.Factory progress) {
    int n = corpus.size();
    int k = clusters(n);
    float[][] centroids = centroids(corpus, k, threads);
    DenseSearcher nearestCentroid = searcherOf(centroids);
    int[] label = new int[n];
    try (Progress bar = progress.start("HNSW document order (k-means, " + k + " clusters)", n)) {
      for (int from = 0; from < n; from += BLOCK) {
        float[][] rows = new float[Math.min(BLOCK, n - from)][];
        for (int i = 0; i < rows.length; i++) {
          rows[i] = corpus.vector(from + i);
        }
        int[] nearest = nearest(nearestCentroid, rows, threads);
        System.arraycopy(nearest, 0, label, from, nearest.length);
        bar.advance(rows.length);
      }
    }
    // Counting sort by the cluster's place on the path, stable: rows ascend within a cluster.
    int[] place = new int[k];
    int[] path = path(centroids);
    for (int p = 0; p < k; p++) {
      place[path[p]] = p;
    }
    int[] start = new int[k + 1];
    for (int row = 0; row < n; row++) {
      start[place[label[row]] + 1]++;
    }
    for (int p = 0; p < k; p++) {
      start[p + 1] += start[p];
    }
    int[] order = new int[n];
    for (int row = 0; row < n; row++) {
      order[start[place[label[row]]]++] = row;
    }
    return order;
  }

  /** Spherical k-means on a sample: each centroid the normalised mean of its rows. */
  private static float[][] centroids(DenseEmbeddings corpus, int k, int threads) {
    int n = corpus.size();
    int dim = corpus.dim();
    SplittableRandom random = new SplittableRandom(SEED);
    int size = (int) Math.min(n, (long) k * SAMPLE_PER_CLUSTER);
    // The first `size` places of a partial Fisher-Yates shuffle: a sample without repeats.
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(n - i);
      int t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
    }
    float[][] sample = new float[size][];
    for (int i = 0; i < size; i++) {
      sample[i] = corpus.vector(rows[i]);
    }
    float[][] centroids = new float[k][];
    for (int c = 0; c < k; c++) {
      centroids[c] = sample[c].clone();
    }
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      int[] nearest = nearest(searcherOf(centroids), sample, threads);
      double[][] sums = new double[k][dim];
      int[] counts = new int[k];
      for (int i = 0; i < size; i++) {
        counts[nearest[i]]++;
        double[] sum = sums[nearest[i]];
        for (int j = 0; j < dim; j++) {
          sum[j] += sample[i][j];
        }
      }
      for (int c = 0; c < k; c++) {
        double norm = 0;
        for (double x : sums[c]) {
          norm += x * x;
        }
        if (counts[c] == 0 || norm == 0) {
          centroids[c] = sample[random.nextInt(size)].clone(); // an empty cluster starts again
          continue;
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < dim; j++) {
          centroids[c][j] = (float) (sums[c][j] / norm);
        }
      }
    }
    return centroids;
  }

  /**
   * An exact searcher over the centroids, as documents c0, c1, ... (a copy: later changes to them
   * do not show).
   */
  private static DenseSearcher searcherOf(float[][] centroids) {
    String[] ids = new String[centroids.length];
    Arrays.setAll(ids, c -> "c" + c);
    return new DenseSearcher(new DenseEmbeddings(ids, centroids));
  }

  /** The nearest centroid (highest dot product, ties to the lower index) of each row. */
  private static int[] nearest(DenseSearcher centroids, float[][] rows, int threads) {
    int[] none = new int[rows.length];
    Arrays.fill(none, -1);
    List<List<DenseSearcher.Hit>> hits = centroids.exact(rows, 1, none, threads, Progress.NONE);
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = hits.get(i).get(0).row();
    }
    return out;
  }

  /**
   * The clusters in path order: from cluster 0, always on to the most similar one not yet taken.
   */
  private static int[] path(float[][] centroids) {
    int k = centroids.length;
    int[] path = new int[k];
    boolean[] taken = new boolean[k];
    int at = 0;
    taken[0] = true;
    for (int p = 1; p < k; p++) {
      int best = -1;
      float bestScore = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        if (!taken[c]) {
          float s = VectorUtil.dotProduct(centroids[at], centroids[c]);
          if (best < 0 || s > bestScore) {
            best = c;
            bestScore = s;
          }
        }
      }
      path[p] = best;
      taken[best] = true;
      at = best;
    }
    return path;
  }
}
