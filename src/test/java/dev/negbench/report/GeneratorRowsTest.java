package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.negbench.results.GenerationSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorRowsTest {
  private static GenerationSummary generation(long negatives, double seconds, double p50) {
    return new GenerationSummary(
        "vllm", "qwen", 4.0, "1x H100", "H100", 2.0, false, 10, negatives, 20, 100, 1000, seconds,
        p50, 2 * p50, 3 * p50, 1);
  }

  @Test
  void countsAndSecondsSummedLatenciesAveragedOverSeeds() {
    GenerationSummary s =
        GeneratorRows.sum(List.of(generation(50, 30, 100), generation(70, 40, 200)));
    assertEquals(120, s.negatives());
    assertEquals(20, s.queries());
    assertEquals(40, s.requests());
    assertEquals(2000, s.completionTokens());
    assertEquals(70.0, s.seconds());
    assertEquals(150.0, s.latencyP50Ms());
    assertEquals(450.0, s.latencyP99Ms());
    assertEquals("qwen", s.model());
  }

  @Test
  void oneRowPerFolderWithGenerationBesideItsScore() {
    SourceFolder gen =
        new SourceFolder(
            "exp",
            "scifact",
            "gen",
            List.of(
                new SourceFolder.Seed(generation(50, 30, 100), null, null),
                new SourceFolder.Seed(null, null, null)));
    SourceFolder bm25 =
        new SourceFolder(
            "exp", "scifact", "bm25", List.of(new SourceFolder.Seed(null, null, null)));
    SourceScores scores =
        SourceScores.of(
            List.of(
                new Report.DatasetRow(
                    "exp",
                    "scifact",
                    false,
                    10,
                    List.of(new Report.Score("gen", "llm", 0.6, 0, 1, 0, 0, null, null, 0, true)),
                    List.of())));
    List<Report.GeneratorRow> rows = GeneratorRows.of(List.of(bm25, gen), scores);
    assertEquals(1, rows.size());
    assertEquals("gen", rows.get(0).source());
    assertEquals(50, rows.get(0).generation().negatives());
    assertEquals(0.6, rows.get(0).ndcg10());
  }
}
