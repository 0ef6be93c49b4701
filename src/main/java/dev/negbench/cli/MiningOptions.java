package dev.negbench.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.mine.MiningSettings;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options shared by mine-bm25 and mine-dense: which negatives to pick, and where to write them. */
final class MiningOptions {
  @Option(names = "--split", paramLabel = "SPLIT", description = "Qrels split to mine for (default ${DEFAULT-VALUE}).")
  String split = "train";

  @Option(names = "--num-negatives", paramLabel = "N", description = "Negatives per query (default ${DEFAULT-VALUE}).")
  int numNegatives = 5;

  // sentence-transformers' mine_hard_negatives skips nothing by default (range_min 0); rank 1
  // is often a false negative on BEIR, so users commonly start at 10 or so.
  @Option(names = "--range-min", paramLabel = "A", description = "Best candidate rank to consider, 1-based (default ${DEFAULT-VALUE}).")
  int rangeMin = 1;

  @Option(names = "--range-max", paramLabel = "B", description = "Worst candidate rank to consider (default ${DEFAULT-VALUE}).")
  int rangeMax = 100;

  @Option(names = "--sampling", paramLabel = "top|random", description = "Take the best N or sample N at random (default ${DEFAULT-VALUE}).")
  String sampling = "top";

  @Option(names = "--seed", paramLabel = "S", description = "Seed for --sampling random (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--format", paramLabel = "negatives|triples", description = "Output rows (default ${DEFAULT-VALUE}).")
  MiningOutput.Format format = MiningOutput.Format.negatives;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSONL file to write (atomically).")
  Path out;

  MiningSettings settings() {
    MiningSettings.Sampling mode =
        switch (sampling.toLowerCase(Locale.ROOT)) {
          case "top" -> MiningSettings.Sampling.TOP;
          case "random" -> MiningSettings.Sampling.RANDOM;
          default -> throw new IllegalArgumentException("--sampling must be 'top' or 'random', was '" + sampling + "'");
        };
    return new MiningSettings(numNegatives, rangeMin, rangeMax, mode, seed);
  }

  /** Records these settings in a summary. */
  void describe(ObjectNode summary, long triples) {
    summary.put("num_negatives", numNegatives);
    summary.put("range_min", rangeMin);
    summary.put("range_max", rangeMax);
    summary.put("sampling", sampling.toLowerCase(Locale.ROOT));
    summary.put("seed", seed);
    summary.put("format", format.name());
    if (format == MiningOutput.Format.triples) {
      summary.put("triples", triples);
    }
  }
}
