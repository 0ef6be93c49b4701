package dev.negbench.cli;

import dev.negbench.data.Qrels;
import dev.negbench.data.TrecRun;
import dev.negbench.eval.EvaluationResult;
import dev.negbench.eval.Metric;
import dev.negbench.eval.ResultFormat;
import dev.negbench.eval.TrecEval;
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
      "Graded gains and a log2 discount for nDCG; hits ordered by score, then by document id descending as trec_eval orders them (the rank column is ignored); a qrels query with no hits counts 0; relevance <= 0 is not relevant. Reads BEIR qrels TSV and TREC qrels. Metrics: ndcg@K, recall@K, mrr@K (mrr alone = recip_rank), map@K (map alone = the whole run), precision@K, success@K.",
      "",
      "Example: negbench evaluate --qrels ../shared/data/scifact/qrels/test.tsv --run work/scifact-bm25.run"
    })
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--qrels", required = true, paramLabel = "FILE", description = "Qrels: BEIR TSV (with header) or TREC (qid iter docno rel).")
  Path qrels;

  @Option(names = "--run", required = true, paramLabel = "FILE", description = "TREC run: qid Q0 docid rank score tag.")
  Path run;

  @Option(
      names = "--metrics",
      paramLabel = "LIST",
      split = ",",
      description = "Comma-separated metrics (default ${DEFAULT-VALUE}).")
  List<String> metrics = Arrays.asList("ndcg@10", "recall@100", "mrr@10", "map@1000");

  @Option(names = "--per-query", description = "Also print one line (or row) per query.")
  boolean perQuery;

  @Option(names = "--format", paramLabel = "trec|json|csv", description = "Output format (default ${DEFAULT-VALUE}).")
  String format = "trec";

  @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (atomically) instead of stdout.")
  Path out;

  @Option(names = {"-q", "--quiet"}, description = "No notes on stderr.")
  boolean quiet;

  @Override
  public Integer call() {
    ResultFormat fmt = ResultFormat.parse(format);
    List<Metric> parsed = Metric.parseAll(metrics);
    Qrels judgments = Qrels.read(qrels);
    TrecRun hits = TrecRun.read(run);
    EvaluationResult result = TrecEval.evaluate(judgments, hits, parsed);
    String text = fmt.render(result, perQuery);
    if (out != null) {
      AtomicFiles.writeString(out, text);
    } else {
      System.out.print(text);
      System.out.flush();
    }
    if (!quiet) {
      if (judgments.duplicateRows() > 0) {
        System.err.println("warning: " + qrels + ": " + judgments.duplicateRows() + " repeated (query, document) rows; the last grade of each was kept");
      }
      long missing = judgments.queryIds().stream().filter(q -> hits.hits(q) == null).count();
      if (missing > 0) {
        System.err.println("note: " + missing + " of " + judgments.queryCount() + " qrels queries have no hits in the run and count as 0 (trec_eval -c)");
      }
      Path dataset = qrels.toAbsolutePath().getParent() == null ? null : qrels.toAbsolutePath().getParent().getParent();
      if (dataset != null && Files.isRegularFile(dataset.resolve(dev.negbench.data.BeirDataset.SYNTHETIC_MARKER))) {
        System.err.println("note: these qrels belong to a SYNTHETIC dataset (negbench synth)");
      }
    }
    return 0;
  }
}
