package dev.negbench.bench;

import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.EmbeddingFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.util.VectorUtil;

/**
 * Unit vectors that look like sentence embeddings more than uniform random ones do: drawn from a
 * mixture of {@value #CLUSTERS} clusters, each a centre plus Gaussian noise, then normalised, so
 * that neighbourhoods are dense and uneven (uniform vectors on the sphere are all nearly
 * orthogonal, which flatters an exact scan and starves an HNSW graph of structure). Written once
 * per size and {@link Profile} under the benchmarks' temporary folder as an embedding folder
 * ({@link EmbeddingFile}) and memory-mapped, as the CLI reads a corpus.
 */
final class ClusteredVectors {
  static final int CLUSTERS = 1000;

  /**
   * How the clusters are shaped. Measured with {@link EmbeddingStats} against the corpus embeddings
   * of SciFact (5,183 documents, all-MiniLM-L6-v2 and models fine-tuned from it): participation
   * ratio (effective dimension) 48-62, covariance eigenvalues falling as i^-0.87, mean vector norm
   * 0.40-0.53, local intrinsic dimension at 100 neighbours (maximum likelihood) 20-22.
   */
  enum Profile {
    /**
     * Random unit centres, noise of the same size in every dimension (cosine about 0.5 to the
     * centre): effective dimension about 340 and local intrinsic dimension about 41 at 200,000
     * vectors, twice the real embeddings', so a graph search needs more of the graph for the same
     * recall. The vectors of the committed figures before the calibrated profile existed.
     */
    ISOTROPIC,
    /**
     * Centres and noise drawn with the real embeddings' spectrum (variance of the i-th principal
     * direction proportional to i^-0.87, in a random rotation) plus a shared mean direction, at the
     * sizes that match SciFact at its own size (5,183 vectors: effective dimension 52, mean norm
     * 0.42, nearest-neighbour cosine 0.71, median cosine 0.28, local intrinsic dimension 27, still
     * above the real 20).
     */
    CALIBRATED;

    static Profile parse(String name) {
      return switch (name) {
        case "isotropic" -> ISOTROPIC;
        case "calibrated" -> CALIBRATED;
        default ->
            throw new IllegalArgumentException(
                "vectors must be isotropic or calibrated, was '" + name + "'");
      };
    }

    String folderName() {
      return this == ISOTROPIC ? "clustered" : "calibrated";
    }
  }

  /** Noise per component against the centre's 1/sqrt(dim): about cosine 0.5 to the centre. */
  private static final double NOISE = 1.0;

  /** {@link Profile#CALIBRATED}: eigenvalue decay exponent, as measured. */
  private static final double SPECTRUM_EXPONENT = 0.87;

  /**
   * {@link Profile#CALIBRATED}: length of the shared mean direction, centres' and noise's scale.
   */
  private static final double MEAN = 0.6;

  private static final double CENTRE_SCALE = 1.0;
  private static final double NOISE_SCALE = 0.85;

  private ClusteredVectors() {}

  /** {@code n} vectors of {@code dim}, seeded: the same seed gives the same vectors and centres. */
  static final class Generator {
    private final int dim;
    private final Profile profile;

    /** Centres as drawn (calibrated: rotated, the mean direction added). */
    private final float[][] centres;

    /** Calibrated: the rotation's rows, and each spectral direction's noise scale. */
    private final float[][] rotation;

    private final double[] scale;
    private final SplittableRandom random;

    Generator(int dim, long seed) {
      this(dim, seed, seed * 31 + 7, Profile.ISOTROPIC);
    }

    /** Centres from {@code seed}, points from {@code streamSeed}. */
    Generator(int dim, long seed, long streamSeed, Profile profile) {
      this.dim = dim;
      this.profile = profile;
      SplittableRandom centresRandom = new SplittableRandom(seed);
      centres = new float[CLUSTERS][];
      if (profile == Profile.ISOTROPIC) {
        rotation = null;
        scale = null;
        for (int c = 0; c < CLUSTERS; c++) {
          centres[c] = normalise(gaussian(centresRandom, dim, 1.0));
        }
      } else {
        // Standard deviation of spectral direction i (from 1) proportional to i^(-exponent / 2),
        // summing to unit variance.
        scale = new double[dim];
        double total = 0;
        for (int i = 0; i < dim; i++) {
          scale[i] = Math.pow(i + 1, -SPECTRUM_EXPONENT / 2);
          total += scale[i] * scale[i];
        }
        for (int i = 0; i < dim; i++) {
          scale[i] /= Math.sqrt(total);
        }
        rotation = randomRotation(centresRandom, dim);
        float[] mean = normalise(gaussian(centresRandom, dim, 1.0));
        for (int c = 0; c < CLUSTERS; c++) {
          float[] centre = rotate(spectral(centresRandom, CENTRE_SCALE));
          for (int i = 0; i < dim; i++) {
            centre[i] += (float) (MEAN * mean[i]);
          }
          centres[c] = centre;
        }
      }
      random = new SplittableRandom(streamSeed);
    }

