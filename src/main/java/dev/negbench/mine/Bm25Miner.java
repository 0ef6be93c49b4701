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
    boolean top = settings.sampling() == MiningSettings.Sampling.TOP;
    int wanted = top ? settings.numNegatives() : settings.rangeMax();
    // For "top", the first N non-positives from range-min on lie within range-min - 1 + N + (number
    // of positives) ranks: Lucene is asked for that many hits, not range-max. Its top k is the
    // prefix of any deeper top (score, then document number), so the negatives are the same, and
    // a shallow top k lets Lucene skip more of the postings than the top 100 does.
    int depth = top ? (int) Math.min(settings.rangeMax(), settings.rangeMin() - 1L + wanted + positiveDocs.length) : settings.rangeMax();
    // Candidates as document numbers, ranks and scores: ids (a random read each in a corpus of
    // millions) are looked up only for the negatives picked.
    int[] docs = new int[Math.min(wanted, depth)];
    int[] ranks = new int[docs.length];
    float[] scores = new float[docs.length];
    int[] count = {0};
    searcher.forEachHit(
        query.text(),
        depth,
        query.id(),
        (doc, score, rank) -> {
          if (rank >= settings.rangeMin() && !contains(positiveDocs, doc)) {
            int c = count[0]++;
            docs[c] = doc;
            ranks[c] = rank;
            scores[c] = score;
          }
          return count[0] < wanted;
        });
    int[] picked = settings.pickIndices(count[0], query.id());
    List<Negative> negatives = new ArrayList<>(picked.length);
    for (int i : picked) {
      negatives.add(new Negative(searcher.index().docId(docs[i]), ranks[i], scores[i]));
    }
    return new HardNegatives(query.id(), query.text(), List.copyOf(positiveIds), List.copyOf(negatives));
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
