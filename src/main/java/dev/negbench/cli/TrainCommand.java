package dev.negbench.cli;

import dev.negbench.train.Objective;
import dev.negbench.train.TrainingSettings;
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
      "Example: negbench train --dataset beir:scifact --negatives work/scifact-bm25-negatives.jsonl --model minilm --epochs 1 --out work/minilm-scifact-bm25"
    })
final class TrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin TrainingOptions training;

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      description =
          "Queries per batch; each sees B positives and B x negatives-per-query hard negatives (default ${DEFAULT-VALUE}).")
  int batchSize = TrainingSettings.defaults().batchSize();

  @Option(
      names = "--max-query-length",
      paramLabel = "L",
      description = "Query tokens (default ${DEFAULT-VALUE}).")
  int maxQueryLength = TrainingSettings.defaults().maxQueryLength();

  @Option(
      names = "--max-doc-length",
      paramLabel = "L",
      description =
          "Passage tokens, also the checkpoint's max_seq_length (default ${DEFAULT-VALUE}).")
  int maxDocLength = TrainingSettings.defaults().maxDocLength();

  @Option(
      names = "--negatives-per-query",
      paramLabel = "N",
      description = "Hard negatives per example (default ${DEFAULT-VALUE}, the paper's triples).")
  int negativesPerQuery = TrainingSettings.defaults().negativesPerQuery();

  @Option(
      names = "--scale",
      paramLabel = "S",
      description =
          "Similarity scale, the inverse temperature (default ${DEFAULT-VALUE}, sentence-transformers' MNRL).")
  double scale = TrainingSettings.defaults().scale();

  @Override
  public Integer call() {
    TrainingOptions t = training;
    TrainingSettings settings =
        new TrainingSettings(
            t.epochs,
            batchSize,
            t.lr,
            t.weightDecay,
            t.warmupRatio,
            t.maxGradNorm,
            maxQueryLength,
            maxDocLength,
            negativesPerQuery,
            scale,
            t.seed,
            t.device);
    return training.run(common, "train", settings, Objective.MNRL);
  }
}
