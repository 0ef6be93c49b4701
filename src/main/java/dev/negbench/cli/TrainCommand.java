package dev.negbench.cli;

import dev.negbench.data.BeirDataset;
import dev.negbench.train.Trainer;
import dev.negbench.train.TrainingDivergedException;
import dev.negbench.train.TrainingReport;
import dev.negbench.train.TrainingSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Fine-tune a bi-encoder on hard negatives with MultipleNegativesRankingLoss (DJL PyTorch).",
      "",
      "Reads a negatives file as the miners (mine-bm25, mine-ce, mine-dense) and the generator write it: for each query of --split, one example per positive with --negatives-per-query of its hard negatives (inline 'text' used as is, other ids looked up in the corpus). Each query is scored against every positive and hard negative of its batch by cosine similarity times --scale; the loss is the cross-entropy of its own positive. Mean pooling; AdamW with linear warmup and decay, gradient clipping; batches drawn in a seeded order, with no text twice in a batch. The model: 'minilm' (all-MiniLM-L6-v2, imported from the built-in ONNX export) or a Hugging Face folder (config.json of a DistilBERT or BERT, model.safetensors, tokenizer.json).",
      "",
      "--out becomes a Hugging Face checkpoint (config.json, model.safetensors, tokenizer.json, sentence-transformers module files) that transformers and sentence-transformers load, and that dense-search --model and embed --model take. A partial run checkpoints to --out/checkpoint every --checkpoint-every steps; running the same command again resumes there. A NaN loss stops with exit 1.",
      "",
      "Example: negbench train --dataset ../shared/data/scifact --negatives work/scifact-bm25-negatives.jsonl --model minilm --epochs 1 --out work/minilm-scifact-bm25"
    })
final class TrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "BEIR dataset folder whose corpus the negatives file's ids name.")
  Path dataset;

  @Option(names = "--split", paramLabel = "SPLIT", description = "Qrels split whose queries are trained on (default ${DEFAULT-VALUE}).")
  String split = "train";

  @Option(names = "--negatives", required = true, paramLabel = "FILE", description = "Negatives JSONL (mine-bm25, mine-ce, mine-dense or generated).")
  Path negatives;

  @Option(names = "--model", paramLabel = "minilm|DIR", description = "Model to start from (default ${DEFAULT-VALUE}).")
  String model = "minilm";

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Checkpoint folder to write; a partial run there is resumed.")
  Path out;

  @Option(names = "--epochs", paramLabel = "E", description = "Passes over the examples (default ${DEFAULT-VALUE}).")
  int epochs = TrainingSettings.defaults().epochs();

  @Option(names = "--batch-size", paramLabel = "B", description = "Queries per batch; each sees B positives and B x negatives-per-query hard negatives (default ${DEFAULT-VALUE}).")
  int batchSize = TrainingSettings.defaults().batchSize();

  @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (default ${DEFAULT-VALUE}, sentence-transformers' default).")
  double lr = TrainingSettings.defaults().learningRate();

  @Option(names = "--weight-decay", paramLabel = "WD", description = "AdamW decoupled weight decay, not on biases and LayerNorm (default ${DEFAULT-VALUE}).")
  double weightDecay = TrainingSettings.defaults().weightDecay();

  @Option(names = "--warmup-ratio", paramLabel = "R", description = "Share of steps with linear warmup, then linear decay to 0 (default ${DEFAULT-VALUE}).")
  double warmupRatio = TrainingSettings.defaults().warmupRatio();

  @Option(names = "--max-grad-norm", paramLabel = "N", description = "Clip the global gradient norm; 0 turns clipping off (default ${DEFAULT-VALUE}).")
  double maxGradNorm = TrainingSettings.defaults().maxGradNorm();

  @Option(names = "--max-query-length", paramLabel = "L", description = "Query tokens (default ${DEFAULT-VALUE}).")
  int maxQueryLength = TrainingSettings.defaults().maxQueryLength();

  @Option(names = "--max-doc-length", paramLabel = "L", description = "Passage tokens, also the checkpoint's max_seq_length (default ${DEFAULT-VALUE}).")
  int maxDocLength = TrainingSettings.defaults().maxDocLength();

  @Option(names = "--negatives-per-query", paramLabel = "N", description = "Hard negatives per example (default ${DEFAULT-VALUE}, the paper's triples).")
  int negativesPerQuery = TrainingSettings.defaults().negativesPerQuery();

  @Option(names = "--scale", paramLabel = "S", description = "Similarity scale, the inverse temperature (default ${DEFAULT-VALUE}, sentence-transformers' MNRL).")
  double scale = TrainingSettings.defaults().scale();

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the data order (default ${DEFAULT-VALUE}).")
  long seed = TrainingSettings.defaults().seed();

  @Option(names = "--device", paramLabel = "cpu|cuda", description = "Where DJL PyTorch trains (default ${DEFAULT-VALUE}; cuda needs a CUDA libtorch, see README).")
  String device = TrainingSettings.defaults().device();

  @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "Steps between checkpoints of a partial run (default ${DEFAULT-VALUE}).")
  int checkpointEvery = Trainer.DEFAULT_CHECKPOINT_EVERY;

  @Override
  public Integer call() {
    TrainingSettings settings =
        new TrainingSettings(epochs, batchSize, lr, weightDecay, warmupRatio, maxGradNorm, maxQueryLength, maxDocLength, negativesPerQuery, scale, seed, device)
            .validate();
    BeirDataset ds = BeirDataset.open(dataset);
    if (ds.isSynthetic()) {
      common.info("note: " + ds.dir() + " is a SYNTHETIC dataset (negbench synth); the model learns its pseudo-words, not language");
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
                    Locale.ROOT, "step %d/%d  loss %.4f  lr %.3g  %.3f steps/s  %.1f examples/s", step, total, loss, rate, stepsPerSecond,
                    stepsPerSecond * batchSize));
          }
        };
    dev.negbench.model.Djl.threads(common.threads); // PyTorch's intra-op threads
    TrainingReport report;
    try {
      report = Trainer.train(ds, split, negatives, model, settings, out, common.progress(), checkpointEvery, listener);
    } catch (TrainingDivergedException e) {
      System.err.println("negbench train: error: " + e.getMessage());
      return 1;
    }
    common.info(
        String.format(
            Locale.ROOT,
            "wrote %s: %d steps, %d examples, loss %.4f -> %.4f, %.1f s%s",
            report.checkpoint(), report.steps(), report.triples(), report.firstLoss(), report.lastLoss(), report.seconds(),
            report.seconds() == 0 ? " (already trained with these inputs and settings)" : ""));
    return 0;
  }
}
