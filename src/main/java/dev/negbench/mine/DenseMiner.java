package dev.negbench.mine;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dense hard-negative mining: retrieve the query's top {@code rangeMax} documents by embedding
 * similarity (its own id left out) and keep non-positives in the rank range, as {@link
 * MiningSettings} says. Query embeddings are computed beforehand, in batches, by the caller.
 */
public final class DenseMiner implements NegativeSource {
  private final DenseSearcher searcher;
  private final Map<String, float[]> queryVectors;
  private final MiningSettings settings;

  public DenseMiner(DenseSearcher searcher, Map<String, float[]> queryVectors, MiningSettings settings) {
    this.searcher = searcher;
    this.queryVectors = queryVectors;
    this.settings = settings;
  }

  @Override
  public String name() {
    return "dense";
  }

  @Override
  public HardNegatives mine(Query query, Set<String> positiveIds) {
    float[] vector = queryVectors.get(query.id());
    if (vector == null) {
      throw new IllegalStateException("no embedding for query " + query.id());
    }
    List<Negative> candidates = new ArrayList<>();
    for (DenseSearcher.Hit h : searcher.search(vector, settings.rangeMax(), query.id())) {
      String docId = searcher.corpus().docId(h.row());
      if (h.rank() >= settings.rangeMin() && !positiveIds.contains(docId)) {
        candidates.add(new Negative(docId, h.rank(), h.score()));
      }
    }
    return new HardNegatives(
        query.id(), query.text(), List.copyOf(positiveIds), settings.pickFromCandidates(candidates, query.id()));
  }
}
