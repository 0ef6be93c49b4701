package dev.negbench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.eval.Metric.Measure;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricTest {
  @Test
  void parsesNamesCaseInsensitivelyToCanonicalNames() {
    assertEquals(new Metric(Measure.NDCG, 10), Metric.parse("ndcg@10"));
    assertEquals(new Metric(Measure.NDCG, 10), Metric.parse("NDCG@10"));
    assertEquals("ndcg@10", Metric.parse(" nDCG@10 ").name());
    assertEquals(new Metric(Measure.RECALL, 100), Metric.parse("Recall@100"));
    assertEquals(new Metric(Measure.PRECISION, 10), Metric.parse("P@10"));
    assertEquals("precision@10", Metric.parse("P@10").name());
    assertEquals(new Metric(Measure.SUCCESS, 5), Metric.parse("success@5"));
    assertEquals(new Metric(Measure.MAP, 1000), Metric.parse("MAP@1000"));
    assertEquals(new Metric(Measure.MRR, 10), Metric.parse("MRR@10"));
  }

  @Test
  void plainNamesMeanTheWholeRanking() {
    Metric mrr = Metric.parse("mrr");
    assertEquals(Metric.WHOLE_RANKING, mrr.cutoff());
    assertFalse(mrr.hasCutoff());
    assertEquals("mrr", mrr.name());
    assertEquals("map", Metric.parse("MAP").toString());
    assertTrue(Metric.parse("map@10").hasCutoff());
  }

  @Test
  void unknownNamesListTheValidOnes() {
    for (String bad : List.of("ndgc@10", "bleu", "", "@10", "recip_rank")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Metric.parse(bad), bad);
      assertTrue(e.getMessage().contains("ndcg@K"), e.getMessage());
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void cutoffsMustBePositiveIntegers() {
    for (String bad :
        List.of(
            "ndcg@0", "ndcg@", "ndcg@-1", "ndcg@1.5", "ndcg@ten", "ndcg@1e3", "ndcg@9999999999")) {
      assertThrows(IllegalArgumentException.class, () -> Metric.parse(bad), bad);
    }
    // precision and success over the whole ranking are not offered
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Metric.parse("precision"));
    assertTrue(e.getMessage().contains("precision@10"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Metric.parse("success"));
    assertThrows(IllegalArgumentException.class, () -> new Metric(Measure.PRECISION, 0));
    assertThrows(IllegalArgumentException.class, () -> Metric.at(Measure.NDCG, 0));
    assertEquals(Metric.parse("ndcg@10"), Metric.at(Measure.NDCG, 10));
  }

  @Test
  void parseAllKeepsOrderAndRejectsRepeats() {
    assertEquals(
        List.of(Metric.parse("recall@100"), Metric.parse("ndcg@10")),
        Metric.parseAll(List.of("recall@100", "ndcg@10")));
    assertThrows(
        IllegalArgumentException.class, () -> Metric.parseAll(List.of("p@10", "precision@10")));
  }
}
