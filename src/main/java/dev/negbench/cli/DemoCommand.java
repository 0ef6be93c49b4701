package dev.negbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the pipeline end to end on synthetic data (the main job).",
      "",
      "Nothing to download: synth -> BM25 index and search on the test split -> evaluate (nDCG@10, R@100, MRR@10, MAP) -> mine BM25 hard negatives for the train split. Outputs go to --work-dir/demo. bin/negbench demo then runs the JMH kernels (mvn jmh:run, quick profile)."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--docs", paramLabel = "N", description = "Synthetic documents (default ${DEFAULT-VALUE}).")
  int docs = 5_000;

  @Option(names = "--queries", paramLabel = "M", description = "Synthetic queries (default ${DEFAULT-VALUE}).")
  int queries = 1_000;

  @Option(names = "--seed", paramLabel = "S", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Override
  public Integer call() {
    Path dir = common.workDir.resolve("demo");
    Path data = dir.resolve("synthetic-" + docs + "-" + queries + "-" + seed);
    Path run = dir.resolve("bm25-test.run");
    Path negatives = dir.resolve("bm25-train-negatives.jsonl");
    List<String> shared = new ArrayList<>();
    if (common.quiet) {
      shared.add("--quiet");
    }
    shared.add("--threads=" + common.threads);
    shared.add("--work-dir=" + common.workDir);

    if (!Files.isDirectory(data)) {
      step("synth", shared, "--docs=" + docs, "--queries=" + queries, "--seed=" + seed, "--out=" + data);
    }
    step("bm25-search", shared, "--dataset=" + data, "--split=test", "--top-k=1000", "--run=" + run);
    step(
        "evaluate",
        shared,
        "--qrels=" + data.resolve("qrels/test.tsv"),
        "--run=" + run,
        "--metrics=ndcg@10,recall@100,mrr@10,map");
    step(
        "mine-bm25",
        shared,
        "--dataset=" + data,
        "--split=train",
        "--num-negatives=5",
        "--range-min=1",
        "--range-max=100",
        "--out=" + negatives);
    System.err.println("demo done (SYNTHETIC data): run " + run + ", negatives " + negatives);
    return 0;
  }

  private void step(String command, List<String> shared, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(command);
    argv.addAll(shared.stream().filter(a -> accepts(command, a)).toList());
    argv.addAll(List.of(args));
    System.err.println("$ negbench " + String.join(" ", argv));
    int code = Main.run(argv.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("demo step '" + command + "' failed with exit code " + code);
    }
  }

  /** evaluate takes no --threads or --work-dir. */
  private static boolean accepts(String command, String option) {
    return !command.equals("evaluate") || option.equals("--quiet");
  }
}
