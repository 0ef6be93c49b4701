package dev.negbench.experiment;

import dev.negbench.data.BeirDataset;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Progress;
import dev.negbench.train.Trainer;
import dev.negbench.train.TrainingReport;
import dev.negbench.train.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Fine-tunes the retriever on one source's negatives: {@code plan.model()} on the (query, positive,
 * negative) triples of {@code negatives} for the queries of {@code plan.split()}, seeded with
 * {@code seed}. The checkpoint goes somewhere inside {@code out}, an empty temporary folder of the
 * stage cache (the pipeline records it relative to {@code out}, so it stays valid once the folder
 * moves into place). A seam: tests train in other ways.
 */
@FunctionalInterface
public interface TrainStep {
  TrainingReport train(
      BeirDataset dataset,
      Path negatives,
      TrainingPlan plan,
      long seed,
      Path out,
      Progress.Factory progress)
      throws IOException;

  /**
   * {@link Trainer} with the plan's settings (weight decay, clipping and the MNRL scale at {@link
   * TrainingSettings#defaults()}). It trains in {@code work/training/HASH}, outside the stage's
   * temporary folder, so a killed run resumes from its last checkpoint instead of starting over;
   * the finished model folder then moves into the stage.
   */
  static TrainStep trainer(Path work) {
    return (dataset, negatives, plan, seed, out, progress) -> {
      TrainingSettings d = TrainingSettings.defaults();
      TrainingSettings settings =
          new TrainingSettings(
                  plan.epochs(),
                  plan.batchSize(),
                  plan.learningRate(),
                  d.weightDecay(),
                  plan.warmupRatio(),
                  d.maxGradNorm(),
                  plan.maxQueryLength(),
                  plan.maxPassageLength(),
                  plan.negativesPerQuery(),
                  d.scale(),
                  seed,
                  plan.device())
              .validate();
      String key =
          AtomicFiles.sha256(
              String.join(
                  "\n",
                  AtomicFiles.sha256(negatives),
                  plan.toString(),
                  Long.toString(seed),
                  dataset.dir().toAbsolutePath().toString()));
      Path scratch = work.resolve("training").resolve(key.substring(0, 20));
      Files.createDirectories(scratch.getParent());
      TrainingReport r =
          Trainer.train(
              dataset, plan.split(), negatives, plan.model(), settings, scratch, progress);
      Path checkpoint = out.resolve("model");
      Files.move(r.checkpoint(), checkpoint, StandardCopyOption.ATOMIC_MOVE);
      return r.withCheckpoint(checkpoint);
    };
  }
}
