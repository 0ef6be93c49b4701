package dev.negbench.mine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The second GEMM reference beside ONNX Runtime's ({@code bench.GemmPeak}): the exact scan's own
 * Vector API micro-kernel ({@link TileScores}, 4 queries x 4 documents in registers) run as a plain
 * matrix product [M, K] x [N, K]^T into outputs allocated once, with no top-k, no memory mapping
 * and no merging: what the scan's arithmetic can reach on these cores. Two implementations of the
 * peak in one run show whether either is a real ceiling. The N rows are split into contiguous
 * parts, one per thread, each scored in tiles of {@value #TILE} rows, as the scan splits the
 * corpus. It sits beside the package-private kernel it runs; its only caller is the benchmark
 * {@code bench.DenseSearchBenchmark#gemmVectorApi}, so it shows just what that needs: build, run,
 * count the work, close.
 */
public final class TileGemm implements AutoCloseable {
  /** Rows scored per kernel call, as in the scan. */
  static final int TILE = 256;

  private final float[][] a;

  /** The N rows of B cut into tiles: {@code tiles[t]} is a part of thread t's range. */
  private final List<List<float[][]>> tiles = new ArrayList<>();

  /** One output per thread, {@code [M, TILE]}, reused by every tile and call. */
  private final float[][] out;

  private final int k;
  private final long n;
  private final ExecutorService pool;

  public TileGemm(int m, int k, int n, int threads) {
    this.k = k;
    this.n = n;
    SplittableRandom random = new SplittableRandom(7);
    a = new float[m][];
    for (int i = 0; i < m; i++) {
      a[i] = randomRow(random, k);
    }
    out = new float[threads][m * TILE];
    for (int t = 0; t < threads; t++) {
      int from = (int) ((long) n * t / threads);
      int to = (int) ((long) n * (t + 1) / threads);
      List<float[][]> part = new ArrayList<>();
      for (int d = from; d < to; d += TILE) {
        float[][] tile = new float[Math.min(TILE, to - d)][];
        for (int j = 0; j < tile.length; j++) {
          tile[j] = randomRow(random, k);
        }
        part.add(tile);
      }
      tiles.add(part);
    }
    pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
    check();
  }

  /** Floating-point operations of one {@link #run}: a multiply and an add per term. */
  public long flop() {
    return 2L * a.length * k * n;
  }

  /** One product; returns an element of it so the work cannot be skipped. */
  public float run() {
    if (pool == null) {
      return part(0);
    }
    List<Future<Float>> parts = new ArrayList<>();
    for (int t = 0; t < tiles.size(); t++) {
      int part = t;
      parts.add(pool.submit(() -> part(part)));
    }
    float sum = 0;
    try {
      for (Future<Float> f : parts) {
        sum += f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("GEMM reference failed: " + e.getCause(), e.getCause());
    }
    return sum;
  }

  private float part(int t) {
    float[] o = out[t];
    for (float[][] tile : tiles.get(t)) {
      TileScores.INSTANCE.scores(a, 0, a.length, tile, tile.length, k, o, TILE);
    }
    return o[0];
  }

  /** The last tile's element (0, 0) of thread 0 equals the dot product computed here. */
  private void check() {
    float got = part(0);
    List<float[][]> first = tiles.get(0);
    float[] row = first.get(first.size() - 1)[0];
    double expected = 0;
    for (int i = 0; i < k; i++) {
      expected += (double) a[0][i] * row[i];
    }
    if (Math.abs(got - expected) > 1e-3 * Math.max(1, Math.abs(expected))) {
      throw new IllegalStateException(
          "Vector API GEMM reference: wrong answer: C[0][0] = " + got + ", expected " + expected);
    }
  }

  private static float[] randomRow(SplittableRandom random, int k) {
    float[] v = new float[k];
    for (int i = 0; i < k; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return v;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
