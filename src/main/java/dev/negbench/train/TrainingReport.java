package dev.negbench.train;

import java.nio.file.Path;

/**
 * What a training run did: optimizer steps, examples seen (query, positive and its hard negatives),
 * the loss of the first and last step, wall time of this process's share, and the checkpoint folder
 * written.
 */
public record TrainingReport(
    long steps, long triples, double firstLoss, double lastLoss, double seconds, Path checkpoint) {
  /** The same run with its checkpoint moved to {@code checkpoint}. */
  public TrainingReport withCheckpoint(Path checkpoint) {
    return new TrainingReport(steps, triples, firstLoss, lastLoss, seconds, checkpoint);
  }
}
