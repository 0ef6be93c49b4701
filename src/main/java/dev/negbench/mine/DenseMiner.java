package dev.negbench.mine;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.Query;
import dev.negbench.io.Progress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dense hard-negative mining: retrieve the query's top {@code rangeMax} documents by embedding
 * similarity (its own id left out) and keep non-positives in the rank range, as {@link
 * MiningSettings} says. Query embeddings are computed beforehand, in batches, by the caller, and
 * every query is searched at construction, in blocks (the corpus read once per block of queries).
 */
public final class DenseMiner implements NegativeSource {
  private final DenseSearcher searcher;
  private final Map<String, List<DenseSearcher.Hit>> hits;
  private final MiningSettings settings;

  /**
   * Searches the top {@code settings.rangeMax()} of every query up front, in blocks on {@code
   * threads} threads ({@link DenseSearcher#searchAll}); {@code vectors[i]} embeds {@code
   * queries.get(i)}.
   */
  public DenseMiner(
      DenseSearcher searcher,
      List<Query> queries,
      float[][] vectors,
      MiningSettings settings,
      int threads,
      Progress.Factory progress) {
    this.searcher = searcher;
    this.settings = settings;
    List<List<DenseSearcher.Hit>> found =
        searcher.searchAll(queries, vectors, settings.rangeMax(), threads, progress);
    this.hits = new HashMap<>(queries.size() * 2);
    for (int i = 0; i < queries.size(); i++) {
      hits.put(queries.get(i).id(), found.get(i));
    }
  }

  @Override
  public String name() {
    return "dense";
  }

  @Override
  public HardNegatives mine(Query query, Set<String> positiveIds) {
    List<DenseSearcher.Hit> top = hits.get(query.id());
    if (top == null) {
      throw new IllegalStateException("no embedding for query " + query.id());
    }
    List<Negative> candidates = new ArrayList<>();
    for (DenseSearcher.Hit h : top) {
      String docId = searcher.corpus().docId(h.row());
      if (h.rank() >= settings.rangeMin() && !positiveIds.contains(docId)) {
        candidates.add(new Negative(docId, h.rank(), h.score()));
      }
    }
    return new HardNegatives(
        query.id(),
        query.text(),
        List.copyOf(positiveIds),
        settings.pickFromCandidates(candidates, query.id()));
  }
}
