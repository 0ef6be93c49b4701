package dev.negbench.mine;

import org.apache.lucene.util.VectorUtil;

/**
 * Inner products of a block of queries with a tile of documents, {@code out[q * stride + d] =
 * queries[q0 + q] . tile[d]}: the arithmetic of the exact dense scan. With the JDK's Vector API
 * (the {@code jdk.incubator.vector} module, which {@code bin/negbench}, the tests and the
 * benchmarks add) it computes 4 queries x 4 documents at once, 16 accumulators in registers, so
 * each vector loaded feeds four fused multiply-adds; without the module it falls back to one Lucene
 * {@link VectorUtil#dotProduct} per pair, which loads two vectors per multiply-add.
 */
abstract class TileScores {
  /** The kernel for this JVM: vectorised when the module is present. */
  static final TileScores INSTANCE = create();

  private static TileScores create() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      try {
        return (TileScores)
            Class.forName("dev.negbench.mine.VectorTileScores")
                .getDeclaredConstructor()
                .newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        // fall through to the portable kernel
      }
    }
    return new Portable();
  }

  /** "vector API, N floats per vector" or "portable". */
  abstract String describe();

  abstract void scores(
      float[][] queries, int q0, int nq, float[][] tile, int nd, int dim, float[] out, int stride);

  /**
   * The inner product of two vectors of equal length: the same float {@link #scores} gives the
   * pair, so a search that rescores candidates with it (HNSW) reports the exact search's scores.
   */
  abstract float dot(float[] a, float[] b);

  /** One Lucene dot product per (query, document) pair. */
  static final class Portable extends TileScores {
    @Override
    String describe() {
      return "portable (Lucene VectorUtil per pair)";
    }

    @Override
    void scores(
        float[][] queries,
        int q0,
        int nq,
        float[][] tile,
        int nd,
        int dim,
        float[] out,
        int stride) {
      for (int q = 0; q < nq; q++) {
        float[] query = queries[q0 + q];
        for (int d = 0; d < nd; d++) {
          out[q * stride + d] = VectorUtil.dotProduct(query, tile[d]);
        }
      }
    }

    @Override
    float dot(float[] a, float[] b) {
      return VectorUtil.dotProduct(a, b);
    }
  }
}
