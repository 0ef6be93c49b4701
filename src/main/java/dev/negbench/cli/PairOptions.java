package dev.negbench.cli;

import picocli.CommandLine.Option;

/**
 * How the commands that run a cross-encoder (score, mine-ce, rerank) batch and cut (query, passage)
 * pairs.
 */
final class PairOptions {
  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Pairs per model call (default ${DEFAULT-VALUE}).")
  int batchSize = 32;

  // 512 is BERT's position limit and what sentence-transformers' CrossEncoder allows by default;
  // it is capped at the model's max_position_embeddings.
  @Option(
      names = "--max-length",
      paramLabel = "L",
      description =
          "Tokens per pair, longer pairs truncated longest-first (default ${DEFAULT-VALUE}, capped at the model's max_position_embeddings).")
  int maxLength = 512;
}
