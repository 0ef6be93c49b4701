package dev.negbench.mine;

import dev.negbench.data.Query;
import dev.negbench.data.RunEntry;
import dev.negbench.io.Parallel;
import dev.negbench.io.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact dense retrieval: every document's score is the inner product of its embedding with the
 * query's (cosine similarity, both being normalised), and the best {@code k} are kept in a bounded
 * min-heap per query. Ties break by corpus order. Thread-safe.
 *
 * <p>Queries are scored in blocks of {@value #QUERY_BLOCK} against tiles of {@value #TILE}
 * documents: a tile is copied once from the (memory-mapped) embeddings into arrays that stay in the
 * core's cache while every query of the block is scored against it ({@link TileScores}: 4 x 4
 * register blocks on the Vector API), so the corpus streams from memory once per block of queries
 * instead of once per query; threads split the corpus, not the queries. The exact result is the
 * oracle for the approximate index ({@link HnswIndex}).
 */
public final class DenseSearcher {
  /** Queries scored together against each tile: the corpus is read once per block. */
  static final int QUERY_BLOCK = 128;

  /** Queries a thread takes at a time from an HNSW search. */
  static final int HNSW_BLOCK = 4;

  /** Documents per tile: 256 x 384 floats is 384 KiB, inside a core's L2 cache. */
  static final int TILE = 256;

  private final DenseEmbeddings corpus;
  private final HnswIndex hnsw;

  /** Exact search. */
  public DenseSearcher(DenseEmbeddings corpus) {
    this(corpus, null);
  }

  /** Search through {@code hnsw} when it is not null (candidates rescored exactly), else exact. */
  public DenseSearcher(DenseEmbeddings corpus, HnswIndex hnsw) {
    this.corpus = corpus;
    this.hnsw = hnsw;
  }

  public DenseEmbeddings corpus() {
    return corpus;
  }

  /** "exact" or "hnsw". */
  public String method() {
    return hnsw == null ? "exact" : "hnsw";
  }

  /** One retrieved document: its row in the corpus embeddings, score and 1-based rank. */
  public record Hit(int row, float score, int rank) {}

  /**
   * The top {@code k} documents for a query embedding, best first. A hit whose id equals {@code
   * excludeId} is left out and the ranks close up (Anserini's {@code -removeQuery}, as BM25 search
   * does); pass null to keep every hit.
   */
  public List<Hit> search(float[] query, int k, String excludeId) {
    return search(new float[][] {query}, k, new String[] {excludeId}).get(0);
  }

  /** {@link #search} for several queries at once: {@code excludeIds[i]} for {@code queries[i]}. */
  public List<List<Hit>> search(float[][] queries, int k, String[] excludeIds) {
    int[] excluded = excludedRows(queries, excludeIds);
    return hnsw != null ? hnsw.search(corpus, queries, k, excluded) : exact(queries, k, excluded);
  }

  /** The exact top k of each query, blocks of queries against tiles of documents, on one thread. */
  List<List<Hit>> exact(float[][] queries, int k, int[] excluded) {
    return exact(queries, k, excluded, 1, Progress.NONE);
  }

