package dev.negbench.cli;

import dev.negbench.data.BeirDataset;
import dev.negbench.model.Djl;
import dev.negbench.train.Objective;
import dev.negbench.train.Trainer;
import dev.negbench.train.TrainingDivergedException;
import dev.negbench.train.TrainingReport;
import dev.negbench.train.TrainingSettings;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options and the run that {@code train} and {@code train-ce} share: data, start model,
 * optimizer, schedule, checkpoints.
 */
final class TrainingOptions {
  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "DIR",
      description =
          "BEIR dataset folder (or beir:NAME under $NEGBENCH_DATA) whose corpus the negatives file's ids name.")
  Path dataset;

  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      description = "Qrels split whose queries are trained on (default ${DEFAULT-VALUE}).")
  String split = "train";

  @Option(
      names = "--negatives",
      required = true,
      paramLabel = "FILE",
      description = "Negatives JSONL (mine-bm25, mine-ce, mine-dense or generated).")
  Path negatives;

  @Option(
      names = "--model",
      paramLabel = "minilm|DIR",
      description = "Model to start from (default ${DEFAULT-VALUE}).")
  String model = "minilm";

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Checkpoint folder to write; a partial run there is resumed.")
  Path out;

  @Option(
      names = "--epochs",
      paramLabel = "E",
      description = "Passes over the examples (default ${DEFAULT-VALUE}).")
  int epochs = TrainingSettings.defaults().epochs();

  @Option(
      names = "--lr",
      paramLabel = "LR",
      description =
          "Peak learning rate (default ${DEFAULT-VALUE}, sentence-transformers' default).")
  double lr = TrainingSettings.defaults().learningRate();

  @Option(
      names = "--weight-decay",
      paramLabel = "WD",
      description =
          "AdamW decoupled weight decay, not on biases and LayerNorm (default ${DEFAULT-VALUE}).")
  double weightDecay = TrainingSettings.defaults().weightDecay();

  @Option(
      names = "--warmup-ratio",
      paramLabel = "R",
      description =
          "Share of steps with linear warmup, then linear decay to 0 (default ${DEFAULT-VALUE}).")
  double warmupRatio = TrainingSettings.defaults().warmupRatio();

  @Option(
      names = "--max-grad-norm",
      paramLabel = "N",
      description =
          "Clip the global gradient norm; 0 turns clipping off (default ${DEFAULT-VALUE}).")
  double maxGradNorm = TrainingSettings.defaults().maxGradNorm();

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the data order and of new weights (default ${DEFAULT-VALUE}).")
  long seed = TrainingSettings.defaults().seed();

  @Option(
      names = "--device",
      paramLabel = "cpu|cuda",
      description =
          "Where DJL PyTorch trains (default ${DEFAULT-VALUE}; cuda needs a CUDA libtorch, see docs/paper-on-gpus.md).")
  String device = TrainingSettings.defaults().device();

  @Option(
      names = "--checkpoint-every",
      paramLabel = "STEPS",
      description = "Steps between checkpoints of a partial run (default ${DEFAULT-VALUE}).")
  int checkpointEvery = Trainer.DEFAULT_CHECKPOINT_EVERY;

  /**
   * Trains with {@code objective}, printing a loss line about every 30 s ({@code batchSize}
   * examples a step) and a summary; a diverged run is exit 1.
   */
  int run(CommonOptions common, String command, TrainingSettings settings, Objective objective) {
    settings.validate();
    BeirDataset ds = BeirDataset.open(DatasetOptions.locate(dataset));
    if (ds.isSynthetic()) {
      common.info(
          "note: "
              + ds.dir()
              + " is a SYNTHETIC dataset (negbench synth); the model learns its pseudo-words, not language");
    }
    long[] lastPrint = {System.nanoTime()};
    Trainer.Listener listener =
        (step, total, loss, rate, stepsPerSecond) -> {
          long now = System.nanoTime();
          // A line every ~30 s and at the end: logs stay readable, the bar shows the rest.
          if (now - lastPrint[0] >= 30_000_000_000L || step == total || step == 1) {
            lastPrint[0] = now;
            common.info(
                String.format(
                    Locale.ROOT,
                    "step %d/%d  loss %.4f  lr %.3g  %.3f steps/s  %.1f examples/s",
                    step,
                    total,
                    loss,
                    rate,
                    stepsPerSecond,
                    stepsPerSecond * settings.batchSize()));
          }
        };
    Djl.threads(common.threads); // PyTorch's intra-op threads
    TrainingReport report;
    try {
      report =
          Trainer.train(
              ds,
              split,
              negatives,
              model,
              settings,
              objective,
              out,
              common.progress(),
              checkpointEvery,
              listener);
    } catch (TrainingDivergedException e) {
      System.err.println("negbench " + command + ": error: " + e.getMessage());
      return 1;
    }
    common.info(
        String.format(
            Locale.ROOT,
            "wrote %s: %d steps, %d examples, loss %.4f -> %.4f, %.1f s%s",
            report.checkpoint(),
            report.steps(),
            report.triples(),
            report.firstLoss(),
            report.lastLoss(),
            report.seconds(),
            report.seconds() == 0 ? " (already trained with these inputs and settings)" : ""));
    return 0;
  }
}
