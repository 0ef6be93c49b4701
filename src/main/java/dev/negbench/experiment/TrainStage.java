package dev.negbench.experiment;

import dev.negbench.data.BeirDataset;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fine-tunes the retriever on one source's negatives: the seam where the training stage (issue 5,
 * {@code dev.negbench.train.Trainer}) plugs into {@link Pipeline}.
 *
 * <p>Contract: train {@code plan.model()} on the (query, positive, negative) triples of {@code
 * negatives} for the queries of {@code plan.split()}, seeded with {@code seed}, writing the
 * checkpoint somewhere inside {@code out} (an empty temporary folder of the stage cache: paths under
 * it stay valid once the folder moves into place because the returned checkpoint is taken relative
 * to {@code out}).
 */
@FunctionalInterface
public interface TrainStage {
  Trained train(BeirDataset dataset, Path negatives, TrainingPlan plan, long seed, Path out, Progress.Factory progress)
      throws IOException;

  /**
   * What training reports, mirroring {@code dev.negbench.train.TrainingReport}; {@code checkpoint}
   * is a model folder the {@link RetrievalEncoder.Factory} can open; {@code device} e.g. "cpu".
   */
  record Trained(long steps, long triples, double firstLoss, double lastLoss, double seconds, Path checkpoint, String device) {}
}
