package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wall time on N cooperating workers: shared stages built once by the first worker that needs them,
 * a worker that finds every cell left waiting on a stage in progress waits for it, and the critical
 * path bounds the wall time from below.
 */
class WorkerPlanTest {
  @TempDir Path dir;

  /** index 10 s; negatives A 5 s and B 20 s after it; cells A1, A2 (on A) and B1 (on B), 30 s. */
  private static WorkerPlan grid() {
    WorkerPlan p = new WorkerPlan();
    p.stage("index", 10, List.of());
    p.stage("A", 5, List.of("index"));
    p.stage("B", 20, List.of("index"));
    p.cell("A1", 30, List.of("A"));
    p.cell("A2", 30, List.of("A"));
    p.cell("B1", 30, List.of("B"));
    return p;
  }

  private static double stage(CostEstimate e, String name) {
    return e.stages().stream()
        .filter(s -> s.stage().equals(name))
        .mapToDouble(CostEstimate.Stage::seconds)
        .sum();
  }

  @Test
  void oneWorkerDoesEverythingInTurn() {
    assertEquals(10 + 5 + 20 + 3 * 30, grid().wallSeconds(1), 1e-9);
  }

  @Test
  void workersShareStagesAndWaitForThoseInProgress() {
    // Worker 0 builds index and A, then A1 (ends at 45); worker 1 waits for the index (10 s),
    // finds A in progress, so takes B1: B then the cell (ends at 60); worker 0 then takes A2
    // (45 to 75).
    assertEquals(75, grid().wallSeconds(2), 1e-9);
    // A third worker waits for A (15 s) and takes A2 (to 45): B1's chain is the critical path.
    assertEquals(60, grid().wallSeconds(3), 1e-9);
    assertEquals(60, grid().criticalPathSeconds(), 1e-9);
    assertEquals(60, grid().wallSeconds(50), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> grid().wallSeconds(0));
  }

  @Test
  void aPlanOnOneWorkerTakesAsLongAsItsStagesSumToAndManyReachTheCriticalPath() throws IOException {
    Path file = dir.resolve("exp.yaml");
    Files.writeString(
        file,
        """
        name: plan
        datasets: [synthetic:500]
        sources:
          - {type: bm25, num_negatives: 1}
          - {name: llm, type: llm, generator: qwen3-8b, endpoint: "http://127.0.0.1:9/v1", gpu: H100, num_negatives: 1}
          - name: mix
            type: mix
            parts: [{from: bm25, count: 1}, {from: llm, count: 1}]
        seeds: [1, 2, 3]
        gpu_prices: {H100: 3.0}
        """);
    ExperimentConfig.Loaded loaded = ExperimentConfig.load(file);
    CostEstimate one = new CostEstimator(loaded, dir.resolve("none"), 2).estimate(1);
    assertEquals(one.seconds(), one.workers().seconds(), 0.5);
    CostEstimate four = new CostEstimator(loaded, dir.resolve("none"), 2).estimate(4);
    CostEstimate many = new CostEstimator(loaded, dir.resolve("none"), 2).estimate(100);
    assertTrue(four.workers().seconds() < one.seconds() / 2, four.workers().toString());
    assertTrue(four.workers().seconds() >= four.workers().criticalPathSeconds());
    assertEquals(many.workers().criticalPathSeconds(), many.workers().seconds(), 0.5);
    // The longest chain: the index, the llm's generation (the mix needs it), then one cell: its
    // training and its share of the evaluation.
    double index = stage(one, "index"), generate = stage(one, "generate");
    double cell = stage(one, "train") / 9 + stage(one, "evaluate") / 9;
    assertEquals(index + generate + cell, many.workers().criticalPathSeconds(), 0.5);
    assertTrue(four.toText().contains("on 4 workers"), four.toText());
    assertTrue(four.toJson().contains("\"critical_path_seconds\""), four.toJson());
  }
}
