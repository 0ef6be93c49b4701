package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.CellResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FixtureModelsTest {
  private static CellResult cell(String dataset, String source, long seed, List<String> models) {
    CellResult c = ReportTest.cell(dataset, source, source, seed, 0.5);
    return new CellResult(
        c.experiment(),
        c.dataset(),
        c.source(),
        c.sourceType(),
        c.seed(),
        c.split(),
        c.synthetic(),
        c.metrics(),
        c.queryIds(),
        c.perQuery(),
        models == null ? Map.of() : Map.of("fixture_models", models));
  }

  @Test
  void anySeedsRecordMarksTheSourceAndEachModelIsListedOnce() {
    FixtureModels f =
        FixtureModels.of(
            List.of(
                cell("d2", "ce", 1, List.of("tiny-ce")),
                cell("d2", "ce", 2, List.of("tiny-ce", "tiny-bi")),
                cell("d1", "ce", 1, List.of("other")),
                cell("d1", "bm25", 1, null),
                cell("d1", "dense", 1, List.of())));
    assertTrue(f.made("exp", "d2", "ce"));
    assertFalse(f.made("exp", "d1", "bm25"));
    assertFalse(f.made("exp", "d1", "dense"), "an empty list is a real model");
    assertEquals(List.of("tiny-bi", "tiny-ce"), f.models("exp", "d2", "ce"), "name order");
    assertEquals(List.of("other", "tiny-bi", "tiny-ce"), f.models("exp", null, "ce"));
    assertEquals(List.of(), f.models("exp", "d1", "bm25"));
    assertEquals(List.of(), f.models("other", null, "ce"));
    // By key, models in the order first recorded.
    assertEquals(List.of("exp / d1 / ce: other", "exp / d2 / ce: tiny-ce, tiny-bi"), f.notes());
  }
}