    float[] next() {
      float[] centre = centres[random.nextInt(CLUSTERS)];
      float[] v =
          profile == Profile.ISOTROPIC
              ? gaussian(random, dim, NOISE / Math.sqrt(dim))
              : rotate(spectral(random, NOISE_SCALE));
      for (int i = 0; i < dim; i++) {
        v[i] += centre[i];
      }
      return normalise(v);
    }

    /**
     * A Gaussian draw in spectral coordinates: direction i has standard deviation sigma x scale[i].
     */
    private float[] spectral(SplittableRandom r, double sigma) {
      float[] z = gaussian(r, dim, 1.0);
      for (int i = 0; i < dim; i++) {
        z[i] *= (float) (sigma * scale[i]);
      }
      return z;
    }

    private float[] rotate(float[] x) {
      float[] y = new float[dim];
      for (int i = 0; i < dim; i++) {
        y[i] = VectorUtil.dotProduct(rotation[i], x);
      }
      return y;
    }
  }

  /**
   * A random orthogonal matrix: Gaussian rows, orthonormalised (Gram-Schmidt, twice for accuracy).
   */
  private static float[][] randomRotation(SplittableRandom random, int dim) {
    double[][] rows = new double[dim][];
    for (int i = 0; i < dim; i++) {
      double[] v = new double[dim];
      float[] g = gaussian(random, dim, 1.0);
      for (int j = 0; j < dim; j++) {
        v[j] = g[j];
      }
      for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < i; k++) {
          double dot = 0;
          for (int j = 0; j < dim; j++) {
            dot += v[j] * rows[k][j];
          }
          for (int j = 0; j < dim; j++) {
            v[j] -= dot * rows[k][j];
          }
        }
      }
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < dim; j++) {
        v[j] /= norm;
      }
      rows[i] = v;
    }
    float[][] out = new float[dim][dim];
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < dim; j++) {
        out[i][j] = (float) rows[i][j];
      }
    }
    return out;
  }

  /** The isotropic corpus ({@link #corpus(int, int, long, Profile)}). */
  static DenseEmbeddings corpus(int docs, int dim, long seed) {
    return corpus(docs, dim, seed, Profile.ISOTROPIC);
  }

  /** The corpus of {@code docs} vectors (ids d0, d1, ...), written once and mapped. */
  static DenseEmbeddings corpus(int docs, int dim, long seed, Profile profile) {
    Path dir =
        SyntheticFixture.root().resolve(profile.folderName() + "-" + docs + "x" + dim + "-" + seed);
    if (!Files.isRegularFile(dir.resolve(EmbeddingFile.DIM))) {
      Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
      try {
        Files.createDirectories(tmp);
        Generator g = new Generator(dim, seed, seed * 31 + 7, profile);
        List<String> ids = new ArrayList<>(docs);
        try (EmbeddingFile file = EmbeddingFile.create(tmp)) {
          float[][] chunk = new float[Math.min(docs, 8192)][];
          int filled = 0;
          for (int d = 0; d < docs; d++) {
            ids.add("d" + d);
            chunk[filled++] = g.next();
            if (filled == chunk.length || d == docs - 1) {
              file.append(filled == chunk.length ? chunk : Arrays.copyOf(chunk, filled));
              filled = 0;
            }
          }
          file.finish(ids);
        }
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + dir, e);
      }
    }
    return EmbeddingFile.read(dir);
  }

  /** {@code n} query vectors from the corpus's clusters: new points of the same mixture. */
  static float[][] queries(int n, int dim, long seed, Profile profile) {
    Generator g = new Generator(dim, seed, seed ^ 0x5DEECE66DL, profile);
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = g.next();
    }
    return out;
  }

  private static float[] gaussian(SplittableRandom random, int dim, double sigma) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      // Box-Muller
      double u = 1 - random.nextDouble();
      v[i] =
          (float)
              (sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
    }
    return v;
  }

  private static float[] normalise(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    float norm = (float) Math.sqrt(sum);
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
    return v;
  }
}
