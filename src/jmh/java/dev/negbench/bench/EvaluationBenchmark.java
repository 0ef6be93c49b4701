package dev.negbench.bench;

import dev.negbench.data.Qrels;
import dev.negbench.data.RunEntry;
import dev.negbench.data.TrecRun;
import dev.negbench.eval.EvaluationResult;
import dev.negbench.eval.Metric;
import dev.negbench.eval.RunFileEvaluation;
import dev.negbench.eval.TrecEval;
import dev.negbench.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * nDCG@10 over a BEIR-sized evaluation: by default 10,000 queries with 1,000 hits each, about 3
 * relevant documents per query. {@code parseAndEvaluate} is what {@code negbench evaluate} pays
 * (read the run and qrels files, then evaluate); {@code evaluateOnly} isolates {@link TrecEval} on
 * the already parsed run, so the difference is the cost of parsing. {@code streamed} and {@code
 * streamedTwoThreads} are what {@code negbench evaluate} runs today: the run file streamed, never
 * held whole ({@link RunFileEvaluation}), on one and two threads. The whole-process baseline is
 * trec_eval itself, built from its source beside this kernel by {@code tools/trec-eval-baseline}.
 */
// The time one evaluation takes is what a user waits for.
@BenchmarkMode(Mode.AverageTime)
// One evaluation takes from about 0.2 s (evaluateOnly) to several seconds (parseAndEvaluate).
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Parsing 10 million lines allocates heavily: give JIT and GC time to settle before measuring.
@Warmup(iterations = 3, time = 10)
// A few seconds per operation: 10-second iterations still collect several operations each.
@Measurement(iterations = 5, time = 10)
// Fixed, pre-touched heap so heap growth is not measured; two parsed runs must fit at once.
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g", "-Xms4g", "-XX:+AlwaysPreTouch"})
// One generated run and qrels shared by all threads; they are only read.
@State(Scope.Benchmark)
public class EvaluationBenchmark {
  private static final Metric NDCG_AT_10 = Metric.parse("ndcg@10");
  private static final long SEED = 20240601L;
  // Large enough that random document ids rarely collide within a query.
  private static final int CORPUS_SIZE = 5_000_000;

  /** Queries in the run and the qrels. */
  @Param({"10000"})
  public int queries;

  /** Hits per query, as in BEIR runs retrieved at depth 1000. */
  @Param({"1000"})
  public int hitsPerQuery;

  private Path dir;
  private Path runFile;
  private Path qrelsFile;
  private Qrels qrels;
  private TrecRun run;

  @Setup(Level.Trial)
  public void writeRunAndQrels() throws IOException {
    if (queries < 3 || hitsPerQuery < 2) {
      throw new IllegalArgumentException("need at least 3 queries and 2 hits per query");
    }
    dir = Files.createTempDirectory("negbench-eval-bench");
    runFile = dir.resolve("run.trec");
    qrelsFile = dir.resolve("qrels.tsv");
    StringBuilder qrelsText = new StringBuilder("query-id\tcorpus-id\tscore\n");
    SplittableRandom random = new SplittableRandom(SEED);
    AtomicFiles.write(
        runFile,
        out -> {
          List<RunEntry> entries = new ArrayList<>(hitsPerQuery);
          Set<String> docsOfQuery = new HashSet<>();
          for (int q = 0; q < queries; q++) {
            String queryId = "q" + q;
            entries.clear();
            docsOfQuery.clear();
            // Scores fall by at least 0.001 a rank, so the six decimals written keep them apart
            // and the file order (best first, as retrievers write runs) is trec_eval's order.
            double score = 100;
            while (entries.size() < hitsPerQuery) {
              String docId = "d" + random.nextInt(CORPUS_SIZE);
              if (docsOfQuery.add(docId)) {
                entries.add(new RunEntry(queryId, docId, entries.size() + 1, score, "bench"));
                score -= 0.001 + random.nextDouble(0.05);
              }
            }
            TrecRun.writeHits(out, queryId, entries);
            judge(q, queryId, entries, random, qrelsText);
          }
        });
    AtomicFiles.writeString(qrelsFile, qrelsText.toString());
    qrels = Qrels.read(qrelsFile);
    run = TrecRun.read(runFile);
    checkKnownAnswers(TrecEval.evaluate(qrels, run, List.of(NDCG_AT_10)));
  }

