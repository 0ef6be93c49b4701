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
      "Run the demo experiment end to end and write the report (the main job).",
      "",
      "Nothing to download: 'reproduce --config configs/demo.yaml' (a synthetic dataset; BM25, dense, cross-encoder and simulator-generated negatives and a mix; training the built-in all-MiniLM-L6-v2 on each; dense retrieval and nDCG@10 for two seeds), then 'report' into --out. Stages are cached under --work-dir, so a second run, or a run after a crash, does only what is missing. bin/negbench demo also runs the JMH kernels (mvn jmh:run, quick profile) and writes the report again with their timings.",
      "",
      "The data is SYNTHETIC and the generator a simulator: the numbers test the machinery, not the paper's question."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--config", paramLabel = "FILE", description = "Experiment config (default ${DEFAULT-VALUE}).")
  Path config = Path.of("configs/demo.yaml");

  @Option(names = "--results", paramLabel = "DIR", description = "Results store (default ${DEFAULT-VALUE}).")
  Path results = Path.of("results");

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default ${DEFAULT-VALUE}).")
  Path out = Path.of("report");

  @Override
  public Integer call() {
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException(config + ": config not found; run the demo from the project folder or pass --config");
    }
    List<String> reproduce = new ArrayList<>(List.of("reproduce", "--config=" + config, "--results=" + results, "--threads=" + common.threads, "--work-dir=" + common.workDir));
    List<String> report = new ArrayList<>(List.of("report", "--results=" + results, "--out=" + out));
    if (common.quiet) {
      reproduce.add("--quiet");
      report.add("--quiet");
    }
    int code = step(reproduce);
    if (code == 0) {
      code = step(report);
    }
    if (code != 0) {
      return code; // the step printed its error
    }
    common.info("demo done (SYNTHETIC data, simulated generator): results under " + results + ", report " + out.resolve("index.html"));
    return 0;
  }

  private static int step(List<String> argv) {
    System.err.println("$ negbench " + String.join(" ", argv));
    return Main.run(argv.toArray(String[]::new));
  }
}
