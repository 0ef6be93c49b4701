package dev.negbench.experiment.sources;

import dev.negbench.io.AtomicFiles;
import dev.negbench.mine.Bm25Miner;
import dev.negbench.mine.Bm25Searcher;
import dev.negbench.mine.MiningSettings;
import dev.negbench.model.OnnxExport;
import dev.negbench.results.NegativesCost;
import dev.negbench.train.CrossEncoderObjective;
import dev.negbench.train.Trainer;
import dev.negbench.train.TrainingReport;
import dev.negbench.train.TrainingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code ce} source's {@code train} block: the cross-encoder it mines with is first fine-tuned
 * from the source's {@code model} ({@code minilm} or an encoder folder) on the training split, as
 * {@code negbench mine-bm25} then {@code train-ce} then {@code export-onnx} would: each query's
 * positives against {@code negatives} BM25 candidates sampled (seeded) from ranks 1 to {@code
 * candidate_range}. It trains in {@code WORK/training-ce/HASH} (a killed run resumes from its last
 * checkpoint) and once for every seed of the experiment: the reranker is an input of the source,
 * not a retriever under test.
 *
 * <p>{@code then} is a further round: the model this block trained, trained again with that block's
 * settings on negatives mined afresh with its seed (in {@code WORK/training-ce/HASH} of its own,
 * keyed by the rounds before it), as {@code train-ce --model} of the first round's folder would.
 * Only the last round is exported to ONNX and mined with.
 *
 * @param negatives hard negatives per group (default 3)
 * @param candidateRange BM25 ranks the negatives are sampled from (default 50)
 * @param epochs passes over the groups (default 1)
 * @param batchSize groups per step (default 16, as train-ce)
 * @param learningRate peak learning rate (default 2e-5, as train-ce)
 * @param maxLength tokens per (query, passage) pair (default 256)
 * @param loss {@code softmax} (default) or {@code bce}
 * @param seed seed of the negatives, the batches and the new head (default 1)
 * @param then a further round from this one's model, or null
 */
