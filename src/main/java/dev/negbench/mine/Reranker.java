package dev.negbench.mine;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Query;
import dev.negbench.data.RankedList;
import dev.negbench.data.RunEntry;
import dev.negbench.data.TrecRun;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import dev.negbench.model.QueryPassage;
import dev.negbench.model.Scorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Second-stage reranking (BEIR's "BM25 + CE" setting): each query's top {@code depth} hits of a
 * first-stage run, ordered by the run's score (higher first, file order among ties), rescored by a
 * cross-encoder on (query text, {@code title + " " + text}) pairs and ranked by that score; hits
 * below the depth are left out. All pairs go to the scorer in one call, so its length-bucketed
 * batches span queries. With a {@link ScoreFusion}, the hits are ranked by the cross-encoder's
 * scores fused with the run's own scores of the same hits, and the fused score is written. Several
 * {@link Ranking}s share one scoring: each pair is scored once and ranked once per ranking, which
 * is how a fusion weight is chosen on a development split at the cost of one rerank.
 */
public final class Reranker {
  /**
   * One ranking of the scored hits.
   *
   * @param fusion the fusion with the run's scores; null ranks by the cross-encoder alone
   * @param tag the run tag, the sixth column
   */
  public record Ranking(ScoreFusion fusion, String tag) {}

  /**
   * The reranked runs, one per {@link Ranking} in their order, and what was left out.
   *
   * @param runs query id to its reranked hits, one map per ranking
   */
  public record Result(
      List<Map<String, List<RunEntry>>> runs,
      long pairsScored,
      int queriesWithoutHits,
      int runQueriesOutsideSplit) {
    /** The first ranking's run: the only one when one ranking was asked for. */
    public Map<String, List<RunEntry>> run() {
      return runs.get(0);
    }
  }

  private Reranker() {}

  /**
   * Reranks {@code run} (read from {@code runFile}) for {@code queries} (a split's, in order),
   * every pair scored once and the hits ranked once per {@code rankings} entry (at least one); a
   * hit naming a document the corpus lacks is a {@link DatasetFormatException} on the run file.
   */
  public static Result rerank(
      BeirDataset dataset,
      List<Query> queries,
      TrecRun run,
      Path runFile,
      Scorer scorer,
      int depth,
      List<Ranking> rankings,
      Progress.Factory progress) {
    if (rankings.isEmpty()) {
      throw new IllegalArgumentException("no ranking asked for");
    }
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be at least 1, was " + depth);
    }
    Set<String> inSplit = new HashSet<>();
    Map<String, String[]> top = new LinkedHashMap<>();
    Map<String, double[]> firstStage = new HashMap<>();
    Set<String> needed = new HashSet<>();
    int withoutHits = 0;
    for (Query q : queries) {
      inSplit.add(q.id());
      RankedList hits = run.hits(q.id());
      if (hits == null || hits.size() == 0) {
        withoutHits++;
        continue;
      }
      int[] best = topByScore(hits, depth);
      String[] docs = new String[best.length];
      double[] firstScores = new double[best.length];
      for (int i = 0; i < best.length; i++) {
        docs[i] = hits.docIds()[best[i]];
        firstScores[i] = hits.scores()[best[i]];
      }
      top.put(q.id(), docs);
      firstStage.put(q.id(), firstScores);
      needed.addAll(Arrays.asList(docs));
    }
    int outside = 0;
    for (String q : run.queryIds()) {
      outside += inSplit.contains(q) ? 0 : 1;
    }
    Map<String, String> texts = new HashMap<>(needed.size() * 2);
    dataset.forEachDocument(
        d -> {
          if (needed.contains(d.id())) {
            texts.put(d.id(), d.contents());
          }
        });
    Map<String, String> queryText = new HashMap<>();
    queries.forEach(q -> queryText.put(q.id(), q.text()));
    List<QueryPassage> pairs = new ArrayList<>();
    for (var e : top.entrySet()) {
      for (String doc : e.getValue()) {
        String text = texts.get(doc);
        if (text == null) {
          throw new DatasetFormatException(
              runFile,
              0,
              "query "
                  + e.getKey()
                  + " has hit '"
                  + doc
                  + "', which is not in "
                  + dataset.corpusFile()
                  + "; expected a run over this dataset");
        }
        pairs.add(new QueryPassage(queryText.get(e.getKey()), text));
      }
    }
    float[] scores;
    try (Progress bar = progress.start("Reranking", pairs.size())) {
      scores = scorer.score(pairs, bar);
    }
    List<Map<String, List<RunEntry>>> runs = new ArrayList<>();
    for (Ranking ranking : rankings) {
      runs.add(rank(top, firstStage, scores, ranking));
    }
    return new Result(runs, pairs.size(), withoutHits, outside);
  }

  /** One ranking of every query's hits, {@code scores} in {@code top}'s order. */
  private static Map<String, List<RunEntry>> rank(
      Map<String, String[]> top,
      Map<String, double[]> firstStage,
      float[] scores,
      Ranking ranking) {
    Map<String, List<RunEntry>> out = new LinkedHashMap<>();
    int at = 0;
    for (var e : top.entrySet()) {
      String[] docs = e.getValue();
      double[] ranked = new double[docs.length];
      for (int i = 0; i < docs.length; i++) {
        ranked[i] = scores[at + i];
      }
      if (ranking.fusion() != null) {
        ranked = ranking.fusion().fuse(ranked, firstStage.get(e.getKey()));
      }
      Integer[] order = new Integer[docs.length];
      Arrays.setAll(order, i -> i);
      final double[] by = ranked;
      // Stable: equal scores keep the first stage's order, fused or not.
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -by[i]));
      List<RunEntry> entries = new ArrayList<>(docs.length);
      for (int r = 0; r < order.length; r++) {
        entries.add(new RunEntry(e.getKey(), docs[order[r]], r + 1, by[order[r]], ranking.tag()));
      }
      out.put(e.getKey(), entries);
      at += docs.length;
    }
    return out;
  }

  /**
   * The indices of the {@code depth} best-scored hits, higher score first, file order among ties.
   */
  static int[] topByScore(RankedList hits, int depth) {
    Integer[] order = new Integer[hits.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -hits.scores()[i]));
    int n = Math.min(depth, order.length);
    int[] best = new int[n];
    for (int i = 0; i < n; i++) {
      best[i] = order[i];
    }
    return best;
  }
}
