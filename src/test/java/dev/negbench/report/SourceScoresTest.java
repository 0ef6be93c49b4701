package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourceScoresTest {
  @Test
  void foundByExperimentDatasetAndSource() {
    SourceScores s =
        SourceScores.of(
            List.of(
                new Report.DatasetRow(
                    "exp",
                    "scifact",
                    false,
                    10,
                    List.of(
                        new Report.Score("gen", "llm", 0.42, 0, 1, 0.4, 0.44, null, null, 0, true)),
                    List.of())));
    assertEquals(0.42, s.ndcg10("exp", "scifact", "gen"));
    assertEquals("llm", s.type("exp", "scifact", "gen"));
    assertTrue(Double.isNaN(s.ndcg10("exp", "nfcorpus", "gen")), "no result on that dataset");
    assertEquals("", s.type("other", "scifact", "gen"));
  }
}
