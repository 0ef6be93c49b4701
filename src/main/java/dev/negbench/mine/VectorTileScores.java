package dev.negbench.mine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileScores} on the Vector API: a register block of 4 queries x 4 documents, the 16 partial
 * sums kept in vector registers along the dimension and reduced once at the end; blocks at the
 * edges (fewer than 4 queries or documents left) and dimensions that are not a multiple of the
 * vector length take a scalar tail. Loaded by name from {@link TileScores} only when the {@code
 * jdk.incubator.vector} module is present.
 */
final class VectorTileScores extends TileScores {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** For {@link #sum}: lane i to lane i XOR h, for h = half the lanes, a quarter, ..., 1. */
  private static final VectorShuffle<Float>[] HALVES = halves();

  @SuppressWarnings("unchecked")
  private static VectorShuffle<Float>[] halves() {
    VectorShuffle<Float>[] out = new VectorShuffle[Integer.numberOfTrailingZeros(S.length())];
    for (int s = 0, h = S.length() / 2; h >= 1; s++, h /= 2) {
      int step = h;
      out[s] = VectorShuffle.fromOp(S, i -> i ^ step);
    }
    return out;
  }

  @Override
  String describe() {
    return "vector API, " + S.length() + " floats per vector, 4 x 4 register blocks";
  }

  @Override
  void scores(
      float[][] queries, int q0, int nq, float[][] tile, int nd, int dim, float[] out, int stride) {
    int q = 0;
    for (; q + 4 <= nq; q += 4) {
      float[] a0 = queries[q0 + q];
      float[] a1 = queries[q0 + q + 1];
      float[] a2 = queries[q0 + q + 2];
      float[] a3 = queries[q0 + q + 3];
      int d = 0;
      for (; d + 4 <= nd; d += 4) {
        block(
            a0,
            a1,
            a2,
            a3,
            tile[d],
            tile[d + 1],
            tile[d + 2],
            tile[d + 3],
            dim,
            out,
            q * stride + d,
            stride);
      }
      for (; d < nd; d++) {
        out[q * stride + d] = dot(a0, tile[d], dim);
        out[(q + 1) * stride + d] = dot(a1, tile[d], dim);
        out[(q + 2) * stride + d] = dot(a2, tile[d], dim);
        out[(q + 3) * stride + d] = dot(a3, tile[d], dim);
      }
    }
    for (; q < nq; q++) {
      float[] a = queries[q0 + q];
      for (int d = 0; d < nd; d++) {
        out[q * stride + d] = dot(a, tile[d], dim);
      }
    }
  }

  private static void block(
      float[] a0,
      float[] a1,
      float[] a2,
      float[] a3,
      float[] b0,
      float[] b1,
      float[] b2,
      float[] b3,
      int dim,
      float[] out,
      int at,
      int stride) {
    FloatVector c00 = FloatVector.zero(S),
        c01 = FloatVector.zero(S),
        c02 = FloatVector.zero(S),
        c03 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S),
        c11 = FloatVector.zero(S),
        c12 = FloatVector.zero(S),
        c13 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S),
        c21 = FloatVector.zero(S),
        c22 = FloatVector.zero(S),
        c23 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S),
        c31 = FloatVector.zero(S),
        c32 = FloatVector.zero(S),
        c33 = FloatVector.zero(S);
    int bound = S.loopBound(dim);
    int k = 0;
    for (; k < bound; k += S.length()) {
      FloatVector y0 = FloatVector.fromArray(S, b0, k);
      FloatVector y1 = FloatVector.fromArray(S, b1, k);
      FloatVector y2 = FloatVector.fromArray(S, b2, k);
      FloatVector y3 = FloatVector.fromArray(S, b3, k);
      FloatVector x = FloatVector.fromArray(S, a0, k);
      c00 = x.fma(y0, c00);
      c01 = x.fma(y1, c01);
      c02 = x.fma(y2, c02);
      c03 = x.fma(y3, c03);
      x = FloatVector.fromArray(S, a1, k);
      c10 = x.fma(y0, c10);
      c11 = x.fma(y1, c11);
      c12 = x.fma(y2, c12);
      c13 = x.fma(y3, c13);
      x = FloatVector.fromArray(S, a2, k);
      c20 = x.fma(y0, c20);
      c21 = x.fma(y1, c21);
      c22 = x.fma(y2, c22);
      c23 = x.fma(y3, c23);
      x = FloatVector.fromArray(S, a3, k);
      c30 = x.fma(y0, c30);
      c31 = x.fma(y1, c31);
      c32 = x.fma(y2, c32);
      c33 = x.fma(y3, c33);
    }
    out[at + 0 * stride + 0] = sum(c00) + tail(a0, b0, k, dim);
    out[at + 0 * stride + 1] = sum(c01) + tail(a0, b1, k, dim);
    out[at + 0 * stride + 2] = sum(c02) + tail(a0, b2, k, dim);
    out[at + 0 * stride + 3] = sum(c03) + tail(a0, b3, k, dim);
    out[at + 1 * stride + 0] = sum(c10) + tail(a1, b0, k, dim);
    out[at + 1 * stride + 1] = sum(c11) + tail(a1, b1, k, dim);
    out[at + 1 * stride + 2] = sum(c12) + tail(a1, b2, k, dim);
    out[at + 1 * stride + 3] = sum(c13) + tail(a1, b3, k, dim);
    out[at + 2 * stride + 0] = sum(c20) + tail(a2, b0, k, dim);
    out[at + 2 * stride + 1] = sum(c21) + tail(a2, b1, k, dim);
    out[at + 2 * stride + 2] = sum(c22) + tail(a2, b2, k, dim);
    out[at + 2 * stride + 3] = sum(c23) + tail(a2, b3, k, dim);
    out[at + 3 * stride + 0] = sum(c30) + tail(a3, b0, k, dim);
    out[at + 3 * stride + 1] = sum(c31) + tail(a3, b1, k, dim);
    out[at + 3 * stride + 2] = sum(c32) + tail(a3, b2, k, dim);
    out[at + 3 * stride + 3] = sum(c33) + tail(a3, b3, k, dim);
  }

  private static float tail(float[] a, float[] b, int from, int dim) {
    float s = 0;
    for (int t = from; t < dim; t++) {
      s += a[t] * b[t];
    }
    return s;
  }

  @Override
  float dot(float[] a, float[] b) {
    return dot(a, b, a.length);
  }

  /** One pair, with the arithmetic of {@link #block}: the same float for the same pair. */
  private static float dot(float[] a, float[] b, int dim) {
    FloatVector acc = FloatVector.zero(S);
    int bound = S.loopBound(dim);
    int k = 0;
    for (; k < bound; k += S.length()) {
      acc = FloatVector.fromArray(S, a, k).fma(FloatVector.fromArray(S, b, k), acc);
    }
    return sum(acc) + tail(a, b, k, dim);
  }

  /**
   * The lanes' sum, in a fixed order: lane i plus lane i XOR half the length, then a quarter, down
   * to one, and lane 0 of the result. {@code reduceLanes(ADD)} leaves the order open, and the
   * JIT-compiled and interpreted forms of it differ in the last bit here (so a score depended on
   * whether its kernel had been compiled yet, and a run file on timing); this tree is the order the
   * compiled form takes on AVX-512, at its speed, whether compiled or not.
   */
  static float sum(FloatVector v) {
    for (VectorShuffle<Float> halves : HALVES) {
      v = v.add(v.rearrange(halves));
    }
    return v.lane(0);
  }
}
