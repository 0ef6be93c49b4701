package dev.negbench.cli;

import dev.negbench.data.RunEntry;
import dev.negbench.data.TrecRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options and output shared by the commands that write a TREC run (bm25-search, dense-search). */
final class RunOptions {
  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      description = "Qrels split whose queries are searched (default ${DEFAULT-VALUE}).")
  String split = "test";

  @Option(
      names = "--top-k",
      paramLabel = "K",
      description = "Hits per query (default ${DEFAULT-VALUE}, as BEIR evaluates).")
  int topK = 1000;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "FILE",
      description = "TREC run file to write (atomically).")
  Path run;

  @Option(
      names = "--tag",
      paramLabel = "TAG",
      description =
          "Run tag, the sixth column (default: negbench-SOURCE, with -synthetic on synthetic data).")
  String tag;

  int topK() {
    if (topK < 1) {
      throw new IllegalArgumentException("--top-k must be at least 1, was " + topK);
    }
    return topK;
  }

  /** --tag, else {@code negbench-<source>}, marked when the data is synthetic. */
  String tag(String source, boolean synthetic) {
    return tag != null ? tag : "negbench-" + source + (synthetic ? "-synthetic" : "");
  }

  /** Writes the run atomically and reports its size and the time since {@code startNanos}. */
  void write(Map<String, List<RunEntry>> hits, long startNanos, CommonOptions common) {
    TrecRun.write(run, hits);
    long total = hits.values().stream().mapToLong(List::size).sum();
    common.info(
        String.format(
            Locale.ROOT,
            "wrote %s: %d queries, %d hits, %.1f s",
            run,
            hits.size(),
            total,
            (System.nanoTime() - startNanos) / 1e9));
  }
}