public record CrossEncoderTraining(
    Integer negatives,
    Integer candidateRange,
    Integer epochs,
    Integer batchSize,
    Double learningRate,
    Integer maxLength,
    String loss,
    Long seed,
    CrossEncoderTraining then) {

  /**
   * The settings {@code train-ce} runs with (weight decay, warmup and clipping at their defaults).
   */
  TrainingSettings settings(String device) {
    TrainingSettings d = TrainingSettings.defaults();
    int length = maxLength == null ? 256 : maxLength;
    return new TrainingSettings(
        epochs == null ? 1 : epochs,
        batchSize == null ? 16 : batchSize,
        learningRate == null ? 2e-5 : learningRate,
        d.weightDecay(),
        d.warmupRatio(),
        d.maxGradNorm(),
        length,
        length,
        negativesOrDefault(),
        d.scale(),
        seedOrDefault(),
        device);
  }

  int negativesOrDefault() {
    return negatives == null ? 3 : negatives;
  }

  long seedOrDefault() {
    return seed == null ? 1 : seed;
  }

  /** Each round's work: its BM25 candidates, then its groups' pairs times its epochs. */
  List<Work> work(String source, Work.Sizes sizes, String device, String model) {
    List<Work> out = new ArrayList<>();
    int round = 1;
    for (CrossEncoderTraining r = this; r != null; r = r.then, round++) {
      String what = source + " reranker, round " + round;
      out.add(
          new Work(
              "mine",
              what + " BM25 candidates",
              sizes.trainQueries(),
              Work.Kind.BM25_QUERIES,
              "cpu",
              null));
      TrainingSettings settings = r.settings(device);
      long pairs = sizes.trainPairs() * (1L + r.negativesOrDefault()) * settings.epochs();
      out.add(
          new Work(
              "train-ce",
              what,
              pairs,
              Work.Kind.TRAIN_PAIRS,
              device,
              model,
              settings.maxDocLength()));
    }
    return out;
  }

  void check(SourceCheck check) {
    check(check, "train");
  }

  /**
   * Checks this round's fields, which stand at {@code at} ({@code train}, {@code train/then}, ...),
   * then the next round's.
   */
  private void check(SourceCheck check, String at) {
    check.positive(at + "/negatives", negatives);
    check.positive(at + "/candidate_range", candidateRange);
    check.positive(at + "/epochs", epochs);
    check.positive(at + "/batch_size", batchSize);
    check.positive(at + "/max_length", maxLength);
    if (learningRate != null && !(learningRate > 0)) {
      throw check.error(
          at + "/learning_rate", "expected a positive learning rate, was " + learningRate);
    }
    if (loss != null) {
      try {
        CrossEncoderObjective.parseLoss(loss);
      } catch (IllegalArgumentException e) {
        throw check.error(at + "/loss", e.getMessage());
      }
    }
    if (batchSize != null && batchSize < 2) {
      throw check.error(
          at + "/batch_size", "expected at least 2 groups per batch, was " + batchSize);
    }
    if (then != null) {
      then.check(check, at + "/then");
    }
  }

  /**
   * The trained cross-encoder's ONNX folder for {@code model} (a resolved model reference) on
   * {@code context}'s training split, training it first (each round in turn) unless a finished run
   * is in the work folder.
   */
  Path trained(SourceContext context, String model, String device) {
    return round(context, 1, model, context.modelChecksum(model), device);
  }

  /**
   * This round from {@code model} (whose identity is {@code modelKey}: its checksum, or the key of
   * the round that trained it), then the rounds after it; the last round's ONNX folder.
   */
  private Path round(SourceContext context, int n, String model, String modelKey, String device) {
    TrainingSettings settings = settings(device).validate();
    CrossEncoderObjective objective =
        new CrossEncoderObjective(CrossEncoderObjective.parseLoss(loss == null ? "softmax" : loss));
    int range = candidateRange == null ? 50 : candidateRange;
    String key =
        AtomicFiles.sha256(
            String.join(
                "\n",
                context.dataset().corpusChecksum(),
                AtomicFiles.sha256(context.dataset().qrelsFile(context.split())),
                context.split(),
                modelKey,
                settings.describe(),
                objective.describe(),
                Integer.toString(range)));
    Path dir = context.work().resolve("training-ce").resolve(key.substring(0, 20));
    Path onnx = dir.resolve("onnx");
    Path checkpoint = dir.resolve("model");
    if (then == null && Files.isRegularFile(onnx.resolve("model.onnx"))) {
      charge(context, n, checkpoint, device, 0);
      return onnx;
    }
    try {
      Files.createDirectories(dir);
      Path negatives = dir.resolve("bm25-negatives.jsonl");
      if (!Files.isRegularFile(negatives)) {
        MiningSettings mining =
            new MiningSettings(
                negativesOrDefault(), 1, range, MiningSettings.Sampling.RANDOM, seedOrDefault());
        Path mined = Files.createDirectories(dir.resolve("mined"));
        context.mine(
            new Bm25Miner(new Bm25Searcher(context.bm25()), mining), negativesOrDefault(), mined);
        AtomicFiles.move(mined.resolve(Source.NEGATIVES), negatives);
      }
      // A finished run of the same inputs returns at once (Trainer checks training.json's
      // identity).
      long began = System.nanoTime();
      Trainer.train(
          context.dataset(),
          context.split(),
          negatives,
          model,
          settings,
          objective,
          checkpoint,
          context.progress(),
          Trainer.DEFAULT_CHECKPOINT_EVERY,
          Trainer.Listener.NONE);
      charge(context, n, checkpoint, device, (System.nanoTime() - began) / 1e9);
      if (then != null) {
        return then.round(context, n + 1, checkpoint.toString(), key, device);
      }
      OnnxExport.export(checkpoint.toString(), onnx);
      return onnx;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot train the cross-encoder in " + dir, e);
    }
  }

  /**
   * Charges the negatives stage with round {@code n}'s training, as its {@code training.json} in
   * {@code checkpoint} records it (the whole run's seconds, so a reused or resumed round costs what
   * it took to make); {@code secondsNow} of them were spent in this process.
   */
  private void charge(
      SourceContext context, int n, Path checkpoint, String device, double secondsNow) {
    TrainingReport run = Trainer.recorded(checkpoint);
    if (run == null) {
      return;
    }
    context.charge(
        "train-ce " + checkpoint,
        "cross-encoder trained, round " + n + " (" + run.steps() + " steps)",
        run.seconds(),
        device,
        Map.of(NegativesCost.PAIRS_TRAINED, run.triples() * (1L + negativesOrDefault())),
        secondsNow);
  }
}
