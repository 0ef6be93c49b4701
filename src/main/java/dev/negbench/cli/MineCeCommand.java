package dev.negbench.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.mine.Bm25Searcher;
import dev.negbench.mine.CrossEncoderMiner;
import dev.negbench.mine.HardNegativeMining;
import dev.negbench.mine.MiningSettings;
import dev.negbench.mine.ScoreActivation;
import dev.negbench.mine.ScoreFusion;
import dev.negbench.model.CrossEncoders;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "mine-ce",
    mixinStandardHelpOptions = true,
    description = {
      "Mine cross-encoder hard negatives for the queries of a split.",
      "",
      "For every query with a positive: its BM25 top --candidate-depth (its own id left out) rescored by a cross-encoder (an ONNX folder, or a train-ce checkpoint on DJL) on (query, title + \" \" + text) pairs; the candidates ranked --range-min..--range-max by the cross-encoder that are not positives and pass the margin; 'top' keeps the best N, 'random' samples N with the seed. Scores are the logits through --activation: the sigmoid by default, in (0, 1), as sentence-transformers' CrossEncoder scores a one-logit model (a two-logit model needs --activation none: its label-1 logit). --relative-margin R drops candidates scoring above (1 - R) x the positive's score, --absolute-margin M those above the positive's score - M, both on the activated scores (sentence-transformers' mine_hard_negatives); with several positives the lowest-scoring one is the reference. --fuse bm25:W ranks the candidates by the cross-encoder's logits fused with their BM25 scores (W on the cross-encoder, as rerank --fuse run:W); ranks are then fused ranks, while scores and margins stay the cross-encoder's. Writes the mine-bm25 JSONL with cross-encoder ranks and scores, and each positive's score in \"positive_scores\". A summary, with the candidates the margin dropped and the scores' \"score_scale\", goes to FILE.summary.json.",
      "",
      "--threads queries are mined at once, each on one ONNX Runtime thread.",
      "",
      "Example: negbench mine-ce --dataset beir:scifact --split train --model models/ms-marco-MiniLM-L-6-v2 --num-negatives 5 --relative-margin 0.05 --out work/scifact-ce-negatives.jsonl"
    })
final class MineCeCommand implements Callable<Integer> {
  /** At most one false-negative filter (sentence-transformers accepts both; one is clearer). */
  static final class Margins {
    // NV-Retriever (arXiv 2407.15831) finds TopK-PercPos with 95% (R = 0.05) the best filter.
    @Option(
        names = "--relative-margin",
        paramLabel = "R",
        description =
            "Drop candidates scoring above (1 - R) x the positive's score; 0.05 is NV-Retriever's TopK-PercPos 95%%.")
    Double relative;

    @Option(
        names = "--absolute-margin",
        paramLabel = "M",
        description = "Drop candidates scoring above the positive's score - M.")
    Double absolute;

    CrossEncoderMiner.Margin margin() {
      return relative != null
          ? CrossEncoderMiner.Margin.relative(relative)
          : CrossEncoderMiner.Margin.absolute(absolute);
    }
  }

