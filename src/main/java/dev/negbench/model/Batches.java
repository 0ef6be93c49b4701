package dev.negbench.model;

import dev.negbench.io.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Length-bucketed batching: inputs sorted by length are cut into batches, each padded only to its
 * own longest member, so short inputs do not pay for the longest one in the whole input (attention
 * costs grow with the padded length). Results come back in input order.
 */
public final class Batches {
  private Batches() {}

  /** Runs one padded batch and returns one result per row, in the batch's row order. */
  @FunctionalInterface
  public interface BatchFunction<R> {
    List<R> apply(PaddedBatch batch);
  }

  public static <R> List<R> map(
      List<Encoding> inputs, int batchSize, BatchFunction<R> run, Progress progress) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    Integer[] order = new Integer[inputs.size()];
    Arrays.setAll(order, i -> i);
    // Stable sort: equal lengths keep input order, so runs are deterministic.
    Arrays.sort(order, Comparator.comparingInt(i -> inputs.get(i).length()));
    List<R> results = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      results.add(null);
    }
    for (int start = 0; start < order.length; start += batchSize) {
      int end = Math.min(order.length, start + batchSize);
      List<Encoding> batch = new ArrayList<>(end - start);
      for (int k = start; k < end; k++) {
        batch.add(inputs.get(order[k]));
      }
      List<R> out = run.apply(PaddedBatch.of(batch));
      if (out.size() != batch.size()) {
        throw new IllegalStateException(
            "batch of " + batch.size() + " gave " + out.size() + " results");
      }
      for (int k = start; k < end; k++) {
        results.set(order[k], out.get(k - start));
      }
      progress.advance(end - start);
    }
    return results;
  }
}
