package dev.negbench.train;

import ai.djl.Device;
import dev.negbench.model.DjlModel;
import java.util.List;

/**
 * What a training run optimises: how it opens the model and how one batch of examples becomes one
 * optimizer step. {@link Trainer} does the rest the same way for every objective (seeded batches,
 * schedule, checkpoints, resume, NaN stop): MultipleNegativesRankingLoss for a bi-encoder ({@link
 * #MNRL}), or a cross-encoder's loss over each query's group ({@link CrossEncoderObjective}).
 */
public interface Objective {
  /** A bi-encoder trained with MultipleNegativesRankingLoss ({@link MnrlStep}). */
  Objective MNRL =
      new Objective() {
        @Override
        public String describe() {
          return ""; // bi-encoder runs predate objectives: their identity, and so their resume,
          // stays as it was
        }

        @Override
        public boolean requiresPositives() {
          return false;
        }

        @Override
        public DjlModel open(String model, Device device, TrainingSettings settings) {
          return DjlModel.open(model, device);
        }

        @Override
        public Step start(DjlModel model, TrainingSettings settings) {
          return new MnrlStep(model, settings);
        }
      };

  /** Recorded in a run's identity beside its settings; empty for {@link #MNRL}. */
  String describe();

  /**
   * True when every row of the negatives file must be a query of the split with a positive in its
   * qrels (a cross-encoder learns its labels from them; a bi-encoder run leaves other rows out).
   */
  boolean requiresPositives();

  /** Opens the model to train: the start model, or a checkpoint of this objective when resuming. */
  DjlModel open(String model, Device device, TrainingSettings settings);

  /** Attaches gradients and an optimizer to {@code model}. */
  Step start(DjlModel model, TrainingSettings settings);

  /** One optimizer step per batch, with the optimizer whose moments checkpoints keep. */
  interface Step extends AutoCloseable {
    AdamW optimizer();

    /**
     * Trains on one batch at learning rate {@code lr} and returns the loss before the update. A
     * non-finite loss updates nothing and is returned for the caller to stop on.
     */
    double step(List<TrainingExample> batch, double lr);

    @Override
    void close();
  }
}
