package dev.negbench.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.Query;
import dev.negbench.mine.DenseMiner;
import dev.negbench.mine.HardNegativeMining;
import dev.negbench.mine.MiningSettings;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "mine-dense",
    mixinStandardHelpOptions = true,
    description = {
      "Mine hard negatives for the queries of a split with a bi-encoder.",
      "",
      "As mine-bm25, with candidates from exact dense retrieval (see dense-search): for every query with a positive, the candidates ranked --range-min..--range-max that are not positives; 'top' keeps the best N, 'random' samples N with the seed. Writes JSONL, one query a line: {\"query_id\", \"query\", \"positive_ids\", \"negatives\": [{\"doc_id\", \"rank\", \"score\"}]}, or with --format triples {\"query\", \"positive\", \"negative\"} rows. A summary goes to FILE.summary.json.",
      "",
      "Example: negbench mine-dense --dataset beir:scifact --split train --model minilm --num-negatives 5 --out work/scifact-dense-negatives.jsonl"
    })
final class MineDenseCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin DenseSearchCommand.DenseOptions dense;
  @Mixin MiningOptions mining;
  @Mixin RetrievalMiningOptions candidates;

  @Override
  public Integer call() {
    MiningSettings settings = candidates.settings(mining);
    long start = System.nanoTime();
    try (DenseSearchCommand.DenseOptions.Loaded l = dense.load(mining.split, common)) {
      List<Query> todo = HardNegativeMining.queriesWithPositives(l.qrels(), l.queries());
      float[][] vectors = l.encodeQueries(todo, common);
      DenseMiner miner =
          new DenseMiner(l.searcher(), todo, vectors, settings, common.threads, common.progress());
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
      summary.put("model", l.modelName());
      summary.put("max_length", l.encoder().maxLength());
      candidates.describe(summary, settings, triples);
      MiningOutput.finish(summary, mining.out, start, common);
    }
    return 0;
  }
}
