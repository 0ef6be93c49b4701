package dev.negbench.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.HoldOut;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.model.Djl;
import dev.negbench.model.DjlModel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Fine-tunes a bi-encoder with MultipleNegativesRankingLoss, or a cross-encoder ({@link
 * CrossEncoderObjective}), on (query, positive, hard negatives) examples, as sentence-transformers'
 * {@code fit} does: AdamW, linear warmup then linear decay to 0 (transformers' {@code
 * get_linear_schedule_with_warmup}), gradient norm clipping, seeded duplicate-free batches. One
 * optimizer step per batch.
 *
 * <p>The output folder ends as a Hugging Face checkpoint ({@link DjlModel#save}) with {@code
 * training.json} written last. On the way, {@code checkpoint/} holds the model, the optimizer's
 * moments and {@code state.json} (steps done, losses, settings and inputs), replaced as a whole
 * every {@code checkpointEvery} steps; a run started again with the same inputs and settings
 * resumes from it and, since the data order is a function of the seed, continues with the very
 * batch that came next.
 *
 * <p>This class runs the steps; the parts are {@link BatchPlan}, {@link LearningRateSchedule},
 * {@link Checkpoints} (with {@link TrainingPosition}) and {@link FinishedTraining}.
 */
public final class Trainer {
  /** Steps between checkpoints of a partial run. */
  public static final int DEFAULT_CHECKPOINT_EVERY = 100;

  /** Hears about every step: for loss and speed lines in the CLI. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = (step, total, loss, lr, stepsPerSecond) -> {};

    void step(long step, long total, double loss, double learningRate, double stepsPerSecond);
  }

  private Trainer() {}

  /**
   * Fine-tunes `model` ("minilm" or an HF folder) on the negatives file (miners'/generator's JSONL;
   * inline-text negatives used as is, corpus ids looked up in dataset) for queries of `split`;
   * writes an HF checkpoint folder to outDir atomically; resumes from a partial run in outDir.
   */
  public static TrainingReport train(
      BeirDataset dataset,
      String split,
      Path negativesFile,
      String model,
      TrainingSettings settings,
      Path outDir,
      Progress.Factory progress) {
    return train(
        dataset,
        split,
        negativesFile,
        model,
        settings,
        outDir,
        progress,
        DEFAULT_CHECKPOINT_EVERY,
        Listener.NONE);
  }

  /**
   * As above, with a checkpoint every {@code checkpointEvery} steps and {@code listener} told of
   * every step.
   */
  public static TrainingReport train(
      BeirDataset dataset,
      String split,
      Path negativesFile,
      String model,
      TrainingSettings settings,
      Path outDir,
      Progress.Factory progress,
      int checkpointEvery,
      Listener listener) {
    return train(
        dataset,
        split,
        negativesFile,
        model,
        settings,
        Objective.MNRL,
        outDir,
        progress,
        checkpointEvery,
        listener);
  }

  /**
   * As above for any {@link Objective}: a bi-encoder ({@link Objective#MNRL}) or a cross-encoder
   * ({@link CrossEncoderObjective}), with the same batches, schedule, checkpoints and resume.
   */
  public static TrainingReport train(
      BeirDataset dataset,
      String split,
      Path negativesFile,
      String model,
      TrainingSettings settings,
      Objective objective,
      Path outDir,
      Progress.Factory progress,
      int checkpointEvery,
      Listener listener) {
    settings.validate();
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException(
          "checkpoint interval must be at least 1 step, was " + checkpointEvery);
    }
    long started = System.nanoTime();
    ObjectNode identity = identity(dataset, split, negativesFile, model, settings, objective);
    TrainingReport finished = FinishedTraining.of(outDir, identity);
    if (finished != null) {
      return finished;
    }
    TrainingData.Loaded data =
        TrainingData.load(
            dataset,
            split,
            negativesFile,
            settings.negativesPerQuery(),
            objective.requiresPositives());
    BatchPlan plan = BatchPlan.of(data.examples(), settings);
    LearningRateSchedule schedule = LearningRateSchedule.of(settings, plan.steps());
    Checkpoints checkpoints =
        new Checkpoints(outDir, identity, checkpointEvery, settings.maxDocLength());
    Checkpoints.Resume resume = checkpoints.resume();
    try (DjlModel m =
            objective.open(resume.modelOr(model), Djl.device(settings.device()), settings);
        Objective.Step trainer = objective.start(m, settings);
        Progress bar = progress.start("Training", plan.steps())) {
      if (resume.checkpoint() != null) {
        resume.restore(m.block(), trainer.optimizer());
        bar.advance(resume.position().step());
      }
      TrainingPosition end =
          runSteps(m, trainer, plan, schedule, resume, started, checkpoints, bar, listener);
      m.save(outDir, settings.maxDocLength());
      double seconds = (System.nanoTime() - started) / 1e9;
      TrainingReport report =
          new TrainingReport(
              plan.steps(), plan.triples(), end.firstLoss(), end.lastLoss(), seconds, outDir);
      FinishedTraining.write(
          report,
          resume.seconds() + seconds,
          identity,
          data,
          HoldOut.heldOutOf(dataset.dir(), split),
          settings.device());
      checkpoints.remove();
      return report;
    }
  }

  /**
   * What a run is of: a checkpoint or a finished run counts only for the same inputs and settings.
   */
  private static ObjectNode identity(
      BeirDataset dataset,
      String split,
      Path negativesFile,
      String model,
      TrainingSettings settings,
      Objective objective) {
    ObjectNode identity = Json.PLAIN.createObjectNode();
    if (!objective.describe().isEmpty()) {
      identity.put("objective", objective.describe());
    }
    identity.put("model", model);
    identity.put("dataset", dataset.dir().toAbsolutePath().normalize().toString());
    identity.put("split", split);
    identity.put("negatives_sha256", AtomicFiles.sha256(negativesFile));
    identity.put("settings", settings.describe());
    return identity;
  }

  /**
   * The finished run in {@code outDir}, as its {@code training.json} records it, with the seconds
   * the whole run took (for a run written before that field, its last process's); null when there
   * is none.
   */
  public static TrainingReport recorded(Path outDir) {
    return FinishedTraining.recorded(outDir);
  }

  /**
   * Runs the steps from {@code resume}'s position to the end of the plan, checkpointing on the way;
   * each checkpoint records the run's seconds so far (this process's since {@code started}, plus
   * what the checkpoint it resumed from had recorded).
   */
  private static TrainingPosition runSteps(
      DjlModel m,
      Objective.Step trainer,
      BatchPlan plan,
      LearningRateSchedule schedule,
      Checkpoints.Resume resume,
      long started,
      Checkpoints checkpoints,
      Progress bar,
      Listener listener) {
    TrainingPosition from = resume.position();
    long total = plan.steps();
    TrainingPosition at = from;
    long loopStart = System.nanoTime();
    for (long step = from.step(); step < total; step++) {
      double lr = schedule.learningRate(step);
      double loss = trainer.step(plan.batch(step), lr);
      if (!Double.isFinite(loss)) {
        throw new TrainingDivergedException(
            String.format(
                Locale.ROOT,
                "the loss became %s at step %d of %d; %s. Lower --lr or check the negatives file",
                loss,
                step + 1,
                total,
                checkpoints.whatIsLeft()));
      }
      at = at.after(loss);
      bar.advance(1);
      listener.step(
          step + 1,
          total,
          loss,
          lr,
          (step + 1 - from.step()) / ((System.nanoTime() - loopStart) / 1e9));
      if ((step + 1) % checkpoints.every() == 0 && step + 1 < total) {
        checkpoints.save(
            m, trainer.optimizer(), at, resume.seconds() + (System.nanoTime() - started) / 1e9);
      }
    }
    return at;
  }
}
