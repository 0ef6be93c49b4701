package dev.negbench.cli;

import dev.negbench.train.CrossEncoderObjective;
import dev.negbench.train.TrainingSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "train-ce",
    mixinStandardHelpOptions = true,
    description = {
      "Fine-tune a cross-encoder (reranker) on hard negatives (DJL PyTorch).",
      "",
      "Reads a negatives file as the miners (mine-bm25, mine-dense, mine-ce) and the generator write it. Every row must be a query of --split with a positive in its qrels (exit 2 naming the file and line otherwise). For each (query, positive) one group: the positive first, then --negatives-per-query of the query's hard negatives. Each pair is read as [CLS] query [SEP] passage [SEP], cut longest-first at --max-length tokens, and scored by a one-logit classification head over the encoder (BERT: its tanh pooler over [CLS]; DistilBERT: a ReLU layer over [CLS]). --loss softmax is the cross-entropy of the positive under a softmax over its group; --loss bce is binary cross-entropy per pair (positive 1, negatives 0). AdamW with linear warmup and decay, gradient clipping, batches of --batch-size groups in a seeded order, as 'train' does.",
      "",
      "The model: 'minilm' (all-MiniLM-L6-v2, imported from the built-in ONNX export), a Hugging Face encoder folder (config.json of a DistilBERT or BERT, model.safetensors, tokenizer.json), which gets a new head drawn with --seed, or a cross-encoder folder (BertForSequenceClassification or DistilBertForSequenceClassification with one label) to train further.",
      "",
      "--out becomes a Hugging Face cross-encoder (config.json with architectures *ForSequenceClassification, model.safetensors with transformers' names including classifier.weight and classifier.bias, tokenizer.json) that transformers' AutoModelForSequenceClassification and sentence-transformers' CrossEncoder load, and that rerank, score and mine-ce take (export-onnx makes it faster). A partial run checkpoints to --out/checkpoint every --checkpoint-every steps; running the same command again resumes there. A NaN loss stops with exit 1.",
      "",
      "Example: negbench train-ce --dataset beir:scifact --negatives work/scifact-bm25-negatives.jsonl --model minilm --epochs 1 --out work/ce-scifact"
    })
final class TrainCeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin TrainingOptions training;

  // Groups, not pairs: a step scores B x (1 + negatives-per-query) pairs.
  @Option(
      names = "--batch-size",
      paramLabel = "B",
      description =
          "Groups (query, positive and its negatives) per optimizer step (default ${DEFAULT-VALUE}).")
  int batchSize = 16;

  // sentence-transformers' CrossEncoder reads up to 512 tokens; 256 keeps most SciFact abstracts
  // whole at half the cost on a CPU.
  @Option(
      names = "--max-length",
      paramLabel = "L",
      description =
          "Tokens per (query, passage) pair, longer pairs cut longest-first (default ${DEFAULT-VALUE}); also the checkpoint's max length.")
  int maxLength = 256;

  @Option(
      names = "--negatives-per-query",
      paramLabel = "N",
      description =
          "Hard negatives in each group after its positive (default ${DEFAULT-VALUE}; fewer when a row has fewer).")
  int negativesPerQuery = 3;

  @Option(
      names = "--loss",
      paramLabel = "softmax|bce",
      description =
          "Softmax cross-entropy over each group, or binary cross-entropy per pair (default ${DEFAULT-VALUE}).")
  String loss = "softmax";

  @Override
  public Integer call() {
    TrainingOptions t = training;
    CrossEncoderObjective objective =
        new CrossEncoderObjective(CrossEncoderObjective.parseLoss(loss));
    // A pair is one input: both lengths are the pair's, and the MNRL scale is not used.
    TrainingSettings settings =
        new TrainingSettings(
            t.epochs,
            batchSize,
            t.lr,
            t.weightDecay,
            t.warmupRatio,
            t.maxGradNorm,
            maxLength,
            maxLength,
            negativesPerQuery,
            TrainingSettings.defaults().scale(),
            t.seed,
            t.device);
    return training.run(common, "train-ce", settings, objective);
  }
}
