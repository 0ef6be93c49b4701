package dev.negbench.bench;

import dev.negbench.data.BeirDataset;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.HnswIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Index-build throughput, the one-off cost before mining or searching a corpus: {@code bm25}, the
 * Lucene inverted index of a synthetic BEIR corpus ({@link Bm25Index}, Anserini's analyzer, as
 * {@code mine-bm25} builds it), and {@code hnsw}, the Lucene HNSW graph of as many clustered
 * 384-dimensional vectors ({@link HnswIndex}, M 16, beam 100, as {@code --index hnsw} builds it),
 * each on {@code threads} threads, from scratch (the folder is deleted before every build), force
 * merged to one segment. Primary score: builds/s; the secondary metric {@code documents} is
 * documents/s, the figure to plan a corpus by. Input corpora are made once, outside the timing.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// A build at 100,000 documents takes seconds to minutes: one invocation per iteration.
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g", "-Xms4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class IndexBuildBenchmark {
  /** Documents; 1000000 (-p docs=1000000) is the size the targets are set at. */
  @Param({"10000", "100000"})
  public int docs;

  @Param({"2"})
  public int threads;

  /**
   * bm25: Lucene inverted index; hnsw: Lucene HNSW graph of float vectors (quantize: none or int8).
   */
  @Param({"bm25", "hnsw"})
  public String index;

  /** HNSW vector encoding (ignored by bm25). */
  @Param({"none"})
  public String quantize;

  /** Documents indexed, reported as a rate (documents/s). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Documents {
    public long documents;

    @Setup(Level.Iteration)
    public void reset() {
      documents = 0;
    }
  }

  private BeirDataset dataset;
  private DenseEmbeddings vectors;
  private Path dir;

  @Setup(Level.Trial)
  public void setUp() {
    switch (index) {
      case "bm25" -> dataset = SyntheticFixture.dataset(docs, 1250, 42);
      case "hnsw" -> vectors = ClusteredVectors.corpus(docs, DenseSearchBenchmark.DIM, 7);
      default -> throw new IllegalArgumentException("index must be bm25 or hnsw, was " + index);
    }
    dir =
        SyntheticFixture.root()
            .resolve("build-" + index + "-" + docs + "-" + ProcessHandle.current().pid());
  }

  @Setup(Level.Invocation)
  public void clean() throws IOException {
    AtomicFiles.deleteTree(dir);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    AtomicFiles.deleteTree(dir);
  }

  @Benchmark
  public int build(Documents counter) throws IOException {
    int size;
    if (dataset != null) {
      try (Bm25Index built =
          Bm25Index.openOrBuild(
              dataset, dir, Bm25Index.Parameters.ANSERINI, threads, Progress.Factory.NONE)) {
        size = built.searcher().getIndexReader().numDocs();
      }
    } else {
      var outcome = new AtomicReference<HnswIndex.Outcome>();
      try (HnswIndex built =
          HnswIndex.openOrBuild(
              vectors,
              dir,
              new HnswIndex.Parameters(16, 100, quantize, 2),
              threads,
              Progress.Factory.NONE,
              outcome)) {
        size = built.size();
      }
    }
    if (size != docs) {
      throw new IllegalStateException(
          "IndexBuildBenchmark: wrong answer: " + size + " documents indexed of " + docs);
    }
    counter.documents += docs;
    return size;
  }
}
