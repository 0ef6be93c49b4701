package dev.negbench.cli;

import dev.negbench.generate.ComparisonRow;
import dev.negbench.generate.GeneratorComparison;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "compare-generators",
    mixinStandardHelpOptions = true,
    description = {
      "Compare generation runs: one row per generator with its size, throughput, latency percentiles, acceptance rate and cost.",
      "",
      "Reads each run's FILE.summary.json (give the generate output FILE or the summary itself), prints a table and writes PREFIX.csv and PREFIX.json. Cost is GPU-seconds (wall time x GPU count) at the profile's $ per GPU-hour, and $ per 1,000 accepted negatives. Runs against the simulator are marked simulated: their timings and costs are a model.",
      "",
      "Example: negbench compare-generators work/scifact-qwen3-8b.jsonl work/scifact-qwen3-14b.jsonl --out work/generators"
    })
final class CompareGeneratorsCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "RUN",
      description = "generate outputs or their .summary.json files")
  List<Path> runs;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "PREFIX",
      description = "Writes PREFIX.csv and PREFIX.json.")
  Path out;

  @Option(
      names = {"-q", "--quiet"},
      description = "Do not print the table.")
  boolean quiet;

  @Override
  public Integer call() {
    List<ComparisonRow> rows = GeneratorComparison.read(runs);
    GeneratorComparison.write(rows, out);
    if (!quiet) {
      System.out.print(GeneratorComparison.table(rows));
      System.err.println("wrote " + out + ".csv and " + out + ".json");
    }
    return 0;
  }
}
