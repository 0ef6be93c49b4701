package dev.negbench.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.mine.Bm25Miner;
import dev.negbench.mine.Bm25Searcher;
import dev.negbench.mine.HardNegativeMining;
import dev.negbench.mine.MiningSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "mine-bm25",
    mixinStandardHelpOptions = true,
    description = {
      "Mine BM25 hard negatives for the queries of a split.",
      "",
      "For every query with a positive: the candidates ranked --range-min..--range-max that are not positives; 'top' keeps the best N, 'random' samples N with the seed. Writes JSONL, one query a line: {\"query_id\", \"query\", \"positive_ids\", \"negatives\": [{\"doc_id\", \"rank\", \"score\"}]}, or with --format triples {\"query\", \"positive\", \"negative\"} rows (one per positive and negative) as sentence-transformers reads them. A summary goes to FILE.summary.json.",
      "",
      "Example: negbench mine-bm25 --dataset beir:scifact --split train --num-negatives 5 --out work/scifact-bm25-negatives.jsonl"
    })
final class MineBm25Command implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin Bm25Options bm25;
  @Mixin MiningOptions mining;
  @Mixin RetrievalMiningOptions candidates;

  @Override
  public Integer call() {
    MiningSettings settings = candidates.settings(mining);
    long start = System.nanoTime();
    try (Bm25Options.Loaded l = bm25.load(mining.split, common)) {
      Bm25Miner miner = new Bm25Miner(new Bm25Searcher(l.index()), settings);
      var result =
          HardNegativeMining.mine(
              miner,
              settings.numNegatives(),
              l.qrels(),
              l.queries(),
              common.threads,
              common.progress());
      long triples = MiningOutput.write(mining.out, candidates.format, result.rows(), l.dataset());
      ObjectNode summary = MiningOutput.summary(result.summary(), l.dataset(), mining.split);
      candidates.describe(summary, settings, triples);
      MiningOutput.finish(summary, mining.out, start, common);
    }
    return 0;
  }
}
