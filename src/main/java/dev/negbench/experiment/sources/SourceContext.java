package dev.negbench.experiment.sources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.HardNegativeMining;
import dev.negbench.mine.NegativeSource;
import dev.negbench.model.TextEncoder;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link Source} works with: one dataset's training split, the shared BM25 index and corpus
 * embeddings (each built once per dataset and cached), encoders, other sources' negatives, and the
 * experiment's paths and threads. The pipeline implements it for each dataset it runs.
 */
public interface SourceContext {
  BeirDataset dataset();

  /** The qrels split whose queries and positives get negatives (the training split). */
  String split();

  Qrels qrels();

  Map<String, Query> queries();

  /** The dataset's BM25 index with Anserini's BEIR settings, built on first use. */
  Bm25Index bm25();

  /**
   * The corpus encoded by {@code model} (a resolved {@link #model} reference) at {@code maxLength}
   * on {@code device}, cached.
   */
  DenseEmbeddings embeddings(String model, int maxLength, String device);

  /** Opens a bi-encoder (a resolved {@link #model} reference) on {@code device}. */
  TextEncoder encoder(String model, int maxLength, int batchSize, String device);

  /** A source's own device, or the experiment's when it names none. */
  String device(String own);

  /**
   * The negatives file another source of the config made for {@code seed} (made first if need be).
   */
  Path negatives(String source, long seed);

  /**
   * A model argument as the stages open it: a built-in name, a folder relative to the config if one
   * exists there, else as written.
   */
  String model(String reference);

  /** SHA-256 identifying a model: every file of its folder, or its name. */
  String modelChecksum(String model);

  /** A path written in the config, resolved against the config's folder. */
  Path resolve(String path);

  /** The work folder, for caches that must outlive a crashed stage (generation answers). */
  Path work();

  int threads();

  Progress.Factory progress();

  /**
   * Charges the running negatives stage with a shared input it made or reused, counted once under
   * {@code key}: {@code what} took {@code seconds} on {@code device} when it was made, with the
   * {@code work} it did; {@code secondsNow} of them were spent inside this stage and are taken off
   * the stage's own part. A context outside a negatives stage ignores it.
   */
  default void charge(
      String key,
      String what,
      double seconds,
      String device,
      Map<String, Long> work,
      double secondsNow) {}

  /**
   * Mines every query of the split with a positive into {@code out}: {@value Source#NEGATIVES} and
   * the miner's {@code summary.json} (its counts, under {@code work} the miner's own counters, and
   * the {@code score_scale} of a miner whose scores have a chosen scale).
   */
  default void mine(NegativeSource miner, int negativesPerQuery, Path out) {
    HardNegativeMining.Result result =
        HardNegativeMining.mine(
            miner, negativesPerQuery, qrels(), queries(), threads(), progress());
    NegativesJsonl.write(out.resolve(Source.NEGATIVES), result.rows());
    ObjectNode summary = Json.MAPPER.valueToTree(result.summary());
    summary.set("work", Json.MAPPER.valueToTree(new TreeMap<>(miner.work())));
    if (miner.scoreScale() != null) {
      summary.put("score_scale", miner.scoreScale());
    }
    Json.write(out.resolve(Source.SUMMARY), summary);
  }
}
