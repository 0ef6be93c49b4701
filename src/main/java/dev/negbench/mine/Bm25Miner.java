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
    // Each is known by the documents that share its id's hash (nearly always itself alone), and
    // confirmed by comparing ids only if BM25 retrieves it: a positive it does not retrieve costs
    // no read of its id.
    Bm25Index index = searcher.index();
    String[] positives = positiveIds.toArray(String[]::new);
    int[][] hashMatches = new int[positives.length][];
    for (int i = 0; i < positives.length; i++) {
      hashMatches[i] = index.docsWithHashOf(positives[i]);
    }
    // "top" needs only the first N candidates; "random" samples from all of them.
    boolean top = settings.sampling() == MiningSettings.Sampling.TOP;
    int wanted = top ? settings.numNegatives() : settings.rangeMax();
    // For "top", the first N non-positives from range-min on lie within range-min - 1 + N + (number
    // of positives) ranks: Lucene is asked for that many hits, not range-max. Its top k is the
    // prefix of any deeper top (score, then document number), so the negatives are the same, and
    // a shallow top k lets Lucene skip more of the postings than the top 100 does.
    int depth = top ? (int) Math.min(settings.rangeMax(), settings.rangeMin() - 1L + wanted + positiveIds.size()) : settings.rangeMax();
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
          if (rank >= settings.rangeMin() && !isPositive(index, doc, positives, hashMatches)) {
            int c = count[0]++;
            docs[c] = doc;
            ranks[c] = rank;
            scores[c] = score;
          }
          return count[0] < wanted;
        });
    int[] picked = settings.pickIndices(count[0], query.id());
    // The picked ids first, in a loop of independent reads the processor overlaps (each is a
    // random read at a million documents), then the negatives.
    String[] pickedIds = new String[picked.length];
    for (int j = 0; j < picked.length; j++) {
      pickedIds[j] = index.docId(docs[picked[j]]);
    }
    List<Negative> negatives = new ArrayList<>(picked.length);
    for (int j = 0; j < picked.length; j++) {
      negatives.add(new Negative(pickedIds[j], ranks[picked[j]], scores[picked[j]]));
    }
    return new HardNegatives(query.id(), query.text(), List.copyOf(positiveIds), List.copyOf(negatives));
  }

  /** Whether {@code doc} is one of the positives: its hash matched one, and so does its id. */
  private static boolean isPositive(Bm25Index index, int doc, String[] positives, int[][] hashMatches) {
    for (int i = 0; i < positives.length; i++) {
      for (int match : hashMatches[i]) {
        if (match == doc && index.docId(doc).equals(positives[i])) {
          return true;
        }
      }
    }
    return false;
  }
}
