package dev.negbench.mine;

import dev.negbench.data.Query;
import dev.negbench.data.RunEntry;
import dev.negbench.io.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.VectorUtil;

/**
 * Exact dense retrieval: every document's score is the inner product of its embedding with the
 * query's (cosine similarity, both being normalised), and the best {@code k} are kept in a bounded
 * min-heap. A brute-force scan is exact and, at BEIR's corpus sizes, fast: SciFact's 5,183 x 384
 * floats are 2 million multiply-adds per query. Ties break by corpus order. Thread-safe.
 */
public final class DenseSearcher {
  private final DenseEmbeddings corpus;

  public DenseSearcher(DenseEmbeddings corpus) {
    this.corpus = corpus;
  }

  public DenseEmbeddings corpus() {
    return corpus;
  }

  /** One retrieved document: its row in the corpus embeddings, score and 1-based rank. */
  public record Hit(int row, float score, int rank) {}

  /**
   * The top {@code k} documents for a query embedding, best first. A hit whose id equals {@code
   * excludeId} is left out and the ranks close up (Anserini's {@code -removeQuery}, as BM25
   * search does); pass null to keep every hit.
   */
  public List<Hit> search(float[] query, int k, String excludeId) {
    if (query.length != corpus.dim() && corpus.size() > 0) {
      throw new IllegalArgumentException("query embedding has " + query.length + " dimensions, the corpus " + corpus.dim());
    }
    int excluded = excludeId == null ? -1 : corpus.row(excludeId);
    int n = corpus.size();
    int cap = Math.min(k, n - (excluded >= 0 ? 1 : 0));
    if (cap <= 0) {
      return List.of();
    }
    // Min-heap of the best so far: the root is the worst kept hit.
    int[] rows = new int[cap];
    float[] scores = new float[cap];
    int size = 0;
    float[][] vectors = corpus.vectors();
    for (int d = 0; d < n; d++) {
      if (d == excluded) {
        continue;
      }
      float s = VectorUtil.dotProduct(query, vectors[d]);
      if (size < cap) {
        rows[size] = d;
        scores[size] = s;
        siftUp(rows, scores, size++);
      } else if (worse(scores[0], rows[0], s, d)) {
        rows[0] = d;
        scores[0] = s;
        siftDown(rows, scores, size);
      }
    }
    Hit[] hits = new Hit[size];
    for (int i = size - 1; i >= 0; i--) {
      hits[i] = new Hit(rows[0], scores[0], i + 1);
      rows[0] = rows[i];
      scores[0] = scores[i];
      siftDown(rows, scores, i);
    }
    return List.of(hits);
  }

  /**
   * Retrieves the top {@code k} for every query on {@code threads} threads, leaving out each
   * query's own id; {@code queryVectors[i]} is the embedding of {@code queries.get(i)}. The result
   * keeps the queries' order whatever the thread count.
   */
  public Map<String, List<RunEntry>> searchAll(
      List<Query> queries, float[][] queryVectors, int k, String tag, int threads, Progress.Factory progress) {
    if (queries.size() != queryVectors.length) {
      throw new IllegalArgumentException(queries.size() + " queries but " + queryVectors.length + " embeddings");
    }
    return Runs.retrieve(
        "Dense search",
        queries,
        threads,
        progress,
        i -> {
          Query q = queries.get(i);
          List<Hit> hits = search(queryVectors[i], k, q.id());
          List<RunEntry> entries = new ArrayList<>(hits.size());
          for (Hit h : hits) {
            entries.add(new RunEntry(q.id(), corpus.docId(h.row()), h.rank(), h.score(), tag));
          }
          return entries;
        });
  }

  /** True when hit (s1, r1) ranks below (s2, r2): a lower score, or an equal one later in the corpus. */
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
