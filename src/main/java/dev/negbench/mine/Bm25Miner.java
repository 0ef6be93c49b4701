package dev.negbench.mine;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * BM25 hard-negative mining: retrieve the query's top {@code rangeMax} documents (its own id left
 * out) and keep non-positives in the rank range, as {@link MiningSettings} says.
 */
public final class Bm25Miner implements NegativeSource {
  private final Bm25Searcher searcher;
  private final MiningSettings settings;

  public Bm25Miner(Bm25Searcher searcher, MiningSettings settings) {
    this.searcher = searcher;
    this.settings = settings;
  }

  @Override
  public String name() {
    return "bm25";
  }

  @Override
  public HardNegatives mine(Query query, Set<String> positiveIds) {
    // Positives are matched by document number (see Bm25Searcher.Hit): a query has few of them.
    int[] positiveDocs = new int[positiveIds.size()];
    int p = 0;
    for (String id : positiveIds) {
      positiveDocs[p++] = searcher.index().luceneDoc(id);
    }
    // "top" needs only the first N candidates; "random" samples from all of them.
    int wanted =
        settings.sampling() == MiningSettings.Sampling.TOP ? settings.numNegatives() : settings.rangeMax();
    List<Negative> candidates = new ArrayList<>(Math.min(wanted, 128));
    searcher.forEachHit(
        query.text(),
        settings.rangeMax(),
        query.id(),
        (doc, score, rank) -> {
          if (rank >= settings.rangeMin() && !contains(positiveDocs, doc)) {
            candidates.add(new Negative(searcher.index().docId(doc), rank, score));
          }
          return candidates.size() < wanted;
        });
    return new HardNegatives(
        query.id(), query.text(), List.copyOf(positiveIds), settings.pickFromCandidates(candidates, query.id()));
  }

  private static boolean contains(int[] docs, int doc) {
    for (int d : docs) {
      if (d == doc) {
        return true;
      }
    }
    return false;
  }
}