  /**
   * The exact top k of each query: blocks of {@value #QUERY_BLOCK} queries, each scanned against
   * the corpus cut into {@code threads} contiguous ranges of rows scanned at once (so one block
   * streams the corpus from memory once, whatever the thread count), the ranges' heaps merged.
   */
  List<List<Hit>> exact(float[][] queries, int k, int[] excluded, int threads, Progress progress) {
    List<List<Hit>> out = new ArrayList<>(queries.length);
    int parts = Math.max(1, Math.min(threads, (corpus.size() + TILE - 1) / TILE));
    List<Integer> ranges = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      ranges.add(p);
    }
    for (int from = 0; from < queries.length; from += QUERY_BLOCK) {
      int block = from;
      int count = Math.min(QUERY_BLOCK, queries.length - from);
      List<TopK[]> partial =
          Parallel.map(
              ranges,
              parts,
              Progress.NONE,
              p ->
                  scan(
                      queries,
                      block,
                      count,
                      k,
                      excluded,
                      (int) ((long) corpus.size() * p / parts),
                      (int) ((long) corpus.size() * (p + 1) / parts)));
      for (int q = 0; q < count; q++) {
        TopK merged = partial.get(0)[q];
        for (int p = 1; p < parts; p++) {
          partial.get(p)[q].drainInto(merged);
        }
        out.add(merged.hits());
      }
      progress.advance(count);
    }
    return out;
  }

  /** The best hits of rows [first, last) for queries [from, from + count). */
  private TopK[] scan(
      float[][] queries, int from, int count, int k, int[] excluded, int first, int last) {
    int dim = corpus.dim();
    float[][] tile = new float[TILE][dim];
    float[] scores = new float[count * TILE];
    TopK[] tops = new TopK[count];
    for (int q = 0; q < count; q++) {
      tops[q] = new TopK(Math.min(k, corpus.size() - (excluded[from + q] >= 0 ? 1 : 0)));
    }
    for (int start = first; start < last; start += TILE) {
      int rows = Math.min(TILE, last - start);
      for (int r = 0; r < rows; r++) {
        corpus.copyRow(start + r, tile[r]);
      }
      TileScores.INSTANCE.scores(queries, from, count, tile, rows, dim, scores, TILE);
      for (int q = 0; q < count; q++) {
        TopK top = tops[q];
        int skip = excluded[from + q] - start;
        int at = q * TILE;
        for (int r = 0; r < rows; r++) {
          if (r != skip) {
            top.offer(start + r, scores[at + r]);
          }
        }
      }
    }
    return tops;
  }

  /** How the exact scan computes its inner products on this JVM (for logs and benchmarks). */
  public static String kernel() {
    return TileScores.INSTANCE.describe();
  }

  /**
   * Retrieves the top {@code k} for every query on {@code threads} threads, leaving out each
   * query's own id; {@code queryVectors[i]} is the embedding of {@code queries.get(i)}. The result
   * keeps the queries' order whatever the thread count.
   */
  public Map<String, List<RunEntry>> searchAll(
      List<Query> queries,
      float[][] queryVectors,
      int k,
      String tag,
      int threads,
      Progress.Factory progress) {
    if (queries.size() != queryVectors.length) {
      throw new IllegalArgumentException(
          queries.size() + " queries but " + queryVectors.length + " embeddings");
    }
    List<List<Hit>> hits = searchAll(queries, queryVectors, k, threads, progress);
    Map<String, List<RunEntry>> run = new LinkedHashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      Query q = queries.get(i);
      List<RunEntry> entries = new ArrayList<>(hits.get(i).size());
      for (Hit h : hits.get(i)) {
        entries.add(new RunEntry(q.id(), corpus.docId(h.row()), h.rank(), h.score(), tag));
      }
      run.put(q.id(), entries);
    }
    return run;
  }

  /**
   * The hits of every query, leaving out each query's own id, in query order, on {@code threads}
   * threads.
   */
  public List<List<Hit>> searchAll(
      List<Query> queries, float[][] queryVectors, int k, int threads, Progress.Factory progress) {
    String[] exclude = new String[queries.size()];
    for (int i = 0; i < exclude.length; i++) {
      exclude[i] = queries.get(i).id();
    }
    try (Progress bar = progress.start("Dense search (" + method() + ")", queries.size())) {
      if (hnsw == null) {
        int[] excluded = excludedRows(queryVectors, exclude);
        return exact(queryVectors, k, excluded, threads, bar);
      }
      // HNSW: each query is its own graph search, so small blocks keep every thread busy.
      List<Integer> blocks = new ArrayList<>();
      for (int from = 0; from < queries.size(); from += HNSW_BLOCK) {
        blocks.add(from);
      }
      List<List<List<Hit>>> results =
          Parallel.map(
              blocks,
              threads,
              Progress.NONE,
              from -> {
                int to = Math.min(queries.size(), from + HNSW_BLOCK);
                List<List<Hit>> found =
                    search(
                        Arrays.copyOfRange(queryVectors, from, to),
                        k,
                        Arrays.copyOfRange(exclude, from, to));
                bar.advance(to - from);
                return found;
              });
      List<List<Hit>> all = new ArrayList<>(queries.size());
      results.forEach(all::addAll);
      return all;
    }
  }

  private int[] excludedRows(float[][] queries, String[] excludeIds) {
    int[] excluded = new int[queries.length];
    for (int i = 0; i < queries.length; i++) {
      if (queries[i].length != corpus.dim() && corpus.size() > 0) {
        throw new IllegalArgumentException(
            "query embedding has " + queries[i].length + " dimensions, the corpus " + corpus.dim());
      }
      excluded[i] = excludeIds[i] == null ? -1 : corpus.row(excludeIds[i]);
    }
    return excluded;
  }

  /** A bounded min-heap of the best hits so far: the root is the worst kept hit. */
  static final class TopK {
    private final int[] rows;
    private final float[] scores;
    private int size;

    TopK(int cap) {
      rows = new int[Math.max(0, cap)];
      scores = new float[Math.max(0, cap)];
    }

    void offer(int row, float score) {
      if (size == rows.length && size > 0 && score < scores[0]) {
        return; // the common case once the heap is full: below the worst kept hit
      }
      if (size < rows.length) {
        rows[size] = row;
        scores[size] = score;
        siftUp(rows, scores, size++);
      } else if (size > 0 && worse(scores[0], rows[0], score, row)) {
        rows[0] = row;
        scores[0] = score;
        siftDown(rows, scores, size);
      }
    }

    /** Offers every kept hit to {@code other} (merging two heaps over disjoint rows). */
    void drainInto(TopK other) {
      for (int i = 0; i < size; i++) {
        other.offer(rows[i], scores[i]);
      }
    }

    /** The kept hits, best first, ranked from 1; empties the heap. */
    List<Hit> hits() {
      Hit[] hits = new Hit[size];
      for (int i = size - 1; i >= 0; i--) {
        hits[i] = new Hit(rows[0], scores[0], i + 1);
        rows[0] = rows[i];
        scores[0] = scores[i];
        siftDown(rows, scores, i);
      }
      size = 0;
      return List.of(hits);
    }
  }

  /**
   * True when hit (s1, r1) ranks below (s2, r2): a lower score, or an equal one later in the
   * corpus.
   */
  private static boolean worse(float s1, int r1, float s2, int r2) {
    return s1 < s2 || (s1 == s2 && r1 > r2);
  }

  private static void siftUp(int[] rows, float[] scores, int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(scores[i], rows[i], scores[parent], rows[parent])) {
        return;
      }
      swap(rows, scores, i, parent);
      i = parent;
    }
  }

  private static void siftDown(int[] rows, float[] scores, int size) {
    int i = 0;
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        return;
      }
      int worst = left;
      int right = left + 1;
      if (right < size && worse(scores[right], rows[right], scores[left], rows[left])) {
        worst = right;
      }
      if (!worse(scores[worst], rows[worst], scores[i], rows[i])) {
        return;
      }
      swap(rows, scores, i, worst);
      i = worst;
    }
  }

  private static void swap(int[] rows, float[] scores, int a, int b) {
    int r = rows[a];
    rows[a] = rows[b];
    rows[b] = r;
    float s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
  }
}
