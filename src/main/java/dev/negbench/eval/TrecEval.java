package dev.negbench.eval;

import dev.negbench.data.Qrels;
import dev.negbench.data.RankedList;
import dev.negbench.data.TrecRun;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a run against qrels with the semantics of {@code trec_eval -c} (current
 * usnistgov/trec_eval source), so that {@code ndcg@10}, {@code recall@100}, {@code mrr} and {@code
 * map} equal {@code trec_eval -c -m ndcg_cut.10 -m recall.100 -m recip_rank -m map} per query and
 * in the mean.
 *
 * <ul>
 *   <li>Ranking: the run's rank column is ignored; hits are ordered by score, highest first, ties
 *       by document id in descending byte order (form_res_rels.c, comp_sim_docno).
 *   <li>Relevance: a grade above 0 is relevant (trec_eval's default relevance level 1); a grade of
 *       0 or below, or no judgment, is non-relevant. Negative grades count neither as relevant nor
 *       towards the ideal ranking, as trec_eval treats them as "in pool, unjudged".
 *   <li>Queries: every query of the qrels is evaluated and averaged, in qrels file order ({@code
 *       -c}); one without hits in the run scores 0 on every metric. A qrels query with no relevant
 *       document (all grades 0 or below) is kept and scores 0: get_qrels.c drops no query, and with
 *       {@code -c} trec_eval.c evaluates and counts every qrels query (its CHANGELOG, 4/5/06: only
 *       "very old versions" ignored queries without relevant documents). Run queries absent from
 *       the qrels are ignored.
 *   <li>A document listed twice for one query is an error ({@link IllegalArgumentException} naming
 *       the query and the document), as trec_eval stops with "duplicate docs".
 * </ul>
 *
 * <p>Two differences from older trec_eval builds, which some published numbers come from: they
 * stored run scores as C floats, so scores equal to about seven significant digits (12.345678 and
 * 12.345679) tie there and fall back to the document id order; and their ndcg_cut discounted rank r
 * by log2(r) for r &gt;= 2 rather than log2(r + 1).
 */
public final class TrecEval {
  private static final double LN_2 = Math.log(2);
  // log2(i + 2) for 0-based rank i, precomputed for the cutoffs that matter in practice.
  private static final double[] LOG2_RANK_PLUS_ONE = new double[1024];

  static {
    for (int i = 0; i < LOG2_RANK_PLUS_ONE.length; i++) {
      LOG2_RANK_PLUS_ONE[i] = Math.log(i + 2) / LN_2;
    }
  }

  private TrecEval() {}

  /**
   * Evaluates {@code run} against {@code qrels} on {@code metrics}.
   *
   * @throws IllegalArgumentException when no metric is given or one is given twice, when the qrels
   *     hold no query (there is nothing to average; trec_eval fails too), or when the run lists a
   *     document twice for a query of the qrels
   */
  public static EvaluationResult evaluate(Qrels qrels, TrecRun run, List<Metric> metrics) {
    QueryScorer scorer = new QueryScorer(qrels, metrics);
    for (String queryId : scorer.queryIds()) {
      RankedList hits = run.hits(queryId);
      if (hits != null) {
        scorer.score(queryId, hits.docIds(), hits.scores());
      }
    }
    return scorer.result();
  }

  /**
   * Scores queries one at a time into per-query values shared by its {@link #fork() forks}, so that
   * several threads can score the queries of one run (each query once). Queries absent from the
   * qrels are ignored; a qrels query never scored counts 0 ({@code -c}).
   */
  static final class QueryScorer {
    private final List<Metric> metrics;
    private final Metric[] wanted;
    private final List<String> queryIds;
    private final Map<String, Integer> index;
    private final Qrels qrels;
    private final double[][] values;
    private final boolean[] scored;
    private final int depth;
    private final boolean needsIdeal;
    private final TrecOrder trecOrder = new TrecOrder();
    private int[] grades = new int[64];
    private int[] idealGrades = new int[16];

    QueryScorer(Qrels qrels, List<Metric> metrics) {
      if (metrics.isEmpty()) {
        throw new IllegalArgumentException("no metric requested");
      }
      Metric.requireDistinct(metrics);
      this.queryIds = List.copyOf(qrels.queryIds());
      if (queryIds.isEmpty()) {
        throw new IllegalArgumentException("the qrels hold no query to evaluate");
      }
      this.metrics = metrics;
      this.qrels = qrels;
      this.wanted = metrics.toArray(Metric[]::new);
      // Cut metrics need only the top K hits ranked; a whole-ranking metric needs them all.
      int d = 0;
      boolean ideal = false;
      for (Metric m : wanted) {
        d = Math.max(d, m.hasCutoff() ? m.cutoff() : Integer.MAX_VALUE);
        ideal |= m.measure() == Metric.Measure.NDCG;
      }
      this.depth = d;
      this.needsIdeal = ideal;
      this.index = new HashMap<>(queryIds.size() * 2);
      for (int q = 0; q < queryIds.size(); q++) {
        index.put(queryIds.get(q), q);
      }
      this.values = new double[wanted.length][queryIds.size()];
      this.scored = new boolean[queryIds.size()];
    }

    private QueryScorer(QueryScorer shared) {
      this.metrics = shared.metrics;
      this.wanted = shared.wanted;
      this.queryIds = shared.queryIds;
      this.index = shared.index;
      this.qrels = shared.qrels;
      this.values = shared.values;
      this.scored = shared.scored;
      this.depth = shared.depth;
      this.needsIdeal = shared.needsIdeal;
    }

    /** A scorer with its own scratch space writing into the same values, for another thread. */
    QueryScorer fork() {
      return new QueryScorer(this);
    }

    List<String> queryIds() {
      return queryIds;
    }

    /** Qrels queries that have not been scored: no hits in the run. */
    int unscored() {
      int n = 0;
      for (boolean s : scored) {
        n += s ? 0 : 1;
      }
      return n;
    }

    /**
     * Scores one query's hits (ignored when the qrels do not hold the query).
     *
     * @throws IllegalArgumentException when a document occurs twice among the hits
     */
    void score(String queryId, String[] docIds, double[] scores) {
      Integer q = index.get(queryId);
      if (q == null || docIds.length == 0) {
        return; // -c: a qrels query without hits scores 0 (trec_eval.c's bogus ranking)
      }
      scored[q] = true;
      int[] order = trecOrder.rank(queryId, docIds, scores, depth);
      Map<String, Integer> judged = qrels.judgments(queryId);
      int numRel = 0;
      for (int grade : judged.values()) {
        if (grade > 0) {
          if (numRel == idealGrades.length) {
            idealGrades = Arrays.copyOf(idealGrades, numRel * 2);
          }
          idealGrades[numRel++] = grade;
        }
      }
      if (numRel == 0) {
        return; // nothing relevant: every metric here is 0, as in trec_eval
      }
      if (needsIdeal) {
        sortDescending(idealGrades, numRel);
      }
      int retrieved = Math.min(depth, docIds.length);
      if (grades.length < retrieved) {
        grades = new int[Math.max(retrieved, grades.length * 2)];
      }
      for (int i = 0; i < retrieved; i++) {
        Integer grade = judged.get(docIds[order[i]]);
        grades[i] = grade == null ? 0 : grade;
      }
      for (int m = 0; m < wanted.length; m++) {
        values[m][q] = TrecEval.score(wanted[m], grades, retrieved, idealGrades, numRel);
      }
    }

    EvaluationResult result() {
      return new EvaluationResult(metrics, queryIds, values);
    }
  }

  /**
   * One metric for one query with at least one relevant document.
   *
   * @param grades grades of the ranked hits, best first; 0 for unjudged
   * @param retrieved how many of {@code grades} are valid: min(depth, hits)
   * @param idealGrades the positive qrels grades, highest first
   * @param numRel how many of {@code idealGrades} are valid: the number of relevant documents
   */
  private static double score(
      Metric metric, int[] grades, int retrieved, int[] idealGrades, int numRel) {
    int k = metric.hasCutoff() ? Math.min(metric.cutoff(), retrieved) : retrieved;
    return switch (metric.measure()) {
      case NDCG -> {
        // m_ndcg_cut.c: gain is the grade itself (not 2^grade - 1), discounted by log2(rank + 1)
        // for 1-based rank; the ideal ranking is cut at K but not at the number retrieved.
        double dcg = 0;
        for (int i = 0; i < k; i++) {
          if (grades[i] > 0) {
            dcg += grades[i] / log2RankPlusOne(i);
          }
        }
        int idealK = metric.hasCutoff() ? Math.min(metric.cutoff(), numRel) : numRel;
        double idealDcg = 0;
        for (int i = 0; i < idealK; i++) {
          idealDcg += idealGrades[i] / log2RankPlusOne(i);
        }
        yield dcg / idealDcg; // idealDcg > 0: numRel >= 1 and grades are positive
      }
      // m_recall.c: relevant retrieved in the top K over all relevant in the qrels.
      case RECALL -> (double) relevantIn(grades, k) / numRel;
      case MRR -> {
        // m_recip_rank.c, stopping at K for mrr@K.
        for (int i = 0; i < k; i++) {
          if (grades[i] > 0) {
            yield 1.0 / (i + 1);
          }
        }
        yield 0;
      }
      case MAP -> {
        // m_map_cut.c / m_map.c: precision at each relevant hit in the top K, summed, over all
        // relevant in the qrels (not over min(K, relevant)).
        double sum = 0;
        int relSoFar = 0;
        for (int i = 0; i < k; i++) {
          if (grades[i] > 0) {
            relSoFar++;
            sum += (double) relSoFar / (i + 1);
          }
        }
        yield sum / numRel;
      }
      // m_P.c: divided by K even when fewer than K hits were retrieved.
      case PRECISION -> (double) relevantIn(grades, k) / metric.cutoff();
      case SUCCESS -> relevantIn(grades, k) > 0 ? 1 : 0;
    };
  }

  private static int relevantIn(int[] grades, int k) {
    int count = 0;
    for (int i = 0; i < k; i++) {
      if (grades[i] > 0) {
        count++;
      }
    }
    return count;
  }

  /** log2(i + 2) for the 0-based rank i, i.e. log2 of the 1-based rank plus one. */
  private static double log2RankPlusOne(int i) {
    return i < LOG2_RANK_PLUS_ONE.length ? LOG2_RANK_PLUS_ONE[i] : Math.log(i + 2) / LN_2;
  }

  private static void sortDescending(int[] a, int n) {
    Arrays.sort(a, 0, n);
    for (int i = 0, j = n - 1; i < j; i++, j--) {
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
