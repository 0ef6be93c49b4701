package dev.negbench.mine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileScores} on the Vector API: a register block of 4 queries x 4 documents, the 16 partial
 * sums kept in vector registers along the dimension and reduced once at the end; blocks at the
 * edges (fewer than 4 queries or documents left) and dimensions that are not a multiple of the
 * vector length take a scalar tail. Loaded by name from {@link TileScores} only when the {@code
 * jdk.incubator.vector} module is present.
 *
 * <p>Every score is its lanes' sum in one fixed order, {@link #sum}'s tree, whether the kernel is
 * interpreted or compiled. A block reduces its 16 accumulators together ({@link #block}): each step
 * of the tree is done for two accumulators by one vector add, and the 16 sums end in one vector (4
 * with 4 lanes), stored a row at a time. Written out in the block, with no helper method: C2 did
 * not inline helpers past its node budget there, and an accumulator passed to a method that is not
 * inlined is boxed (what made the first fixed-order sum 4x slower than {@code reduceLanes}).
 */
final class VectorTileScores extends TileScores {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** Floats per vector. */
  private static final int L = S.length();

  /**
   * Lane i to lane i XOR h, and the lanes whose bit h is set, for h = 8, 4, 2, 1 (null where h is
   * not below L): constants the JIT folds into the shuffles and blends of {@link #block}.
   */
  private static final VectorShuffle<Float> X8 = xor(8), X4 = xor(4), X2 = xor(2), X1 = xor(1);

  private static final VectorMask<Float> M8 = upper(8), M4 = upper(4), M2 = upper(2), M1 = upper(1);

  /** The lanes of row r of a block's sums, r = 0..3: lanes 4r..4r+3 modulo L. */
  private static final VectorMask<Float> R0 = row(0), R1 = row(1), R2 = row(2), R3 = row(3);

  /** For {@link #sum} with more than 16 lanes: lane i to lane i XOR h, h = L/2, L/4, ..., 1. */
  private static final VectorShuffle<Float>[] HALVES = halves();

  private static VectorShuffle<Float> xor(int h) {
    return h < L ? VectorShuffle.fromOp(S, i -> i ^ h) : null;
  }

  private static VectorMask<Float> upper(int h) {
    boolean[] set = new boolean[L];
    for (int i = 0; i < L; i++) {
      set[i] = (i & h) != 0;
    }
    return h < L ? VectorMask.fromArray(S, set, 0) : null;
  }

  private static VectorMask<Float> row(int r) {
    boolean[] set = new boolean[L];
    for (int i = 0; i < L; i++) {
      set[i] = L >= 8 && i / 4 == r % (L / 4);
    }
    return VectorMask.fromArray(S, set, 0);
  }

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
    if (k == dim && L == 16) {
      // One step of sum()'s tree for two accumulators x, y at once: lane i of x.blend(y, Mh) +
      // y.blend(x, Mh).rearrange(Xh) is x[i] + x[i ^ h] where bit h of i is clear and y[i] + y[i ^
      // h] where it is set. Four levels leave sum (r, c) in lane 4r + c.
      FloatVector m0 = c00.blend(c20, M8).add(c20.blend(c00, M8).rearrange(X8));
      FloatVector m1 = c01.blend(c21, M8).add(c21.blend(c01, M8).rearrange(X8));
      FloatVector m2 = c02.blend(c22, M8).add(c22.blend(c02, M8).rearrange(X8));
      FloatVector m3 = c03.blend(c23, M8).add(c23.blend(c03, M8).rearrange(X8));
      FloatVector m4 = c10.blend(c30, M8).add(c30.blend(c10, M8).rearrange(X8));
      FloatVector m5 = c11.blend(c31, M8).add(c31.blend(c11, M8).rearrange(X8));
      FloatVector m6 = c12.blend(c32, M8).add(c32.blend(c12, M8).rearrange(X8));
      FloatVector m7 = c13.blend(c33, M8).add(c33.blend(c13, M8).rearrange(X8));
      FloatVector n0 = m0.blend(m4, M4).add(m4.blend(m0, M4).rearrange(X4));
      FloatVector n1 = m1.blend(m5, M4).add(m5.blend(m1, M4).rearrange(X4));
      FloatVector n2 = m2.blend(m6, M4).add(m6.blend(m2, M4).rearrange(X4));
      FloatVector n3 = m3.blend(m7, M4).add(m7.blend(m3, M4).rearrange(X4));
      FloatVector o0 = n0.blend(n2, M2).add(n2.blend(n0, M2).rearrange(X2));
      FloatVector o1 = n1.blend(n3, M2).add(n3.blend(n1, M2).rearrange(X2));
      FloatVector f = o0.blend(o1, M1).add(o1.blend(o0, M1).rearrange(X1));
      // Row r's four sums are lanes 4r..4r+3: stored under a mask from 4r lanes before them.
      f.intoArray(out, at, R0);
      f.intoArray(out, at + stride - 4, R1);
      f.intoArray(out, at + 2 * stride - 8, R2);
      f.intoArray(out, at + 3 * stride - 12, R3);
    } else if (k == dim && L == 8) {
      // The same steps on rows 0-1 and rows 2-3: sum (r, c) in lane 4(r mod 2) + c of f01 or f23.
      FloatVector m0 = c00.blend(c10, M4).add(c10.blend(c00, M4).rearrange(X4));
      FloatVector m1 = c01.blend(c11, M4).add(c11.blend(c01, M4).rearrange(X4));
      FloatVector m2 = c02.blend(c12, M4).add(c12.blend(c02, M4).rearrange(X4));
      FloatVector m3 = c03.blend(c13, M4).add(c13.blend(c03, M4).rearrange(X4));
      FloatVector m4 = c20.blend(c30, M4).add(c30.blend(c20, M4).rearrange(X4));
      FloatVector m5 = c21.blend(c31, M4).add(c31.blend(c21, M4).rearrange(X4));
      FloatVector m6 = c22.blend(c32, M4).add(c32.blend(c22, M4).rearrange(X4));
      FloatVector m7 = c23.blend(c33, M4).add(c33.blend(c23, M4).rearrange(X4));
      FloatVector n0 = m0.blend(m2, M2).add(m2.blend(m0, M2).rearrange(X2));
      FloatVector n1 = m1.blend(m3, M2).add(m3.blend(m1, M2).rearrange(X2));
      FloatVector n2 = m4.blend(m6, M2).add(m6.blend(m4, M2).rearrange(X2));
      FloatVector n3 = m5.blend(m7, M2).add(m7.blend(m5, M2).rearrange(X2));
      FloatVector f01 = n0.blend(n1, M1).add(n1.blend(n0, M1).rearrange(X1));
      FloatVector f23 = n2.blend(n3, M1).add(n3.blend(n2, M1).rearrange(X1));
      f01.intoArray(out, at, R0);
      f01.intoArray(out, at + stride - 4, R1);
      f23.intoArray(out, at + 2 * stride, R2);
      f23.intoArray(out, at + 3 * stride - 4, R3);
    } else if (k == dim && L == 4) {
      // Each row alone: sum (r, c) in lane c of fr.
      for (int r = 0; r < 4; r++) {
        FloatVector x0 = r == 0 ? c00 : r == 1 ? c10 : r == 2 ? c20 : c30;
        FloatVector x1 = r == 0 ? c01 : r == 1 ? c11 : r == 2 ? c21 : c31;
        FloatVector x2 = r == 0 ? c02 : r == 1 ? c12 : r == 2 ? c22 : c32;
        FloatVector x3 = r == 0 ? c03 : r == 1 ? c13 : r == 2 ? c23 : c33;
        FloatVector m0 = x0.blend(x2, M2).add(x2.blend(x0, M2).rearrange(X2));
        FloatVector m1 = x1.blend(x3, M2).add(x3.blend(x1, M2).rearrange(X2));
        m0.blend(m1, M1).add(m1.blend(m0, M1).rearrange(X1)).intoArray(out, at + r * stride);
      }
    } else {
      // A tail past the vectors, or another vector length: each sum on its own, the same tree.
      FloatVector[] c = {
        c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33
      };
      float[][] a = {a0, a1, a2, a3};
      float[][] b = {b0, b1, b2, b3};
      for (int i = 0; i < 16; i++) {
        out[at + (i >> 2) * stride + (i & 3)] = finish(sum(c[i]), a[i >> 2], b[i & 3], k, dim);
      }
    }
  }

  /**
   * The lanes' sum plus the scalar tail from {@code from} on, if any: with no tail the sum as it is
   * ({@code s + 0} would turn a sum of -0 into +0, and the block's full-width paths add nothing).
   */
  private static float finish(float s, float[] a, float[] b, int from, int dim) {
    return from == dim ? s : s + tail(a, b, from, dim);
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
    return finish(sum(acc), a, b, k, dim);
  }

  /**
   * The lanes' sum, in a fixed order: lane i plus lane i XOR half the length, then a quarter, down
   * to one, and lane 0 of the result. {@code reduceLanes(ADD)} leaves the order open, and the
   * JIT-compiled and interpreted forms of it differ in the last bit here (so a score depended on
   * whether its kernel had been compiled yet, and a run file on timing); this tree is the order the
   * compiled form takes on AVX-512, whether compiled or not.
   */
  static float sum(FloatVector v) {
    if (L > 16) {
      for (VectorShuffle<Float> halves : HALVES) {
        v = v.add(v.rearrange(halves));
      }
      return v.lane(0);
    }
    if (L == 16) {
      v = v.add(v.rearrange(X8));
    }
    if (L >= 8) {
      v = v.add(v.rearrange(X4));
    }
    if (L >= 4) {
      v = v.add(v.rearrange(X2));
    }
    if (L >= 2) {
      v = v.add(v.rearrange(X1));
    }
    return v.lane(0);
  }
}
