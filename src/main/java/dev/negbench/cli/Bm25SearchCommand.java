package dev.negbench.cli;

import dev.negbench.mine.Bm25Searcher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "bm25-search",
    mixinStandardHelpOptions = true,
    description = {
      "BM25-retrieve every query of a split and write a TREC run file.",
      "",
      "Anserini's BEIR 'flat' setting: title and text in one field, Porter stemming, Lucene's English stop words, k1=0.9, b=0.4, and a hit whose id equals the query id left out. Run lines are 'qid Q0 docid rank score tag', ranks from 1. The index is built on first use and reused while its manifest matches.",
      "",
      "Example: negbench bm25-search --dataset beir:scifact --split test --top-k 1000 --run work/scifact-bm25.run"
    })
final class Bm25SearchCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin Bm25Options bm25;
  @Mixin RunOptions output;

  @Override
  public Integer call() {
    int topK = output.topK();
    long start = System.nanoTime();
    try (Bm25Options.Loaded l = bm25.load(output.split, common)) {
      var queries = l.dataset().queries(l.qrels(), l.queries());
      String tag = output.tag("bm25", l.dataset().isSynthetic());
      output.write(
          new Bm25Searcher(l.index())
              .searchAll(queries, topK, tag, common.threads, common.progress()),
          start,
          common);
    }
    return 0;
  }
}
