package dev.negbench.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Every epoch's seeded batches (indices into {@code examples}), one optimizer step each. The order
 * is a function of the seed, so a resumed run continues with the very batch that came next.
 */
record BatchPlan(List<TrainingExample> examples, List<int[]> batches) {
  static BatchPlan of(List<TrainingExample> examples, TrainingSettings settings) {
    List<int[]> batches = new ArrayList<>();
    for (int e = 0; e < settings.epochs(); e++) {
      batches.addAll(TrainingData.epochBatches(examples, settings.batchSize(), settings.seed(), e));
    }
    return new BatchPlan(examples, batches);
  }

  long steps() {
    return batches.size();
  }

  /** Examples over all steps. */
  long triples() {
    long triples = 0;
    for (int[] batch : batches) {
      triples += batch.length;
    }
    return triples;
  }

  /** The examples of step {@code step} (0-based). */
  List<TrainingExample> batch(long step) {
    int[] batch = batches.get((int) step);
    List<TrainingExample> items = new ArrayList<>(batch.length);
    for (int i : batch) {
      items.add(examples.get(i));
    }
    return items;
  }
}