  /**
   * Writes the qrels rows of one query. Queries q0, q1 and q2 get answers known exactly (see {@link
   * #checkKnownAnswers}); every other query gets 3 relevant documents of grade 1 or 2, each
   * retrieved with probability 1/2 at a rank skewed towards the top (rank = hits * u^3).
   */
  private static void judge(
      int q, String queryId, List<RunEntry> hits, SplittableRandom random, StringBuilder qrels) {
    switch (q) {
      case 0 -> row(qrels, queryId, hits.get(0).docId(), 1); // only relevant doc at rank 1
      case 1 -> row(qrels, queryId, "unretrieved-1", 1); // only relevant doc not retrieved
      case 2 -> row(qrels, queryId, hits.get(1).docId(), 2); // only relevant doc at rank 2
      default -> {
        Set<String> judged = new HashSet<>();
        for (int r = 0; r < 3; r++) {
          int grade = 1 + random.nextInt(2);
          double u = random.nextDouble();
          String retrieved = hits.get((int) (hits.size() * u * u * u)).docId();
          // One qrels row per (query, doc): trec_eval rejects repeated ones.
          if (random.nextBoolean() && judged.add(retrieved)) {
            row(qrels, queryId, retrieved, grade);
          } else {
            row(qrels, queryId, "unretrieved-" + q + "-" + r, grade);
          }
        }
      }
    }
  }

  private static void row(StringBuilder qrels, String queryId, String docId, int grade) {
    qrels.append(queryId).append('\t').append(docId).append('\t').append(grade).append('\n');
  }

  /** A fast wrong evaluator must fail here, not win. */
  private void checkKnownAnswers(EvaluationResult result) {
    expect(result.queryCount() == queries, "queries evaluated: " + result.queryCount());
    // q0: the relevant doc at rank 1 is the ideal ranking -> 1
    expect(result.value(NDCG_AT_10, "q0") == 1.0, "q0 nDCG@10 " + result.value(NDCG_AT_10, "q0"));
    // q1: nothing relevant retrieved -> 0
    expect(result.value(NDCG_AT_10, "q1") == 0.0, "q1 nDCG@10 " + result.value(NDCG_AT_10, "q1"));
    // q2: grade 2 at rank 2 -> (2 / log2(3)) / (2 / log2(2)) = 1 / log2(3) = 0.6309298
    double q2 = Math.log(2) / Math.log(3);
    expect(
        Math.abs(result.value(NDCG_AT_10, "q2") - q2) < 1e-12,
        "q2 nDCG@10 " + result.value(NDCG_AT_10, "q2") + ", expected " + q2);
    double mean = result.mean(NDCG_AT_10);
    expect(mean > 0 && mean < 1, "mean nDCG@10 " + mean);
  }

  private static void expect(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("EvaluationBenchmark: wrong answer: " + what);
    }
  }

  @TearDown(Level.Trial)
  public void deleteFiles() throws IOException {
    Files.deleteIfExists(runFile);
    Files.deleteIfExists(qrelsFile);
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public double parseAndEvaluate() {
    return TrecEval.evaluate(Qrels.read(qrelsFile), TrecRun.read(runFile), List.of(NDCG_AT_10))
        .mean(NDCG_AT_10);
  }

  /**
   * What {@code negbench evaluate} does now: the run streamed from its file ({@link
   * RunFileEvaluation}), on one thread; compare with {@code parseAndEvaluate}.
   */
  @Benchmark
  public double streamed() {
    return RunFileEvaluation.evaluate(Qrels.read(qrelsFile), runFile, List.of(NDCG_AT_10), 1)
        .result()
        .mean(NDCG_AT_10);
  }

  /** The same on two threads, each reading and scoring half of the file. */
  @Benchmark
  public double streamedTwoThreads() {
    return RunFileEvaluation.evaluate(Qrels.read(qrelsFile), runFile, List.of(NDCG_AT_10), 2)
        .result()
        .mean(NDCG_AT_10);
  }

  @Benchmark
  public double evaluateOnly() {
    return TrecEval.evaluate(qrels, run, List.of(NDCG_AT_10)).mean(NDCG_AT_10);
  }
}
