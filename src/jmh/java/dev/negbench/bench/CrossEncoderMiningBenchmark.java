package dev.negbench.bench;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.Bm25Searcher;
import dev.negbench.mine.CrossEncoderMiner;
import dev.negbench.mine.HardNegativeMining;
import dev.negbench.mine.MiningSettings;
import dev.negbench.mine.ScoreActivation;
import dev.negbench.model.CrossEncoder;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Cross-encoder mining throughput on the CPU as {@code negbench mine-ce} and the experiment's
 * {@code ce} source run it: {@value #QUERIES} train queries of the synthetic 10,000-document
 * collection, each one's BM25 top {@value #CANDIDATES} rescored by the cross-encoder, on {@code
 * threads} workers that each run ONNX Runtime on one intra-op thread. Primary score: queries/s;
 * secondary {@code pairs}: (query, passage) pairs scored per second. The comparison is the same
 * method at {@code threads=2} against {@code threads=1} (target: at least 1.7x, see {@code
 * JmhSummary}): every stage of a query (BM25 search, stored-field reads, tokenization, the forward
 * pass) runs on its own worker, so nothing but the cores should bound it. Setup checks that the
 * measured worker count mines the rows another count mines (2 at one thread, 1 at two).
 *
 * <p>{@code model=tiny} is the bert-tiny cross-encoder test fixture: tokenization and BM25 are most
 * of its cost, which is the part of mining that could serialize. A real reranker's forward pass is
 * {@link CrossEncoderBenchmark}'s subject.
 */
// Queries per second over a fixed batch: the unit mining jobs are planned in.
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// One invocation is a few seconds of mining: few, long iterations.
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
// Fixed heap, pre-touched; -Xss16m for the native tokenizer and ONNX Runtime
// (CrossEncoderBenchmark).
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xmx4g", "-Xms4g", "-XX:+AlwaysPreTouch", "-Xss16m"})
@State(Scope.Benchmark)
public class CrossEncoderMiningBenchmark {
  /** Train queries mined per invocation. */
  static final int QUERIES = 200;

  /** BM25 candidates rescored per query (mine-ce's --candidate-depth). */
  static final int CANDIDATES = 30;

  /** Mining workers, each with one ONNX Runtime thread. */
  @Param({"1", "2"})
  public int threads;

  /** Tokens per pair. */
  @Param({"128"})
  public int maxLength;

  /** tiny: the bert-tiny cross-encoder fixture. */
  @Param({"tiny"})
  public String model;

  /** Pairs scored, reported by JMH as a rate (secondary metric "pairs", pairs/s). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Pairs {
    public long pairs;

    @Setup(Level.Iteration)
    public void reset() {
      pairs = 0;
    }
  }

  private Bm25Index index;
  private CrossEncoder crossEncoder;
  private CrossEncoderMiner miner;
  private Qrels qrels;
  private Map<String, Query> queries;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    BeirDataset dataset = OnnxFixture.dataset();
    index =
        Bm25Index.openOrBuild(
            dataset,
            SyntheticFixture.root().resolve("index-10000"),
            Bm25Index.Parameters.ANSERINI,
            2,
            Progress.Factory.NONE);
    crossEncoder =
        CrossEncoder.open(OnnxFixture.model(model, "bert-tiny-cross-encoder"), maxLength, 32, 1);
    MiningSettings settings = new MiningSettings(5, 1, CANDIDATES, MiningSettings.Sampling.TOP, 42);
    // mine-ce's default activation, so the kernel times what the command runs.
    miner =
        new CrossEncoderMiner(
            new Bm25Searcher(index),
            crossEncoder,
            CANDIDATES,
            settings,
            null,
            ScoreActivation.SIGMOID,
            null);
    Qrels all = dataset.qrels("train");
    queries = new LinkedHashMap<>();
    List<Query> first =
        HardNegativeMining.queriesWithPositives(all, dataset.queries()).subList(0, QUERIES);
    first.forEach(q -> queries.put(q.id(), q));
    qrels = all;
    checkAnswers();
  }

  /**
   * The measured worker count gives what another count gives, row for row: the scaling is not
   * bought with errors. At one thread the other count is 2, at more threads it is 1, so no grid
   * point checks the kernel against itself.
   */
  private void checkAnswers() {
    int other = threads == 1 ? 2 : 1;
    List<HardNegatives> measured = mine(threads).rows();
    List<HardNegatives> reference = mine(other).rows();
    if (measured.size() != QUERIES || !measured.equals(reference)) {
      throw new IllegalStateException(
          "CrossEncoderMiningBenchmark: wrong answer: "
              + threads
              + " threads gave other rows than "
              + other
              + " ("
              + measured.size()
              + " queries)");
    }
    if (measured.stream().anyMatch(h -> h.negatives().isEmpty())) {
      throw new IllegalStateException(
          "CrossEncoderMiningBenchmark: wrong answer: a query without negatives");
    }
  }

  private HardNegativeMining.Result mine(int workers) {
    // Only the chosen queries: the qrels' other queries have no text here and are skipped.
    return HardNegativeMining.mine(miner, 5, qrels, queries, workers, Progress.Factory.NONE);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    crossEncoder.close();
    index.close();
  }

  @Benchmark
  @OperationsPerInvocation(QUERIES)
  public long mine(Pairs counter) {
    long before = miner.pairsScored();
    long negatives = mine(threads).summary().negatives();
    counter.pairs += miner.pairsScored() - before;
    return negatives;
  }
}
