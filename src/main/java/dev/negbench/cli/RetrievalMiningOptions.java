package dev.negbench.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.mine.MiningSettings;
import picocli.CommandLine.Option;

/**
 * Options of the miners that pick from a retrieval ranking (mine-bm25, mine-dense), beside {@link
 * MiningOptions}: the rank range and the rows to write.
 */
final class RetrievalMiningOptions {
  // sentence-transformers' mine_hard_negatives skips nothing by default (range_min 0); rank 1
  // is often a false negative on BEIR, so users commonly start at 10 or so.
  @Option(
      names = "--range-min",
      paramLabel = "A",
      description = "Best candidate rank to consider, 1-based (default ${DEFAULT-VALUE}).")
  int rangeMin = 1;

  @Option(
      names = "--range-max",
      paramLabel = "B",
      description = "Worst candidate rank to consider (default ${DEFAULT-VALUE}).")
  int rangeMax = 100;

  @Option(
      names = "--format",
      paramLabel = "negatives|triples",
      description = "Output rows (default ${DEFAULT-VALUE}).")
  MiningOutput.Format format = MiningOutput.Format.negatives;

  MiningSettings settings(MiningOptions mining) {
    return mining.settings(rangeMin, rangeMax);
  }

  /** Records the settings and the output rows in a summary. */
  void describe(ObjectNode summary, MiningSettings settings, long triples) {
    summary.put("num_negatives", settings.numNegatives());
    summary.put("range_min", settings.rangeMin());
    summary.put("range_max", settings.rangeMax());
    summary.put("sampling", settings.sampling().label());
    summary.put("seed", settings.seed());
    summary.put("format", format.name());
    if (format == MiningOutput.Format.triples) {
      summary.put("triples", triples);
    }
  }
}
