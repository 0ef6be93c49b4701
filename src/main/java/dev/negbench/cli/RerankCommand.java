package dev.negbench.cli;

import dev.negbench.data.Query;
import dev.negbench.data.TrecRun;
import dev.negbench.mine.Reranker;
import dev.negbench.mine.ScoreFusion;
import dev.negbench.model.CrossEncoders;
import dev.negbench.model.Quantization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "rerank",
    mixinStandardHelpOptions = true,
    description = {
      "Rerank a TREC run's top hits with a cross-encoder.",
      "",
      "For every query of --split that the run has hits for: its --depth best hits by the run's score, rescored by the cross-encoder on (query, title + \" \" + text) pairs ([CLS] query [SEP] passage [SEP], cut longest-first at --max-length tokens) and ranked by that score; hits below the depth are left out (BEIR's BM25 + CE setting). The model: an ONNX cross-encoder folder (model.onnx, tokenizer.json, config.json; e.g. after export-onnx) on ONNX Runtime, or a train-ce checkpoint (model.safetensors) on DJL PyTorch. All pairs run in length-sorted batches on --threads intra-op threads. The run is read and checked before the model opens; the output is written atomically.",
      "",
      "--fuse run:W ranks by W x ce + (1 - W) x first, ce and first being the cross-encoder's and the --run's scores of the reranked hits, each min-max normalised per query (a constant list counts as 0); the fused score is written, and equal scores keep the run's order. The first stage is whatever made --run: BM25's scores for a bm25-search run (issue 31's BM25 fusion), a dense retriever's for a dense-search run. W = 1 is the plain rerank's order, W = 0 the run's. Choose W on a development split (hold-out), not on the split reported: --fuse may be repeated, and then every pair is scored once and one run is written per weight, --out naming each with {W} replaced by the weight as given (e.g. --fuse run:1 --fuse run:0.5 --out dev-{W}.run writes dev-1.run and dev-0.5.run).",
      "",
      "Example: negbench rerank --dataset beir:scifact --split test --run work/scifact-bm25.run --model work/ce-scifact --depth 100 --out work/scifact-ce.run"
    })
final class RerankCommand implements Callable<Integer> {
  /** In --out, replaced by each --fuse weight as given. */
  private static final String WEIGHT = "{W}";

  @Mixin CommonOptions common;
  @Mixin DatasetOptions data;
  @Mixin DeviceOption device;
  @Mixin QuantizeOption quantize;

  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      description = "Qrels split whose queries are reranked (default ${DEFAULT-VALUE}).")
  String split = "test";

  @Option(
      names = "--run",
      required = true,
      paramLabel = "FILE",
      description =
          "First-stage TREC run (bm25-search, dense-search): qid Q0 docid rank score tag.")
  Path run;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "Cross-encoder folder: model.onnx (ONNX Runtime) or a train-ce checkpoint (DJL).")
  Path model;

  // BEIR reranks the BM25 top 100.
  @Option(
      names = "--depth",
      paramLabel = "K",
      description = "Hits per query to rerank (default ${DEFAULT-VALUE}, as BEIR's BM25 + CE).")
  int depth = 100;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description =
          "TREC run to write (atomically); with --fuse, {W} in it is replaced by the weight.")
  String out;

  @Mixin PairOptions batching;

  // Off by default: BEIR's BM25 + CE setting ranks by the cross-encoder alone.
  @Option(
      names = "--fuse",
      paramLabel = "run:W",
      description =
          "Rank by W x the cross-encoder's + (1 - W) x the --run's scores, each min-max normalised per query; W in [0, 1] (default: off, the cross-encoder alone). Repeat it for several weights on one scoring; --out then holds {W}.")
  List<String> fuse = new ArrayList<>();

  @Option(
      names = "--tag",
      paramLabel = "TAG",
      description = "Run tag, the sixth column (default: negbench-rerank-MODEL).")
  String tag;

  @Override
  public Integer call() {
    if (depth < 1) {
      throw new IllegalArgumentException("--depth must be at least 1, was " + depth);
    }
    List<ScoreFusion> fusions = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    for (String spec : fuse) {
      fusions.add(ScoreFusion.parse(spec));
      outs.add(Path.of(out.replace(WEIGHT, spec.substring(spec.indexOf(':') + 1))));
    }
    if (fuse.isEmpty()) {
      fusions.add(null);
      outs.add(Path.of(out));
    } else if (fuse.size() > 1 && !out.contains(WEIGHT)) {
      throw new IllegalArgumentException(
          "--out '"
              + out
              + "': with "
              + fuse.size()
              + " --fuse weights, expected "
              + WEIGHT
              + " in the file name, replaced by each weight as given (e.g. dev-"
              + WEIGHT
              + ".run)");
    }
    if (new HashSet<>(outs).size() < outs.size()) {
      throw new IllegalArgumentException(
          "--fuse " + String.join(" --fuse ", fuse) + ": a weight given twice; expected each once");
    }
    Quantization quantization = quantize.checked();
    long start = System.nanoTime();
    DatasetOptions.Opened opened = data.open(split, common);
    List<Query> queries = opened.dataset().queries(opened.qrels(), opened.queries());
    TrecRun first = TrecRun.read(run); // a malformed line fails here, before the model loads
    String runTag =
        tag != null
            ? tag
            : "negbench-rerank-"
                + model.toAbsolutePath().normalize().getFileName()
                + (quantization == Quantization.NONE ? "" : "-" + quantization.label());
    List<Reranker.Ranking> rankings = new ArrayList<>();
    for (ScoreFusion fusion : fusions) {
      rankings.add(
          new Reranker.Ranking(
              fusion,
              fusion == null || tag != null ? runTag : runTag + "-fuse-" + fusion.describe()));
    }
    Reranker.Result result;
    try (CrossEncoders.Opened ce =
        CrossEncoders.open(
            quantize.model(model, common.workDir),
            batching.maxLength,
            batching.batchSize,
            common.threads,
            device.checked())) {
      result =
          Reranker.rerank(
              opened.dataset(), queries, first, run, ce, depth, rankings, common.progress());
      common.info(
          String.format(Locale.ROOT, "engine %s, %d tokens per pair", ce.engine(), ce.maxLength()));
    }
    List<String> wrote = new ArrayList<>();
    for (int i = 0; i < outs.size(); i++) {
      TrecRun.write(outs.get(i), result.runs().get(i));
      wrote.add(
          outs.get(i)
              + (fusions.get(i) == null ? "" : " (fused, " + fusions.get(i).describe() + ")"));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    common.info(
        String.format(
            Locale.ROOT,
            "wrote %s: %d queries, %d pairs scored in %.1f s (%.1f pairs/s); %d queries of %s without hits, %d run queries outside it",
            String.join(", ", wrote),
            result.run().size(),
            result.pairsScored(),
            seconds,
            result.pairsScored() / Math.max(seconds, 1e-9),
            result.queriesWithoutHits(),
            split,
            result.runQueriesOutsideSplit()));
    return 0;
  }
}
