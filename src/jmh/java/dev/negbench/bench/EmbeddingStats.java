package dev.negbench.bench;

import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.EmbeddingFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.lucene.util.VectorUtil;

/**
 * The statistics {@link ClusteredVectors.Profile#CALIBRATED} was fitted to, for any embedding
 * folder (an embedding cache of {@code dense-search}, or an {@code embed} stage's folder) or for
 * the synthetic vectors: participation ratio of the covariance (its effective dimension), the
 * exponent of its eigenvalues' decay (least squares of log eigenvalue on log rank, ranks 2-200),
 * the norm of the mean vector, the mean cosine of the 1st, 10th and 100th nearest neighbours and
 * the median cosine, and the local intrinsic dimension at 100 neighbours (Levina and Bickel's
 * maximum likelihood estimate, median over the sampled points). Vectors are normalised first;
 * neighbours are those of up to 500 sampled points among all the vectors.
 *
 * <pre>java -cp ... dev.negbench.bench.EmbeddingStats FOLDER | isotropic:N | calibrated:N</pre>
 */
public final class EmbeddingStats {
  private static final int SAMPLED = 500;
  private static final int K = 100;

  private EmbeddingStats() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: EmbeddingStats FOLDER | isotropic:N | calibrated:N");
      System.exit(2);
    }
    float[][] x;
    String[] synthetic = args[0].split(":");
    if (synthetic.length == 2) {
      int n = Integer.parseInt(synthetic[1]);
      DenseEmbeddings corpus =
          ClusteredVectors.corpus(
              n, DenseSearchBenchmark.DIM, 7, ClusteredVectors.Profile.parse(synthetic[0]));
      x = rows(corpus);
    } else {
      x = rows(EmbeddingFile.read(Path.of(args[0])));
    }
    System.out.println(args[0] + ": " + describe(x));
  }

  private static float[][] rows(DenseEmbeddings e) {
    float[][] x = new float[e.size()][e.dim()];
    for (int r = 0; r < x.length; r++) {
      e.copyRow(r, x[r]);
    }
    return x;
  }

  static String describe(float[][] x) {
    int n = x.length;
    int d = x[0].length;
    double[] mean = new double[d];
    for (float[] v : x) {
      double norm = 0;
      for (float f : v) {
        norm += f * f;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < d; i++) {
        v[i] /= (float) norm;
        mean[i] += v[i] / n;
      }
    }
    double[][] cov = new double[d][d];
    double[] c = new double[d];
    for (float[] v : x) {
      for (int i = 0; i < d; i++) {
        c[i] = v[i] - mean[i];
      }
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          cov[i][j] += c[i] * c[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        cov[i][j] /= n - 1;
        cov[j][i] = cov[i][j];
      }
    }
    double[] eigen = eigenvalues(cov);
    double sum = 0;
    double squares = 0;
    for (double e : eigen) {
      sum += e;
      squares += e * e;
    }
    double participation = sum * sum / squares;
    // least squares slope of log(eigenvalue) on log(rank), ranks 2 to 200
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 0;
    for (int r = 2; r <= Math.min(200, d); r++) {
      double lx = Math.log(r);
      double ly = Math.log(Math.max(eigen[r - 1], 1e-30));
      sx += lx;
      sy += ly;
      sxx += lx * lx;
      sxy += lx * ly;
      m++;
    }
    double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
    double meanNorm = Math.sqrt(Arrays.stream(mean).map(v -> v * v).sum());

    SplittableRandom random = new SplittableRandom(0);
    int sampled = Math.min(SAMPLED, n);
    double top1 = 0, top10 = 0, top100 = 0;
    double[] medians = new double[sampled];
    double[] lids = new double[sampled];
    float[] sims = new float[n];
    int[] order = random.ints(0, n).distinct().limit(sampled).toArray();
    for (int s = 0; s < sampled; s++) {
      int q = order[s];
      for (int r = 0; r < n; r++) {
        sims[r] = r == q ? Float.NEGATIVE_INFINITY : VectorUtil.dotProduct(x[q], x[r]);
      }
      float[] sorted = sims.clone();
      Arrays.sort(sorted);
      // descending: sorted[n - 1] is the nearest; the query itself (-inf) sorts first
      top1 += sorted[n - 1];
      top10 += sorted[n - 10];
      top100 += sorted[n - K];
      medians[s] = sorted[n / 2];
      double far = distance(sorted[n - K - 1]);
      double logs = 0;
      for (int k = 1; k <= K; k++) {
        logs += Math.log(distance(sorted[n - k]) / far);
      }
      lids[s] = -K / logs;
    }
    Arrays.sort(medians);
    Arrays.sort(lids);
    return String.format(
        "n %d, dim %d: participation ratio %.1f, eigenvalue exponent %.2f, mean norm %.3f, nearest-neighbour cosine %.3f (1st) %.3f (10th) %.3f (100th), median cosine %.3f, local intrinsic dimension (100) %.1f",
        n,
        d,
        participation,
        slope,
        meanNorm,
        top1 / sampled,
        top10 / sampled,
        top100 / sampled,
        medians[sampled / 2],
        lids[sampled / 2]);
  }

  private static double distance(float cosine) {
    return Math.sqrt(Math.max(2 - 2 * (double) cosine, 1e-12));
  }

  /**
   * Eigenvalues of a symmetric matrix, largest first (cyclic Jacobi rotations; {@code a} is
   * overwritten).
   */
  static double[] eigenvalues(double[][] a) {
    int d = a.length;
    for (int sweep = 0; sweep < 50; sweep++) {
      double off = 0;
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-22) {
        break;
      }
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double cs = 1 / Math.sqrt(t * t + 1);
          double sn = t * cs;
          for (int k = 0; k < d; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = cs * akp - sn * akq;
            a[k][q] = sn * akp + cs * akq;
          }
          for (int k = 0; k < d; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = cs * apk - sn * aqk;
            a[q][k] = sn * apk + cs * aqk;
          }
        }
      }
    }
    double[] out = new double[d];
    for (int i = 0; i < d; i++) {
      out[i] = a[i][i];
    }
    Arrays.sort(out);
    for (int i = 0; i < d / 2; i++) {
      double t = out[i];
      out[i] = out[d - 1 - i];
      out[d - 1 - i] = t;
    }
    return out;
  }
}
