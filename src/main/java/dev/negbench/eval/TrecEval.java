package dev.negbench.eval;

import dev.negbench.data.Qrels;
import dev.negbench.data.RankedList;
import dev.negbench.data.TrecRun;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a run against qrels with the semantics of {@code trec_eval -c} (current
 * usnistgov/trec_eval source), so that {@code ndcg@10}, {@code recall@100}, {@code mrr} and
 * {@code map} equal {@code trec_eval -c -m ndcg_cut.10 -m recall.100 -m recip_rank -m map} per
 * query and in the mean.
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
 * 12.345679) tie there and fall back to the document id order; and their ndcg_cut discounted rank
 * r by log2(r) for r &gt;= 2 rather than log2(r + 1).
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
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("no metric requested");
    }
    Metric.requireDistinct(metrics);
    List<String> queryIds = List.copyOf(qrels.queryIds());
    if (queryIds.isEmpty()) {
      throw new IllegalArgumentException("the qrels hold no query to evaluate");
    }
    Metric[] wanted = metrics.toArray(Metric[]::new);
    // Cut metrics need only the top K hits ranked; a whole-ranking metric needs them all.
    int depth = 0;
    boolean needsIdeal = false;
    for (Metric m : wanted) {
      depth = Math.max(depth, m.hasCutoff() ? m.cutoff() : Integer.MAX_VALUE);
      needsIdeal |= m.measure() == Metric.Measure.NDCG;
    }

    double[][] values = new double[wanted.length][queryIds.size()];
    TrecOrder trecOrder = new TrecOrder();
    int[] grades = new int[64];
    int[] idealGrades = new int[16];
    for (int q = 0; q < queryIds.size(); q++) {
      String queryId = queryIds.get(q);
      RankedList hits = run.hits(queryId);
      if (hits == null || hits.size() == 0) {
        continue; // -c: a qrels query without hits scores 0 (trec_eval.c's bogus ranking)
      }
      int[] order = trecOrder.rank(queryId, hits.docIds(), hits.scores(), depth);
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
        continue; // nothing relevant: every metric here is 0, as in trec_eval
      }
      if (needsIdeal) {
        sortDescending(idealGrades, numRel);
      }
      int retrieved = Math.min(depth, hits.size());
      if (grades.length < retrieved) {
        grades = new int[Math.max(retrieved, grades.length * 2)];
      }
      String[] docIds = hits.docIds();
      for (int i = 0; i < retrieved; i++) {
        Integer grade = judged.get(docIds[order[i]]);
        grades[i] = grade == null ? 0 : grade;
      }
      for (int m = 0; m < wanted.length; m++) {
        values[m][q] = score(wanted[m], grades, retrieved, idealGrades, numRel);
      }
    }
    return new EvaluationResult(metrics, queryIds, values);
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
