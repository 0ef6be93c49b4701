package dev.negbench.bench;

import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.EmbeddingFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Unit vectors that look like sentence embeddings more than uniform random ones do: drawn from a
 * mixture of {@value #CLUSTERS} clusters, each a random unit centre plus Gaussian noise, then
 * normalised, so that neighbourhoods are dense and uneven (uniform vectors on the sphere are all
 * nearly orthogonal, which flatters an exact scan and starves an HNSW graph of structure). Written
 * once per size under the benchmarks' temporary folder as an embedding folder ({@link
 * EmbeddingFile}) and memory-mapped, as the CLI reads a corpus.
 */
final class ClusteredVectors {
  static final int CLUSTERS = 1000;

  /** Noise per component against the centre's 1/sqrt(dim): about cosine 0.5 to the centre. */
  private static final double NOISE = 1.0;

  private ClusteredVectors() {}

  /** {@code n} vectors of {@code dim}, seeded: the same seed gives the same vectors and centres. */
  static final class Generator {
    private final int dim;
    private final float[][] centres;
    private final SplittableRandom random;

    Generator(int dim, long seed) {
      this(dim, seed, seed * 31 + 7);
    }

    /** Centres from {@code seed}, points from {@code streamSeed}. */
    Generator(int dim, long seed, long streamSeed) {
      this.dim = dim;
      SplittableRandom centresRandom = new SplittableRandom(seed);
      centres = new float[CLUSTERS][];
      for (int c = 0; c < CLUSTERS; c++) {
        centres[c] = normalise(gaussian(centresRandom, dim, 1.0));
      }
      random = new SplittableRandom(streamSeed);
    }

    float[] next() {
      float[] centre = centres[random.nextInt(CLUSTERS)];
      float[] v = gaussian(random, dim, NOISE / Math.sqrt(dim));
      for (int i = 0; i < dim; i++) {
        v[i] += centre[i];
      }
      return normalise(v);
    }
  }

  /** The corpus of {@code docs} vectors (ids d0, d1, ...), written once and mapped. */
  static DenseEmbeddings corpus(int docs, int dim, long seed) {
    Path dir = SyntheticFixture.root().resolve("clustered-" + docs + "x" + dim + "-" + seed);
    if (!Files.isRegularFile(dir.resolve(EmbeddingFile.DIM))) {
      Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
      try {
        Files.createDirectories(tmp);
        Generator g = new Generator(dim, seed);
        List<String> ids = new ArrayList<>(docs);
        try (EmbeddingFile file = EmbeddingFile.create(tmp)) {
          float[][] chunk = new float[Math.min(docs, 8192)][];
          int filled = 0;
          for (int d = 0; d < docs; d++) {
            ids.add("d" + d);
            chunk[filled++] = g.next();
            if (filled == chunk.length || d == docs - 1) {
              file.append(filled == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, filled));
              filled = 0;
            }
          }
          file.finish(ids);
        }
        Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + dir, e);
      }
    }
    return EmbeddingFile.read(dir);
  }

  /** {@code n} query vectors from the corpus's clusters: new points of the same mixture. */
  static float[][] queries(int n, int dim, long seed) {
    Generator g = new Generator(dim, seed, seed ^ 0x5DEECE66DL);
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
      v[i] = (float) (sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
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
