package dev.negbench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.Qrels;
import dev.negbench.data.TrecRun;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exact values on tiny fixtures (src/test/resources/eval), each worked out by hand in the comments
 * with trec_eval's definitions. The fixtures:
 *
 * <pre>
 * basic-qrels.tsv / basic.qrels    basic.run (score order = file order per query)
 *   q1: d1=2 d3=1 d5=0               q1: d5 9.0, d3 8.0, d8 7.0 (unjudged), d1 6.0
 *   q2: d7=1                         q2: d6 5.0, d7 4.0
 *   q3: d9=1                         (q3 has no hits)
 *   q4: d2=0 d4=-1 (nothing rel.)    q4: d4 3.0, d2 2.0
 *   q5: d1=1 d2=-2                   q5: d2 2.0, d1 1.0
 *                                    q9: d1 5.0 (not in the qrels)
 * </pre>
 */
class TrecEvalTest {
  private static final double EXACT = 1e-9;

  private static final Metric NDCG_10 = Metric.parse("ndcg@10");
  private static final Metric RECALL_100 = Metric.parse("recall@100");
  private static final Metric MRR = Metric.parse("mrr");
  private static final Metric MAP = Metric.parse("map");

  static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  static Path fixture(String name) {
    try {
      return Path.of(TrecEvalTest.class.getResource("/eval/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture eval/" + name, e);
    }
  }

  /**
   * The in-memory evaluation, checked against the streamed one (RunFileEvaluation) value for value.
   */
  static EvaluationResult evaluate(String qrels, String run, String... metrics) {
    Qrels judgments = Qrels.read(fixture(qrels));
    List<Metric> parsed = Metric.parseAll(List.of(metrics));
    EvaluationResult inMemory = TrecEval.evaluate(judgments, TrecRun.read(fixture(run)), parsed);
    RunFileEvaluationTest.assertSameValues(
        inMemory, RunFileEvaluation.evaluate(judgments, fixture(run), parsed, 3, 1).result());
    return inMemory;
  }

  @Test
  void gradedNdcgUsesTheGradeAsGainAndLog2OfRankPlusOne() {
    EvaluationResult r = evaluate("basic-qrels.tsv", "basic.run", "ndcg@10", "ndcg@2");
    // q1 ranks d5 (grade 0), d3 (1), d8 (unjudged), d1 (2).
    // DCG@10  = 1/log2(3) + 2/log2(5)         = 0.6309298 + 0.8613531 = 1.4922829
    // IDCG@10 = 2/log2(2) + 1/log2(3)         = 2 + 0.6309298        = 2.6309298
    // nDCG@10 = 1.4922829 / 2.6309298 = 0.5672074
    // (with 2^grade - 1 gains it would be (1/log2(3) + 3/log2(5)) / (3 + 1/log2(3)) = 0.5296)
    assertEquals(0.5672074169568709, r.value(NDCG_10, "q1"), EXACT);
    assertEquals((1 / log2(3) + 2 / log2(5)) / (2 + 1 / log2(3)), r.value(NDCG_10, "q1"), EXACT);
    // nDCG@2: only d3 is in the top 2; the ideal is cut at 2 too: 0.6309298 / 2.6309298 = 0.2398125
    assertEquals(0.23981246656813146, r.value(Metric.parse("ndcg@2"), "q1"), EXACT);
    // q2: the one relevant doc at rank 2: (1/log2(3)) / (1/log2(2)) = 0.6309298
    assertEquals(1 / log2(3), r.value(NDCG_10, "q2"), EXACT);
  }

  @Test
  void negativeAndZeroGradesAreJudgedNonRelevantAndLeaveTheIdealAlone() {
    EvaluationResult r = evaluate("basic-qrels.tsv", "basic.run", "ndcg@10", "mrr", "map");
    // q5: d2 (grade -2) at rank 1, d1 (grade 1) at rank 2. A negative grade adds no (negative)
    // gain and no ideal gain: nDCG = (1/log2(3)) / 1 = 0.6309298; MRR = 1/2; AP = (1/2) / 1.
    assertEquals(1 / log2(3), r.value(NDCG_10, "q5"), EXACT);
    assertEquals(0.5, r.value(MRR, "q5"), EXACT);
    assertEquals(0.5, r.value(MAP, "q5"), EXACT);
    // q4 judges d2 = 0 and d4 = -1, both retrieved; nothing is relevant, so every metric is 0.
    assertEquals(0.0, r.value(NDCG_10, "q4"), EXACT);
    assertEquals(0.0, r.value(MRR, "q4"), EXACT);
    assertEquals(0.0, r.value(MAP, "q4"), EXACT);
  }

  @Test
  void meanCountsEveryQrelsQueryAndIgnoresRunOnlyQueries() {
    EvaluationResult r =
        evaluate("basic-qrels.tsv", "basic.run", "ndcg@10", "recall@100", "mrr", "map");
    // trec_eval -c: the mean is over all 5 qrels queries, in qrels order; q9 (run only) is ignored.
    assertEquals(List.of("q1", "q2", "q3", "q4", "q5"), r.queryIds());
    assertEquals(5, r.queryCount());
    // q3 has no hits at all: 0 for every metric.
    for (Metric m : r.metrics()) {
      assertEquals(0.0, r.value(m, "q3"), EXACT, m.name());
    }
    // nDCG@10: (0.5672074 + 0.6309298 + 0 + 0 + 0.6309298) / 5 = 1.8290669 / 5 = 0.3658134
    double q1 = (1 / log2(3) + 2 / log2(5)) / (2 + 1 / log2(3));
    assertEquals((q1 + 2 / log2(3)) / 5, r.mean(NDCG_10), EXACT);
    assertEquals(0.36581338481995716, r.mean(NDCG_10), EXACT);
    // recall@100: q1 2/2, q2 1/1, q3 0, q4 0 (no relevant), q5 1/1 -> 3/5
    assertEquals(0.6, r.mean(RECALL_100), EXACT);
    // MRR: q1 1/2 (d3 at 2), q2 1/2, q5 1/2 -> 1.5 / 5
    assertEquals(0.3, r.mean(MRR), EXACT);
    // AP: q1 (1/2 + 2/4) / 2 = 0.5, q2 (1/2) / 1, q5 (1/2) / 1 -> 1.5 / 5
    assertEquals(0.5, r.value(MAP, "q1"), EXACT);
    assertEquals(0.3, r.mean(MAP), EXACT);
    assertEquals(Map.of(NDCG_10, r.mean(NDCG_10), RECALL_100, 0.6, MRR, 0.3, MAP, 0.3), r.means());
  }

  @Test
  void beirTsvAndTrecQrelsGiveTheSameResult() {
    String[] metrics = {"ndcg@10", "recall@100", "mrr", "map", "precision@5", "success@1"};
    EvaluationResult tsv = evaluate("basic-qrels.tsv", "basic.run", metrics);
    EvaluationResult trec = evaluate("basic.qrels", "basic.run", metrics);
    for (Metric m : tsv.metrics()) {
      for (String q : tsv.queryIds()) {
        assertEquals(tsv.value(m, q), trec.value(m, q), 0.0, m + " " + q);
      }
    }
  }

  @Test
  void precisionAndSuccessAndCutMap() {
    EvaluationResult r =
        evaluate(
            "basic-qrels.tsv", "basic.run", "p@5", "success@1", "success@2", "map@2", "recall@2");
    // q1: 2 relevant in the top 5 -> P@5 = 2/5 (trec_eval divides by 5 though only 4 retrieved)
    assertEquals(0.4, r.value(Metric.parse("precision@5"), "q1"), EXACT);
    // q1: rank 1 is d5 (grade 0) -> success@1 = 0; d3 at rank 2 -> success@2 = 1
    assertEquals(0.0, r.value(Metric.parse("success@1"), "q1"), EXACT);
    assertEquals(1.0, r.value(Metric.parse("success@2"), "q1"), EXACT);
    // q1 map@2: only d3 (precision 1/2) in the top 2, over 2 relevant -> 0.25 (map_cut.2)
    assertEquals(0.25, r.value(Metric.parse("map@2"), "q1"), EXACT);
    // q1 recall@2: 1 of 2 relevant
    assertEquals(0.5, r.value(Metric.parse("recall@2"), "q1"), EXACT);
    // P@5 mean: (2/5 + 1/5 + 0 + 0 + 1/5) / 5 = 0.16
    assertEquals(0.16, r.mean(Metric.parse("precision@5")), EXACT);
  }

  @Test
  void equalScoresAreOrderedByDocumentIdDescendingNotByRankColumn() {
    EvaluationResult r = evaluate("ties-qrels.tsv", "ties.run", "mrr", "ndcg@10", "ndcg@2");
    Metric ndcg2 = Metric.parse("ndcg@2");
    // t1: a, b, c all score 1 ("1.0", "1.00", "1.000000" are one double); trec_eval puts the
    // larger id first: c, b, a. The relevant a is at rank 3, not at rank 1 as the rank column says.
    // MRR = 1/3; nDCG@10 = (1/log2(4)) / 1 = 0.5; nDCG@2 = 0.
    assertEquals(1.0 / 3, r.value(MRR, "t1"), EXACT);
    assertEquals(0.5, r.value(NDCG_10, "t1"), EXACT);
    assertEquals(0.0, r.value(ndcg2, "t1"), EXACT);
    // t2: rank column says x (0.1) then y (0.9); by score y is first -> MRR = 1, nDCG = 1.
    assertEquals(1.0, r.value(MRR, "t2"), EXACT);
    assertEquals(1.0, r.value(NDCG_10, "t2"), EXACT);
    // t3: byte order, not numeric: strcmp("d9", "d10") > 0, so d9 first; relevant d10 at rank 2.
    assertEquals(0.5, r.value(MRR, "t3"), EXACT);
    assertEquals(1 / log2(3), r.value(NDCG_10, "t3"), EXACT);
    // t4: 'd' (0x64) > 'D' (0x44), so d1 first; relevant D1 at rank 2.
    assertEquals(0.5, r.value(MRR, "t4"), EXACT);
    // mean MRR = (1/3 + 1 + 1/2 + 1/2) / 4 = 0.5833333
    assertEquals((1.0 / 3 + 1 + 0.5 + 0.5) / 4, r.mean(MRR), EXACT);
  }

  @Test
  void recallAt100AndFullRankingMetricsOnADeepUnsortedRun() {
    // deep.run: 150 hits d001..d150 with score 151 - n, written worst first (so it must be sorted);
    // deep.qrels: d050, d100, d101 and the never retrieved d999 are relevant (grade 1).
    EvaluationResult r =
        evaluate(
            "deep.qrels",
            "deep.run",
            "recall@100",
            "recall@101",
            "recall",
            "mrr",
            "mrr@10",
            "mrr@50",
            "map",
            "map@100",
            "precision@100",
            "ndcg@100");
    // recall@100 = 2/4 (d050, d100); recall@101 and recall (whole ranking) = 3/4
    assertEquals(0.5, r.value(RECALL_100, "q1"), EXACT);
    assertEquals(0.75, r.value(Metric.parse("recall@101"), "q1"), EXACT);
    assertEquals(0.75, r.value(Metric.parse("recall"), "q1"), EXACT);
    // first relevant at rank 50: MRR = 1/50; outside the top 10 -> mrr@10 = 0
    assertEquals(0.02, r.value(MRR, "q1"), EXACT);
    assertEquals(0.0, r.value(Metric.parse("mrr@10"), "q1"), EXACT);
    assertEquals(0.02, r.value(Metric.parse("mrr@50"), "q1"), EXACT);
    // AP = (1/50 + 2/100 + 3/101) / 4 = (0.02 + 0.02 + 0.0297030) / 4 = 0.0174257
    assertEquals((1.0 / 50 + 2.0 / 100 + 3.0 / 101) / 4, r.value(MAP, "q1"), EXACT);
    assertEquals(0.017425742574257427, r.value(MAP, "q1"), EXACT);
    // map@100 = (1/50 + 2/100) / 4 = 0.01 (denominator: all 4 relevant, as map_cut)
    assertEquals(0.01, r.value(Metric.parse("map@100"), "q1"), EXACT);
    // P@100 = 2/100
    assertEquals(0.02, r.value(Metric.parse("precision@100"), "q1"), EXACT);
    // nDCG@100 = (1/log2(51) + 1/log2(101)) / (1 + 1/log2(3) + 1/log2(4) + 1/log2(5))
    //          = (0.1762914 + 0.1501905) / 2.5616063 = 0.1274520
    assertEquals(
        (1 / log2(51) + 1 / log2(101)) / (1 + 1 / log2(3) + 1 / log2(4) + 1 / log2(5)),
        r.value(Metric.parse("ndcg@100"), "q1"),
        EXACT);
    assertEquals(0.12745202731911232, r.value(Metric.parse("ndcg@100"), "q1"), EXACT);
  }

  @Test
  void topKSelectionAgreesWithTheFullSort() {
    // ndcg@10 alone ranks only the top 10 of the unsorted deep run; with map it sorts all 150.
    EvaluationResult topOnly = evaluate("deep.qrels", "deep.run", "ndcg@10", "mrr@60");
    EvaluationResult full = evaluate("deep.qrels", "deep.run", "ndcg@10", "mrr@60", "map");
    assertEquals(0.0, topOnly.value(NDCG_10, "q1"), EXACT);
    assertEquals(full.value(NDCG_10, "q1"), topOnly.value(NDCG_10, "q1"), 0.0);
    // mrr@60: first relevant d050 at rank 50 -> 1/50, found by the bounded insertion path
    assertEquals(0.02, topOnly.value(Metric.parse("mrr@60"), "q1"), EXACT);
    assertEquals(0.02, full.value(Metric.parse("mrr@60"), "q1"), EXACT);
  }

  @Test
  void aDocumentListedTwiceForAQrelsQueryIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> evaluate("basic-qrels.tsv", "duplicate.run", "ndcg@10"));
    assertTrue(e.getMessage().contains("'d1'"), e.getMessage());
    assertTrue(e.getMessage().contains("'q1'"), e.getMessage());
  }

  @Test
  void aDuplicateInARunOnlyQueryIsIgnoredWithTheQuery() {
    // qx lists d2 twice but is not in the qrels; trec_eval never looks at it, nor do we.
    EvaluationResult r = evaluate("basic-qrels.tsv", "duplicate-unjudged-query.run", "mrr");
    // q1: d1 (grade 2) at rank 1 -> 1; all other queries have no hits -> 1/5
    assertEquals(1.0, r.value(MRR, "q1"), EXACT);
    assertEquals(0.2, r.mean(MRR), EXACT);
  }

  @Test
  void rejectsEmptyOrRepeatedMetricsAndEmptyQrels() {
    Qrels qrels = Qrels.read(fixture("basic-qrels.tsv"));
    TrecRun run = TrecRun.read(fixture("basic.run"));
    assertThrows(IllegalArgumentException.class, () -> TrecEval.evaluate(qrels, run, List.of()));
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrecEval.evaluate(qrels, run, List.of(NDCG_10, Metric.parse("NDCG@10"))));
    assertTrue(twice.getMessage().contains("ndcg@10"), twice.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> TrecEval.evaluate(new Qrels(Map.of()), run, List.of(NDCG_10)));
  }

  @Test
  void askingForAnUnknownQueryOrMetricIsAnError() {
    EvaluationResult r = evaluate("basic-qrels.tsv", "basic.run", "ndcg@10");
    // q9 is in the run only, so it has no value
    assertThrows(IllegalArgumentException.class, () -> r.value(NDCG_10, "q9"));
    assertThrows(IllegalArgumentException.class, () -> r.mean(MAP));
  }

  @Test
  void documentIdsCompareByUtf8BytesLikeStrcmp() {
    String replacement = "\uFFFD"; // U+FFFD: UTF-8 EF BF BD
    String emoji = "\uD83D\uDE00"; // U+1F600: UTF-8 F0 9F 98 80, a surrogate pair in UTF-16
    // UTF-16 order puts the surrogate (D83D) first; strcmp puts EF before F0.
    assertTrue(emoji.compareTo(replacement) < 0);
    assertTrue(TrecOrder.compareBytes(replacement, emoji) < 0);
    assertTrue(TrecOrder.compareBytes(emoji, replacement) > 0);
    assertTrue(TrecOrder.compareBytes("d10", "d9") < 0);
    assertTrue(TrecOrder.compareBytes("d1", "d10") < 0); // a prefix sorts first, as in strcmp
    assertEquals(0, TrecOrder.compareBytes("d1", "d1"));
  }
}
