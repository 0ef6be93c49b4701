package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.negbench.results.CellResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetResultsTest {
  private static CellResult cell(
      String experiment, String dataset, String source, String type, long seed) {
    return new CellResult(
        experiment,
        dataset,
        source,
        type,
        seed,
        "test",
        false,
        Map.of("ndcg@10", 0.5),
        List.of("q0"),
        Map.of(),
        Map.of());
  }

  @Test
  void experimentsAndDatasetsByNameSourcesInReportOrderSeedsByNumber() {
    List<DatasetResults> groups =
        DatasetResults.group(
            List.of(
                cell("b", "d1", "x", "bm25", 1),
                cell("a", "d2", "gen", "llm", 10),
                cell("a", "d2", "gen", "llm", 2),
                cell("a", "d2", "bm25", "bm25", 1),
                cell("a", "d2", CellResult.ZERO_SHOT, CellResult.ZERO_SHOT, 0),
                cell("a", "d2", "mined", "dense", 1),
                cell("a", "d2", "alpha", "mix", 1),
                cell("a", "d1", "bm25", "bm25", 1)));
    assertEquals(
        List.of("a/d1", "a/d2", "b/d1"),
        groups.stream().map(g -> g.experiment() + "/" + g.dataset()).toList());
    DatasetResults d2 = groups.get(1);
    // zero-shot first, then by type (bm25, ce, dense, llm, file, mix), not by name.
    assertEquals(
        List.of(CellResult.ZERO_SHOT, "bm25", "mined", "gen", "alpha"),
        d2.sources().stream().map(DatasetResults.SourceSeeds::source).toList());
    DatasetResults.SourceSeeds gen = d2.sources().get(3);
    assertEquals("llm", gen.type());
    assertEquals(List.of(2L, 10L), gen.seeds().stream().map(CellResult::seed).toList());
  }
}
