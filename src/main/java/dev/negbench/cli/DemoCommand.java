package dev.negbench.cli;

import dev.negbench.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
      "Nothing to download: 'reproduce --config configs/demo.yaml' (a synthetic dataset; BM25, dense, cross-encoder and simulator-generated negatives and a mix; training the built-in all-MiniLM-L6-v2 on each; dense retrieval and nDCG@10 for two seeds), then 'report'. Everything goes into a folder of its own, WORK/demo/ (results/ and report/), never into the committed results/ and report/; stages are cached under --work-dir, so a second run, or a run after a crash, does only what is missing. Prints the headline table at the end. bin/negbench demo also runs the JMH kernels (mvn jmh:run, quick profile) and writes the report again with their timings.",
      "",
      "The data is SYNTHETIC and the generator a simulator: the numbers test the machinery, not the paper's question."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Experiment config (default ${DEFAULT-VALUE}).")
  Path config = Path.of("configs/demo.yaml");

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "Results store (default: WORK/demo/results).")
  Path results;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Report folder (default: WORK/demo/report).")
  Path out;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException(
          config + ": config not found; run the demo from the project folder or pass --config");
    }
    Path folder = common.workDir.resolve("demo");
    Path resultsDir = results != null ? results : folder.resolve("results");
    Path outDir = out != null ? out : folder.resolve("report");
    List<String> reproduce =
        new ArrayList<>(
            List.of(
                "reproduce",
                "--config=" + config,
                "--results=" + resultsDir,
                "--threads=" + common.threads,
                "--work-dir=" + common.workDir));
    List<String> report =
        new ArrayList<>(List.of("report", "--results=" + resultsDir, "--out=" + outDir, "--quiet"));
    if (common.quiet) {
      reproduce.add("--quiet");
    }
    int code = step(reproduce);
    if (code == 0) {
      code = step(report);
    }
    if (code != 0) {
      return code; // the step printed its error
    }
    if (!common.quiet) {
      System.out.print(headline(Report.build(resultsDir), resultsDir, outDir));
    }
    return 0;
  }

  /**
   * The console's mark of a source a test fixture made (ASCII: a terminal may not print the
   * report's dagger).
   */
  private static final String FIXTURE = "[fixture]";

  private static String consoleLabel(Report r, Report.DatasetRow d, String source) {
    return r.fixtureModels(d.experiment(), d.dataset(), source).isEmpty()
        ? source
        : source + " " + FIXTURE;
  }

  /**
   * What ran, where it went, and nDCG@10 per source with its interval, its test against bm25 and
   * its cost.
   */
  static String headline(Report r, Path results, Path out) {
    StringBuilder b = new StringBuilder();
    b.append("\ndemo done (SYNTHETIC data, simulated generator): results ")
        .append(results)
        .append(", report ")
        .append(out.resolve("index.html"))
        .append('\n');
    for (Report.DatasetRow d : r.datasets()) {
      b.append(
          String.format(
              Locale.ROOT,
              "%n%s / %s (%d test queries): nDCG@10, mean over seeds [95%% interval]; vs %s after Holm; US$ per 1,000 negatives%n",
              d.experiment(),
              d.dataset(),
              d.queries(),
              Report.BASELINE));
      for (Report.Score s : d.scores()) {
        String mark =
            s.significant()
                ? (s.direction() >= 0 ? "better" : "worse")
                : s.p() == null ? "" : "n.s.";
        double usd =
            r.costs().stream()
                .filter(
                    c ->
                        c.experiment().equals(d.experiment())
                            && c.dataset().equals(d.dataset())
                            && c.source().equals(s.source()))
                .mapToDouble(Report.CostRow::usdPer1000Negatives)
                .findFirst()
                .orElse(Double.NaN);
        b.append(
            String.format(
                Locale.ROOT,
                "  %-16s %.4f [%.4f, %.4f] (%d seeds)  %-6s %s%n",
                consoleLabel(r, d, s.source()),
                s.mean(),
                s.ciLow(),
                s.ciHigh(),
                s.seeds(),
                mark,
                Double.isNaN(usd) ? "" : String.format(Locale.ROOT, "US$ %.6f", usd)));
      }
    }
    if (!r.fixtureNotes().isEmpty()) {
      b.append('\n')
          .append(FIXTURE)
          .append(
              ": made with a TEST FIXTURE, a tiny random-weight model; its numbers test the machinery, not the source: ")
          .append(String.join("; ", r.fixtureNotes()))
          .append('\n');
    }
    return b.toString();
  }

  private static int step(List<String> argv) {
    System.err.println("$ negbench " + String.join(" ", argv));
    return Main.run(argv.toArray(String[]::new));
  }
}
