package dev.negbench.bench;

import dev.negbench.data.Query;
import dev.negbench.data.RunEntry;
import dev.negbench.io.Progress;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.DenseSearcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact dense retrieval throughput (queries/s, top-{@value #K}): {@link DenseSearcher#searchAll},
 * as {@code negbench dense-search} runs it, over random unit vectors of all-MiniLM-L6-v2's
 * dimension (the scan's cost depends on sizes only, not on what the vectors mean).
 */
// Queries per second over a batch of queries: the unit users plan retrieval jobs in.
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// A scan is plain float arithmetic (Panama vector dot products): JIT settles within seconds.
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
// Fixed heap, pre-touched, so GC sizing does not differ between forks; forks beat run-to-run noise.
@Fork(value = 2, jvmArgsAppend = {"-Xmx4g", "-Xms4g", "-XX:+AlwaysPreTouch"})
// One corpus shared by the search threads; it is only read.
@State(Scope.Benchmark)
public class DenseSearchBenchmark {
  /** Queries searched per invocation. */
  static final int QUERIES = 100;

  /** Hits per query: mining's candidate depth. */
  static final int K = 100;

  /** all-MiniLM-L6-v2's embedding dimension. */
  static final int DIM = 384;

  private static final long SEED = 7;

  @Param({"10000", "100000"})
  public int docs;

  @Param({"1", "2"})
  public int threads;

  private DenseSearcher searcher;
  private List<Query> queries;
  private float[][] queryVectors;
  private float[][] corpus;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(SEED);
    corpus = new float[docs][];
    String[] ids = new String[docs];
    for (int d = 0; d < docs; d++) {
      corpus[d] = unitVector(random);
      ids[d] = "d" + d;
    }
    searcher = new DenseSearcher(new DenseEmbeddings(ids, corpus));
    queries = new ArrayList<>(QUERIES);
    queryVectors = new float[QUERIES][];
    for (int q = 0; q < QUERIES; q++) {
      queries.add(new Query("q" + q, "")); // ids not in the corpus: nothing is excluded
      queryVectors[q] = unitVector(random);
    }
    checkAnswers(search());
  }

  /** Gaussian components, normalised: uniform on the unit sphere. */
  private static float[] unitVector(SplittableRandom random) {
    float[] v = new float[DIM];
    double sum = 0;
    for (int i = 0; i < DIM; i++) {
      double g = gaussian(random);
      v[i] = (float) g;
      sum += g * g;
    }
    float norm = (float) Math.sqrt(sum);
    for (int i = 0; i < DIM; i++) {
      v[i] /= norm;
    }
    return v;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default.
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /**
   * For a few queries the top 10 equal a brute-force reference computed here in double precision:
   * the same scores within 1e-5 and the same documents, save where two reference scores are
   * within 1e-5 of each other (float summation order may swap a near tie).
   */
  private void checkAnswers(Map<String, List<RunEntry>> run) {
    if (run.size() != QUERIES) {
      throw new IllegalStateException("DenseSearchBenchmark: wrong answer: " + run.size() + " queries answered of " + QUERIES);
    }
    for (int q : new int[] {0, 1, QUERIES / 2, QUERIES - 1}) {
      List<RunEntry> hits = run.get(queries.get(q).id());
      if (hits.size() != Math.min(K, docs)) {
        throw new IllegalStateException("DenseSearchBenchmark: wrong answer: " + hits.size() + " hits for query " + q);
      }
      int[] best = new int[10];
      double[] bestScore = new double[10];
      java.util.Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
      for (int d = 0; d < docs; d++) {
        double s = 0;
        for (int i = 0; i < DIM; i++) {
          s += (double) queryVectors[q][i] * corpus[d][i];
        }
        if (s > bestScore[9]) {
          int at = 9;
          while (at > 0 && bestScore[at - 1] < s) {
            bestScore[at] = bestScore[at - 1];
            best[at] = best[at - 1];
            at--;
          }
          bestScore[at] = s;
          best[at] = d;
        }
      }
      for (int r = 0; r < 10; r++) {
        RunEntry hit = hits.get(r);
        boolean nearTie = (r > 0 && bestScore[r - 1] - bestScore[r] < 1e-5) || (r < 9 && bestScore[r] - bestScore[r + 1] < 1e-5);
        if (hit.rank() != r + 1 || Math.abs(hit.score() - bestScore[r]) > 1e-5 || (!nearTie && !hit.docId().equals("d" + best[r]))) {
          throw new IllegalStateException(
              "DenseSearchBenchmark: wrong answer: query " + q + " rank " + (r + 1) + " is " + hit + ", brute force gives d" + best[r] + " " + bestScore[r]);
        }
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(QUERIES)
  public Map<String, List<RunEntry>> search() {
    return searcher.searchAll(queries, queryVectors, K, "bench", threads, Progress.Factory.NONE);
  }
}
