package dev.negbench.cli;

import dev.negbench.mine.MiningSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every mine-* command shares: the split, how many negatives and how they are sampled, and
 * where they go. The rank range is the command's own: mine-bm25 and mine-dense take it from {@link
 * RetrievalMiningOptions}, mine-ce ranks by its cross-encoder.
 */
final class MiningOptions {
  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      description = "Qrels split to mine for (default ${DEFAULT-VALUE}).")
  String split = "train";

  @Option(
      names = "--num-negatives",
      paramLabel = "N",
      description = "Negatives per query (default ${DEFAULT-VALUE}).")
  int numNegatives = 5;

  @Option(
      names = "--sampling",
      paramLabel = "top|random",
      description = "Take the best N or sample N at random (default ${DEFAULT-VALUE}).")
  String sampling = "top";

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed for --sampling random (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "JSONL file to write (atomically).")
  Path out;

  /** These options over the candidates ranked {@code rangeMin..rangeMax}. */
  MiningSettings settings(int rangeMin, int rangeMax) {
    return new MiningSettings(
        numNegatives, rangeMin, rangeMax, MiningSettings.Sampling.parse(sampling), seed);
  }
}
