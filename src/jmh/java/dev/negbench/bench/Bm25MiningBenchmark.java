package dev.negbench.bench;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.Bm25Miner;
import dev.negbench.mine.Bm25Searcher;
import dev.negbench.mine.HardNegativeMining;
import dev.negbench.mine.MiningSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TopDocs;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * BM25 hard-negative mining throughput (queries/s, 10 negatives from the top-100 candidates)
 * against a plain Lucene {@link IndexSearcher} top-100 loop over the same queries and the same
 * thread pool: the ratio {@code mine / plainSearch} is the cost of mining beyond search itself
 * (target: at least 0.9), at the same search depth with {@code sampling=random}.
 *
 * <p>{@code mine} and {@code plainSearch} run in forks of their own, and identical loops differ by
 * up to 1.4x between forks on a small VM (code layout, JIT decisions). {@code paired} runs both in
 * one fork, alternating which goes first, and times each with {@code System.nanoTime}: its
 * secondary metrics {@code mineSeconds} and {@code plainSeconds} are the seconds each spent on the
 * same queries in the same iteration, so {@code plainSeconds / mineSeconds} is the ratio {@code
 * mine / plainSearch} with the fork's noise shared by both sides.
 */
// Queries per second over a batch of train queries: the unit users plan mining jobs in.
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Lucene's JIT and page cache settle within a few seconds of searching.
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
// Fixed heap, pre-touched, so GC sizing does not differ between forks; forks beat run-to-run noise.
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xmx4g", "-Xms4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class Bm25MiningBenchmark {
  /** Train queries mined per invocation; the synthetic split has exactly this many. */
  static final int QUERIES = 1000;

  private static final int CANDIDATES = 100;

  @Param({"10000", "100000"})
  public int docs;

  @Param({"1", "2"})
  public int threads;

  /**
   * top: the 10 best-ranked non-positives, for which the miner asks Lucene only for the ranks it
   * can use (about 11 here); random: 10 sampled from the top 100, which needs the whole top 100,
   * the same search as {@code plainSearch}.
   */
  @Param({"top", "random"})
  public String sampling;

  /** Seconds spent by each side of {@link #paired} in an iteration (summed over invocations). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class PairTimes {
    public double mineSeconds;
    public double plainSeconds;

    /** Which side went first last time: they alternate so neither always finds the caches warm. */
    private boolean mineFirst;
  }

  private Bm25Index index;
  private Bm25Searcher searcher;
  private Bm25Miner miner;
  private Qrels qrels;
  private Map<String, Query> queries;
  private List<Query> batch;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    // 1250 queries: one in five goes to test, leaving QUERIES train queries.
    BeirDataset dataset = SyntheticFixture.dataset(docs, QUERIES * 5 / 4, 42);
    index =
        Bm25Index.openOrBuild(
            dataset,
            SyntheticFixture.root().resolve("index-" + docs),
            Bm25Index.Parameters.ANSERINI,
            2,
            Progress.Factory.NONE);
    searcher = new Bm25Searcher(index);
    miner =
        new Bm25Miner(
            searcher,
            new MiningSettings(10, 1, CANDIDATES, MiningSettings.Sampling.parse(sampling), 42));
    qrels = dataset.qrels("train");
    queries = dataset.queries();
    batch = HardNegativeMining.queriesWithPositives(qrels, queries);
    if (batch.size() != QUERIES) {
      throw new IllegalStateException(
          "expected " + QUERIES + " train queries, found " + batch.size());
    }
    checkAnswers();
  }

  /** A fast wrong kernel must fail: negatives exclude positives, ranks rise, search agrees. */
  private void checkAnswers() {
    var result = HardNegativeMining.mine(miner, 10, qrels, queries, threads, Progress.Factory.NONE);
    for (HardNegatives h : result.rows()) {
      var positives = new HashSet<>(h.positiveIds());
      int previous = 0;
      for (Negative n : h.negatives()) {
        if (positives.contains(n.docId()) || n.rank() <= previous || n.rank() > CANDIDATES) {
          throw new IllegalStateException("bad negative " + n + " for " + h.queryId());
        }
        previous = n.rank();
      }
    }
    if (result.summary().negatives() < QUERIES * 9L) {
      throw new IllegalStateException("too few negatives: " + result.summary());
    }
    Query q = batch.get(0);
    var hits = searcher.search(q.text(), CANDIDATES, q.id());
    if (plainTop(q).scoreDocs[0].score != hits.get(0).score()) {
      throw new IllegalStateException("plain search and BM25 searcher disagree on " + q.id());
    }
  }

  private TopDocs plainTop(Query q) {
    try {
      return index.searcher().search(searcher.query(q.text()), CANDIDATES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    index.close();
  }

  @Benchmark
  @OperationsPerInvocation(QUERIES)
  public long mine() {
    return HardNegativeMining.mine(miner, 10, qrels, queries, threads, Progress.Factory.NONE)
        .summary()
        .negatives();
  }

  /**
   * The baseline: the same queries, top-100 from IndexSearcher, on the same number of threads, each
   * taking the next query from a shared counter as the miner's workers do.
   */
  @Benchmark
  @OperationsPerInvocation(QUERIES)
  public long plainSearch() throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong total = new AtomicLong();
    Runnable loop =
        () -> {
          for (int i = next.getAndIncrement(); i < batch.size(); i = next.getAndIncrement()) {
            total.addAndGet(plainTop(batch.get(i)).totalHits.value());
          }
        };
    if (threads == 1) {
      loop.run();
    } else {
      Thread[] workers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        workers[t] = new Thread(loop);
        workers[t].start();
      }
      for (Thread w : workers) {
        w.join();
      }
    }
    return total.get();
  }

  /**
   * {@link #mine} and {@link #plainSearch} over the same batch, one after the other in this fork,
   * the order alternating; the primary score counts queries of both (2 x {@value #QUERIES} per
   * invocation), the secondary metrics split the time between them.
   */
  @Benchmark
  @OperationsPerInvocation(2 * QUERIES)
  public long paired(PairTimes times) throws InterruptedException {
    boolean mineFirst = times.mineFirst = !times.mineFirst;
    long result = 0;
    for (int side = 0; side < 2; side++) {
      boolean mining = (side == 0) == mineFirst;
      long start = System.nanoTime();
      result += mining ? mine() : plainSearch();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (mining) {
        times.mineSeconds += seconds;
      } else {
        times.plainSeconds += seconds;
      }
    }
    return result;
  }
}
