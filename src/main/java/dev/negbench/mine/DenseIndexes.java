package dev.negbench.mine;

import dev.negbench.io.Progress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which dense index a search uses, one rule for the CLI ({@code --index}) and the experiment
 * ({@code dense_index:} on a dense source and in {@code evaluation}): {@code exact}, {@code hnsw},
 * or {@code auto} (the default): HNSW from {@value #HNSW_THRESHOLD} documents when at least {@value
 * #HNSW_MIN_QUERIES} queries are searched, else exact.
 *
 * <p>Why the number of queries: the graph is built for each set of embeddings (each trained model
 * has its own), and building it costs as much as the exact scan of {@value #HNSW_MIN_QUERIES}
 * queries, about the same at any corpus size, since both grow with the corpus
 * (docs/results/million-documents.md has the measurements). A BEIR evaluation (at most some
 * thousands of test queries) is faster exact at every corpus size; mining the train queries of MS
 * MARCO is faster on HNSW.
 */
public final class DenseIndexes {
  /** The corpus size from which {@code auto} picks HNSW (for enough queries). */
  public static final int HNSW_THRESHOLD = 500_000;

  /**
   * The number of queries from which building the graph pays for itself: the exact scan of this
   * many queries takes as long as the build, measured at 1,000,000 documents.
   */
  public static final int HNSW_MIN_QUERIES = 80_000;

  private DenseIndexes() {}

  /**
   * Whether {@code setting} (exact, hnsw, auto; null is auto) means HNSW for {@code queries}
   * queries over a corpus of {@code documents}.
   */
  public static boolean useHnsw(String setting, int documents, int queries) {
    return switch (setting == null ? "auto" : setting.strip().toLowerCase(Locale.ROOT)) {
      case "exact" -> false;
      case "hnsw" -> true;
      case "auto" -> documents >= HNSW_THRESHOLD && queries >= HNSW_MIN_QUERIES;
      default ->
          throw new IllegalArgumentException(
              "the dense index must be exact, hnsw or auto, was '" + setting + "'");
    };
  }

  /** True for exact, hnsw, auto and null. */
  public static boolean isValid(String setting) {
    try {
      useHnsw(setting, 0, 0);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A searcher over {@code corpus} for {@code queries} queries as {@code setting} says; an HNSW
   * index with Lucene's default parameters is opened or built under {@code workDir/indexes}, named
   * by the embeddings' SHA-256. Close it when done (it holds the index open).
   */
  public static Searcher open(
      String setting,
      DenseEmbeddings corpus,
      int queries,
      Path workDir,
      int threads,
      Progress.Factory progress) {
    if (!useHnsw(setting, corpus.size(), queries)) {
      return new Searcher(new DenseSearcher(corpus), null);
    }
    HnswIndex.Parameters p = HnswIndex.Parameters.DEFAULT;
    Path dir =
        workDir
            .resolve("indexes")
            .resolve(
                "hnsw-"
                    + corpus.sha256().substring(0, 16)
                    + "-m"
                    + p.m()
                    + "-b"
                    + p.beamWidth()
                    + "-"
                    + p.quantize());
    HnswIndex hnsw =
        HnswIndex.openOrBuild(corpus, dir, p, threads, progress, new AtomicReference<>());
    return new Searcher(new DenseSearcher(corpus, hnsw), hnsw);
  }

  /** A searcher and the index it holds open (null for exact search). */
  public record Searcher(DenseSearcher searcher, HnswIndex index) implements AutoCloseable {
    @Override
    public void close() {
      if (index != null) {
        index.close();
      }
    }
  }
}
