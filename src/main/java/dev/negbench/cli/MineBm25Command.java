package dev.negbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.AtomicFiles;
import dev.negbench.data.Document;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.Triple;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.Bm25Miner;
import dev.negbench.mine.Bm25Searcher;
import dev.negbench.mine.HardNegativeMining;
import dev.negbench.mine.MiningSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "mine-bm25",
    mixinStandardHelpOptions = true,
    description = {
      "Mine BM25 hard negatives for the queries of a split.",
      "",
      "For every query with a positive: the candidates ranked --range-min..--range-max that are not positives; 'top' keeps the best N, 'random' samples N with the seed. Writes JSONL, one query a line: {\"query_id\", \"query\", \"positive_ids\", \"negatives\": [{\"doc_id\", \"rank\", \"score\"}]}, or with --format triples {\"query\", \"positive\", \"negative\"} rows (one per positive and negative) as sentence-transformers reads them. A summary goes to FILE.summary.json.",
      "",
      "Example: negbench mine-bm25 --dataset ../shared/data/scifact --split train --num-negatives 5 --out work/scifact-bm25-negatives.jsonl"
    })
final class MineBm25Command implements Callable<Integer> {
  enum Format {
    negatives,
    triples
  }

  @Mixin CommonOptions common;
  @Mixin Bm25Options bm25;

  @Option(names = "--split", paramLabel = "SPLIT", description = "Qrels split to mine for (default ${DEFAULT-VALUE}).")
  String split = "train";

  @Option(names = "--num-negatives", paramLabel = "N", description = "Negatives per query (default ${DEFAULT-VALUE}).")
  int numNegatives = 5;

  // sentence-transformers' mine_hard_negatives skips nothing by default (range_min 0); rank 1
  // is often a false negative on BEIR, so users commonly start at 10 or so.
  @Option(names = "--range-min", paramLabel = "A", description = "Best candidate rank to consider, 1-based (default ${DEFAULT-VALUE}).")
  int rangeMin = 1;

  @Option(names = "--range-max", paramLabel = "B", description = "Worst candidate rank to consider (default ${DEFAULT-VALUE}).")
  int rangeMax = 100;

  @Option(names = "--sampling", paramLabel = "top|random", description = "Take the best N or sample N at random (default ${DEFAULT-VALUE}).")
  String sampling = "top";

  @Option(names = "--seed", paramLabel = "S", description = "Seed for --sampling random (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--format", paramLabel = "negatives|triples", description = "Output rows (default ${DEFAULT-VALUE}).")
  Format format = Format.negatives;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSONL file to write (atomically).")
  Path out;

  @Override
  public Integer call() throws Exception {
    MiningSettings.Sampling mode =
        switch (sampling.toLowerCase(Locale.ROOT)) {
          case "top" -> MiningSettings.Sampling.TOP;
          case "random" -> MiningSettings.Sampling.RANDOM;
          default -> throw new IllegalArgumentException("--sampling must be 'top' or 'random', was '" + sampling + "'");
        };
    MiningSettings settings = new MiningSettings(numNegatives, rangeMin, rangeMax, mode, seed);
    long start = System.nanoTime();
    try (Bm25Options.Loaded l = bm25.load(split, common)) {
      Bm25Miner miner = new Bm25Miner(new Bm25Searcher(l.index()), settings);
      var result =
          HardNegativeMining.mine(miner, numNegatives, l.qrels(), l.queries(), common.threads, common.progress());
      long triples = write(result, l.index());
      ObjectNode summary = summary(result.summary(), l, triples, (System.nanoTime() - start) / 1e9);
      String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary);
      AtomicFiles.writeString(Path.of(out + ".summary.json"), json + "\n");
      common.info(json);
    }
    return 0;
  }

  private long write(HardNegativeMining.Result result, Bm25Index index) {
    long[] rows = {0};
    AtomicFiles.write(
        out,
        w -> {
          for (HardNegatives h : result.rows()) {
            if (format == Format.negatives) {
              w.write(NegativesJsonl.toJson(h));
              w.write('\n');
              continue;
            }
            for (String positiveId : h.positiveIds()) {
              Document positive = index.document(positiveId);
              if (positive == null) {
                continue; // a qrels id missing from the corpus, already reported
              }
              for (Negative n : h.negatives()) {
                w.write(NegativesJsonl.toJson(new Triple(h.query(), positive.contents(), index.document(n.docId()).contents())));
                w.write('\n');
                rows[0]++;
              }
            }
          }
        });
    return rows[0];
  }

  private ObjectNode summary(HardNegativeMining.Summary s, Bm25Options.Loaded l, long triples, double seconds) {
    ObjectNode node = new ObjectMapper().createObjectNode();
    node.put("source", s.source());
    node.put("dataset", l.dataset().dir().toString());
    node.put("synthetic", l.dataset().isSynthetic());
    node.put("split", split);
    node.put("queries", s.queries());
    node.put("negatives_found", s.negatives());
    node.put("queries_short_of_n", s.queriesShort());
    node.put("queries_without_positives", s.skippedNoPositives());
    node.put("num_negatives", numNegatives);
    node.put("range_min", rangeMin);
    node.put("range_max", rangeMax);
    node.put("sampling", sampling.toLowerCase(Locale.ROOT));
    node.put("seed", seed);
    node.put("format", format.name());
    if (format == Format.triples) {
      node.put("triples", triples);
    }
    node.put("out", out.toString());
    node.put("seconds", Math.round(seconds * 1000) / 1000.0);
    return node;
  }
}
