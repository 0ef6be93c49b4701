package dev.negbench.cli;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.eval.EvaluationResult;
import dev.negbench.eval.Metric;
import dev.negbench.eval.ResultFormat;
import dev.negbench.eval.RunFileEvaluation;
import dev.negbench.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score a TREC run against qrels exactly as trec_eval -c does.",
      "",
      "The run is streamed, never held whole: a run grouped by query (as every run negbench writes) is read in --threads parts at once; one whose query lines are scattered is grouped through temporary files first, so memory does not grow with the run.",
      "",
      "Graded gains and a log2 discount for nDCG; hits ordered by score, then by document id descending as trec_eval orders them (the rank column is ignored); a qrels query with no hits counts 0; relevance <= 0 is not relevant. Reads BEIR qrels TSV and TREC qrels. Metrics: ndcg@K, recall@K, mrr@K (mrr alone = recip_rank), map@K (map alone = the whole run), precision@K, success@K.",
      "",
      "Example: negbench evaluate --qrels data/scifact/qrels/test.tsv --run work/scifact-bm25.run"
    })
final class EvaluateCommand implements Callable<Integer> {
  @Option(
      names = "--qrels",
      required = true,
      paramLabel = "FILE",
      description = "Qrels: BEIR TSV (with header) or TREC (qid iter docno rel).")
  Path qrels;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "FILE",
      description = "TREC run: qid Q0 docid rank score tag.")
  Path run;

  @Option(
      names = "--metrics",
      paramLabel = "LIST",
      split = ",",
      description = "Comma-separated metrics (default ${DEFAULT-VALUE}).")
  List<String> metrics = Arrays.asList("ndcg@10", "recall@100", "mrr@10", "map@1000");

  @Option(names = "--per-query", description = "Also print one line (or row) per query.")
  boolean perQuery;

  @Option(
      names = "--format",
      paramLabel = "trec|json|csv",
      description = "Output format (default ${DEFAULT-VALUE}).")
  String format = "trec";

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write to FILE (atomically) instead of stdout.")
  Path out;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Parts of the run read and scored at once (default: the number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = {"-q", "--quiet"},
      description = "No notes on stderr.")
  boolean quiet;

  @Override
  public Integer call() {
    ResultFormat fmt = ResultFormat.parse(format);
    List<Metric> parsed = Metric.parseAll(metrics);
    Qrels judgments = Qrels.read(qrels);
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, was " + threads);
    }
    RunFileEvaluation.Outcome outcome = RunFileEvaluation.evaluate(judgments, run, parsed, threads);
    EvaluationResult result = outcome.result();
    String text = fmt.render(result, perQuery);
    if (out != null) {
      AtomicFiles.writeString(out, text);
    } else {
      System.out.print(text);
      System.out.flush();
    }
    if (!quiet) {
      if (judgments.duplicateRows() > 0) {
        System.err.println(
            "warning: "
                + qrels
                + ": "
                + judgments.duplicateRows()
                + " repeated (query, document) rows; the last grade of each was kept");
      }
      long missing = outcome.queriesWithoutHits();
      if (missing > 0) {
        System.err.println(
            "note: "
                + missing
                + " of "
                + judgments.queryCount()
                + " qrels queries have no hits in the run and count as 0 (trec_eval -c)");
      }
      Path dataset =
          qrels.toAbsolutePath().getParent() == null
              ? null
              : qrels.toAbsolutePath().getParent().getParent();
      if (dataset != null && Files.isRegularFile(dataset.resolve(BeirDataset.SYNTHETIC_MARKER))) {
        System.err.println("note: these qrels belong to a SYNTHETIC dataset (negbench synth)");
      }
    }
    return 0;
  }
}
