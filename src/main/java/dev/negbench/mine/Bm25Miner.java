package dev.negbench.mine;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.Query;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * BM25 hard-negative mining: retrieve the query's top {@code rangeMax} documents (its own id left
 * out) and keep non-positives in the rank range, as {@link MiningSettings} says.
 */
public final class Bm25Miner implements NegativeSource {
  private static final int BATCH = 8;

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
    return mine(List.of(query), List.of(positiveIds)).get(0);
  }

  /**
   * Queries looked up together: enough independent reads to keep the processor's misses overlapped.
   */
  @Override
  public int batchSize() {
    return BATCH;
  }

  @Override
  public List<HardNegatives> mine(List<Query> queries, List<Set<String>> positiveIds) {
    // Positives are matched by document number (see Bm25Searcher.Hit). The batch's own query ids
    // (left out of their hits) and positives are looked up in one pass over the id table: at a
    // million documents each lookup is a random read, and one after another they had cost mining
    // a twentieth of the search's time.
    int n = queries.size();
    String[][] positives = new String[n][];
    int idCount = n;
    for (int q = 0; q < n; q++) {
      positives[q] = positiveIds.get(q).toArray(String[]::new);
      idCount += positives[q].length;
    }
    String[] ids = new String[idCount];
    for (int q = 0, next = n; q < n; q++) {
      ids[q] = queries.get(q).id();
      System.arraycopy(positives[q], 0, ids, next, positives[q].length);
      next += positives[q].length;
    }
    int[] docs = searcher.index().luceneDocs(ids);
    List<HardNegatives> rows = new ArrayList<>(n);
    for (int q = 0, next = n; q < n; q++) {
      int[] positiveDocs = Arrays.copyOfRange(docs, next, next + positives[q].length);
      next += positives[q].length;
      rows.add(mine(queries.get(q), positives[q], docs[q], positiveDocs));
    }
    return rows;
  }

  private HardNegatives mine(Query query, String[] positives, int ownDoc, int[] positiveDocs) {
    Bm25Index index = searcher.index();
    // "top" needs only the first N candidates; "random" samples from all of them.
    boolean top = settings.sampling() == MiningSettings.Sampling.TOP;
    int wanted = top ? settings.numNegatives() : settings.rangeMax();
    // For "top", the first N non-positives from range-min on lie within range-min - 1 + N + (number
    // of positives) ranks: Lucene is asked for that many hits, not range-max. Its top k is the
    // prefix of any deeper top (score, then document number), so the negatives are the same, and
    // a shallow top k lets Lucene skip more of the postings than the top 100 does.
    int depth =
        top
            ? (int)
                Math.min(settings.rangeMax(), settings.rangeMin() - 1L + wanted + positives.length)
            : settings.rangeMax();
    // Candidates as document numbers, ranks and scores: ids (a random read each in a corpus of
    // millions) are looked up only for the negatives picked.
    int[] docs = new int[Math.min(wanted, depth)];
    int[] ranks = new int[docs.length];
    float[] scores = new float[docs.length];
    int[] count = {0};
    searcher.forEachHit(
        query.text(),
        depth,
        ownDoc,
        (doc, score, rank) -> {
          if (rank >= settings.rangeMin() && !isPositive(doc, positiveDocs)) {
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
    Negative[] negatives = new Negative[picked.length];
    for (int j = 0; j < picked.length; j++) {
      negatives[j] = new Negative(pickedIds[j], ranks[picked[j]], scores[picked[j]]);
    }
    return new HardNegatives(query.id(), query.text(), List.of(positives), List.of(negatives));
  }

  /** Whether {@code doc} is one of the positives' documents. */
  private static boolean isPositive(int doc, int[] positiveDocs) {
    for (int p : positiveDocs) {
      if (p == doc) {
        return true;
      }
    }
    return false;
  }
}
