package dev.negbench.cli;

import dev.negbench.data.RunEntry;
import dev.negbench.data.TrecRun;
import dev.negbench.mine.Bm25Searcher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "bm25-search",
    mixinStandardHelpOptions = true,
    description = {
      "BM25-retrieve every query of a split and write a TREC run file.",
      "",
      "Anserini's BEIR 'flat' setting: title and text in one field, Porter stemming, Lucene's English stop words, k1=0.9, b=0.4, and a hit whose id equals the query id left out. Run lines are 'qid Q0 docid rank score tag', ranks from 1. The index is built on first use and reused while its manifest matches.",
      "",
      "Example: negbench bm25-search --dataset ../shared/data/scifact --split test --top-k 1000 --run work/scifact-bm25.run"
    })
final class Bm25SearchCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin Bm25Options bm25;

  @Option(names = "--split", paramLabel = "SPLIT", description = "Qrels split whose queries are searched (default ${DEFAULT-VALUE}).")
  String split = "test";

  @Option(names = "--top-k", paramLabel = "K", description = "Hits per query (default ${DEFAULT-VALUE}, as BEIR evaluates).")
  int topK = 1000;

  @Option(names = "--run", required = true, paramLabel = "FILE", description = "TREC run file to write (atomically).")
  Path run;

  @Option(names = "--tag", paramLabel = "TAG", description = "Run tag, the sixth column (default: negbench-bm25, with -synthetic on synthetic data).")
  String tag;

  @Override
  public Integer call() {
    if (topK < 1) {
      throw new IllegalArgumentException("--top-k must be at least 1, was " + topK);
    }
    long start = System.nanoTime();
    try (Bm25Options.Loaded l = bm25.load(split, common)) {
      String runTag = tag != null ? tag : l.dataset().isSynthetic() ? "negbench-bm25-synthetic" : "negbench-bm25";
      var queries = l.dataset().queries(l.qrels(), l.queries());
      Map<String, List<RunEntry>> hits =
          new Bm25Searcher(l.index()).searchAll(queries, topK, runTag, common.threads, common.progress());
      TrecRun.write(run, hits);
      long total = hits.values().stream().mapToLong(List::size).sum();
      common.info(
          String.format(
              java.util.Locale.ROOT,
              "wrote %s: %d queries, %d hits, %.1f s",
              run, hits.size(), total, (System.nanoTime() - start) / 1e9));
    }
    return 0;
  }
}
