package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
  private static final List<TrainingExample> EXAMPLES =
      List.of(
          new TrainingExample("q1", "p1", List.of("n1")),
          new TrainingExample("q2", "p2", List.of("n2")),
          new TrainingExample("q3", "p3", List.of("n3")));

  private static TrainingSettings settings(int epochs, long seed) {
    return new TrainingSettings(epochs, 2, 1e-3, 0.01, 0.25, 1.0, 16, 32, 1, 20, seed, "cpu");
  }

  @Test
  void everyEpochVisitsEveryExampleOnceInBatchesOfTheSettingsSize() {
    BatchPlan plan = BatchPlan.of(EXAMPLES, settings(2, 7));
    assertEquals(4, plan.steps(), "two batches (2 + 1) an epoch");
    assertEquals(6, plan.triples());
    for (int epoch = 0; epoch < 2; epoch++) {
      Set<TrainingExample> seen = new HashSet<>();
      for (int step = 2 * epoch; step < 2 * epoch + 2; step++) {
        List<TrainingExample> batch = plan.batch(step);
        assertTrue(batch.size() <= 2);
        for (TrainingExample e : batch) {
          assertTrue(seen.add(e), "once an epoch: " + e);
        }
      }
      assertEquals(Set.copyOf(EXAMPLES), seen);
    }
  }

  @Test
  void theSameSeedGivesTheSameBatches() {
    assertEquals(
        order(BatchPlan.of(EXAMPLES, settings(3, 7))),
        order(BatchPlan.of(EXAMPLES, settings(3, 7))));
  }

  private static List<TrainingExample> order(BatchPlan plan) {
    List<TrainingExample> all = new ArrayList<>();
    for (long s = 0; s < plan.steps(); s++) {
      all.addAll(plan.batch(s));
    }
    return all;
  }
}
