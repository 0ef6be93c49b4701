package dev.negbench.cli;

import dev.negbench.report.MissingCells;
import dev.negbench.report.Report;
import dev.negbench.results.ResultsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Build CSV tables and one self-contained HTML page from a results folder.",
      "",
      "Reads RESULTS/EXPERIMENT/DATASET/SOURCE/seed-N/ (metrics.json, per-query.csv, cost.json, hardness.json, generation.json), RESULTS/jmh/*.json (JMH -rf json) and RESULTS/reference/*.csv (published numbers: dataset,system,metric,value,source). Writes OUT/ndcg10.csv (mean and sd over seeds, marks against the bm25 source), ndcg10.tex (the same table for a paper, booktabs), significance.csv (every pair of sources per dataset: difference, 95% bootstrap interval, randomization test over queries and seeds, Holm; rows ALL across datasets: Wilcoxon), cost.csv (seconds, device and US$ of every source's negatives beside its nDCG@10), metrics.csv, generators.csv, hardness.csv, jmh.csv and index.html (inline CSS and SVG, no scripts). The same results always give the same bytes.",
      "",
      "Example: negbench report   (the committed results into work/report, to look at)",
      "         negbench report --results results --out report   (regenerates the committed tables from the committed results)"
    })
final class ReportCommand implements Callable<Integer> {
  @Option(
      names = "--results",
      paramLabel = "DIR",
      description =
          "Results folder to read (default ${DEFAULT-VALUE}: the committed results, only read).")
  Path results = Path.of("results");

  // Under the git-ignored work folder: the committed report/ is rewritten only when named.
  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Output folder for the tables and index.html (default ${DEFAULT-VALUE}: report/ in $NEGBENCH_WORK, else in ./work, which git ignores; the committed report/ only when named: --out report).")
  Path out = CommonOptions.defaultWorkDir().resolve("report");

  @Option(
      names = {"-q", "--quiet"},
      description = "No summary on stderr.")
  boolean quiet;

  @Override
  public Integer call() {
    if (!Files.isDirectory(results)) {
      throw new IllegalArgumentException(results + ": results folder not found");
    }
    Report report = Report.build(results);
    report.write(out);
    // A grid still running, or left with cells nobody finished: reported as it is, gaps named.
    List<String> missing = MissingCells.of(new ResultsStore(results).readAll());
    if (!missing.isEmpty()) {
      System.err.println(
          "report: "
              + missing.size()
              + " cells of the grid have no results yet (partial grid): "
              + String.join(", ", missing));
    }
    if (!quiet) {
      System.err.println(
          "report: "
              + report.datasets().size()
              + " dataset rows, "
              + report.generators().size()
              + " generator rows, "
              + report.hardness().size()
              + " hardness rows, "
              + report.jmh().size()
              + " JMH files -> "
              + out.resolve("index.html"));
    }
    return 0;
  }
}