  @Mixin CommonOptions common;
  @Mixin Bm25Options bm25;
  @Mixin DeviceOption device;
  @Mixin MiningOptions mining;
  @Mixin QuantizeOption quantize;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "Cross-encoder folder: model.onnx or onnx/model.onnx, tokenizer.json, config.json; or a train-ce checkpoint (model.safetensors).")
  Path model;

  // sentence-transformers' mine_hard_negatives rescores the top range_max (default 50) with its
  // cross-encoder; 100 matches mine-bm25's --range-max.
  @Option(
      names = "--candidate-depth",
      paramLabel = "K",
      description = "BM25 candidates rescored per query (default ${DEFAULT-VALUE}).")
  int candidateDepth = 100;

  @Option(
      names = "--range-min",
      paramLabel = "A",
      description = "Best cross-encoder rank to consider, 1-based (default ${DEFAULT-VALUE}).")
  int rangeMin = 1;

  @Option(
      names = "--range-max",
      paramLabel = "B",
      description = "Worst cross-encoder rank to consider (default: --candidate-depth).")
  Integer rangeMax;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Margins margins;

  // sentence-transformers' CrossEncoder applies a sigmoid to a one-label model's logit (its
  // default activation_fn), so mine_hard_negatives compares its margins on scores in (0, 1).
  @Option(
      names = "--activation",
      paramLabel = "sigmoid|none",
      description =
          "Scores compared and written: the logit's sigmoid, or the raw logit (default ${DEFAULT-VALUE}).")
  String activation = "sigmoid";

  // Off by default: sentence-transformers' mine_hard_negatives ranks by the cross-encoder alone.
  @Option(
      names = "--fuse",
      paramLabel = "bm25:W",
      description =
          "Rank the candidates by W x the cross-encoder's logits + (1 - W) x their BM25 scores, each min-max normalised per query, as rerank --fuse does; the scores written and the margins stay the cross-encoder's (default: off).")
  String fuse;

  @picocli.CommandLine.Mixin PairOptions batching;

  @Override
  public Integer call() throws Exception {
    int maxRank = rangeMax != null ? rangeMax : candidateDepth;
    MiningSettings settings = mining.settings(rangeMin, maxRank);
    CrossEncoderMiner.Margin margin = margins == null ? null : margins.margin();
    ScoreActivation scale = ScoreActivation.parse(activation);
    ScoreFusion fusion =
        fuse == null ? null : ScoreFusion.parse(fuse, "bm25", "the candidates' BM25 scores");
    if (candidateDepth < 1) {
      throw new IllegalArgumentException(
          "--candidate-depth must be at least 1, was " + candidateDepth);
    }
    quantize.checked();
    long start = System.nanoTime();
    // The model opens first, so a bad model folder fails before the index is built. Queries run on
    // --threads workers, each on one ONNX Runtime thread: the CPUs are used once, not threads^2.
    try (CrossEncoders.Opened encoder =
            CrossEncoders.open(
                quantize.model(model, common.workDir),
                batching.maxLength,
                batching.batchSize,
                1,
                device.checked());
        Bm25Options.Loaded l = bm25.load(mining.split, common)) {
      scale.check(encoder.labels(), model);
      var miner =
          new CrossEncoderMiner(
              new Bm25Searcher(l.index()),
              encoder,
              candidateDepth,
              settings,
              margin,
              scale,
              fusion);
      var result =
          HardNegativeMining.mine(
              miner,
              settings.numNegatives(),
              l.qrels(),
              l.queries(),
              common.threads,
              common.progress());
      MiningOutput.write(mining.out, MiningOutput.Format.negatives, result.rows(), l.dataset());
      ObjectNode summary = MiningOutput.summary(result.summary(), l.dataset(), mining.split);
      describe(summary, miner, settings, encoder.maxLength());
      MiningOutput.finish(summary, mining.out, start, common);
    }
    return 0;
  }

  /** The cross-encoder's counts and settings, after the common summary fields. */
  private void describe(
      ObjectNode node, CrossEncoderMiner miner, MiningSettings settings, int effectiveMaxLength) {
    node.put("model", model.toString());
    node.put("quantize", quantize.checked().label());
    node.put("device", device.device);
    // Non-positive candidates in the rank range that scored above the margin's bound.
    node.put("dropped_by_margin", miner.droppedByMargin());
    node.put("queries_without_scored_positive", miner.queriesWithoutScoredPositive());
    node.put("pairs_scored", miner.pairsScored());
    node.put("num_negatives", settings.numNegatives());
    node.put("candidate_depth", candidateDepth);
    node.put("range_min", settings.rangeMin());
    node.put("range_max", settings.rangeMax());
    node.put("sampling", settings.sampling().label());
    node.put("seed", settings.seed());
    // What the negatives' and positives' "score" values are: a sigmoid in (0, 1) or a raw logit.
    node.put("score_scale", miner.scoreScale());
    if (miner.margin() == null) {
      node.putNull("margin");
    } else {
      node.put("margin", miner.margin().kind().name().toLowerCase(Locale.ROOT));
      node.put("margin_value", miner.margin().value());
    }
    // The weight on the cross-encoder when the ranks are fused with BM25's scores; null: not fused.
    if (miner.fusion() == null) {
      node.putNull("fuse_weight");
    } else {
      node.put("fuse_weight", miner.fusion().weight());
    }
    node.put("batch_size", batching.batchSize);
    node.put("max_length", effectiveMaxLength);
  }
}
