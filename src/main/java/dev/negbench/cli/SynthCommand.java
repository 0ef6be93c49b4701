package dev.negbench.cli;

import dev.negbench.data.SyntheticDataset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Write a synthetic BEIR dataset (the embedded default).",
      "",
      "Documents are drawn from topics; queries from a document's distinctive terms; qrels are graded (2 target, 1 related near-duplicate, 0 judged distractor); near-duplicate distractors make hard negatives. One query in five goes to the test split, the rest to train. The same settings give the same bytes. The folder holds synthetic.json and every id starts with 'syn-'.",
      "",
      "Example: negbench synth --docs 10000 --queries 1000 --seed 42 --out work/synth-10k"
    })
final class SynthCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--docs",
      paramLabel = "N",
      description = "Number of documents (default ${DEFAULT-VALUE}).")
  int docs = 10_000;

  @Option(
      names = "--queries",
      paramLabel = "M",
      description = "Number of queries over both splits (default ${DEFAULT-VALUE}).")
  int queries = 1_000;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output folder; must not exist or be empty.")
  Path out;

  @Override
  public Integer call() {
    var settings = new SyntheticDataset.Settings(docs, queries, seed);
    SyntheticDataset.write(settings, out);
    common.info(
        "wrote SYNTHETIC dataset "
            + out
            + ": "
            + docs
            + " documents, "
            + queries
            + " queries ("
            + settings.testQueries()
            + " test), "
            + settings.topics()
            + " topics, seed "
            + seed);
    return 0;
  }
}
