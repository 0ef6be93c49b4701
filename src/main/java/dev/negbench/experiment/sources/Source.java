package dev.negbench.experiment.sources;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One negative source of an experiment: its config fields and their defaults (the record components
 * of the implementing class, snake_case in the config), how it checks them, what its cache key
 * holds besides those fields, and how it makes negatives. The config's {@code type} names the
 * class, as registered in {@link SourceTypes}; a class takes exactly the fields it declares, so a
 * field of another type is an error that names the fields it does take.
 *
 * <p>Adding a source: its miner or generator in its stage's folder, one class here registered in
 * {@link SourceTypes}, and its CLI command.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public interface Source {
  /** The file a source writes its negatives to, inside its stage folder. */
  String NEGATIVES = "negatives.jsonl";

  /** The summary a miner writes beside its negatives: queries, negatives, and the miner's work. */
  String SUMMARY = "summary.json";

  /** The generation summary a generating source writes beside its negatives. */
  String GENERATION = "generation.json";

  /**
   * Folder name of its results ({@code results/EXP/DATASET/NAME}); the type when the config leaves
   * it out.
   */
  String name();

  /** This source under another name (the config's default name is its type). */
  Source withName(String name);

  /** The config's type name of this source. */
  default String type() {
    return SourceTypes.nameOf(getClass());
  }

  /** Negatives per query this source yields (a mix: the sum of its parts). */
  int negativesPerQuery();

  /**
   * True when its negatives depend on the seed (random sampling, generation), so each seed makes
   * its own.
   */
  default boolean seedDependent() {
    return false;
  }

  /** Names of other sources of the config whose negatives this one reads (a mix's parts). */
  default List<String> inputs() {
    return List.of();
  }

  /** The GPU its negatives were made on, a key of the config's {@code gpu_prices}, or null. */
  default String gpu() {
    return null;
  }

  /**
   * Where this source's model runs and on which engine, for the check before any work; empty when
   * it runs no model. {@code experimentDevice} is the config's default and {@code model} resolves a
   * model argument.
   */
  default Optional<ModelUse> modelUse(String experimentDevice, UnaryOperator<String> model) {
    return Optional.empty();
  }

  /**
   * The model arguments this source runs, as the config names them (none for a source without a
   * model).
   */
  default List<String> models() {
    return List.of();
  }

  /** A model a source runs: the device and whether ONNX Runtime or DJL runs it. */
  record ModelUse(String device, boolean onnxRuntime) {}

  /**
   * The work making its negatives once takes, for {@code negbench reproduce --plan}; nothing for a
   * source that only reads what exists (a file, a mix).
   */
  default List<Work> work(Work.Sizes sizes, String experimentDevice) {
    return List.of();
  }

  /**
   * Work done once for the source, whatever the seeds, before its negatives are made (a
   * cross-encoder's training rounds), for {@code --plan}.
   */
  default List<Work> setupWork(Work.Sizes sizes, String experimentDevice) {
    return List.of();
  }

  /**
   * What identifies {@link #setupWork}'s result, equal for two sources that share it (the run
   * builds it once: a cross-encoder's training rounds are keyed by their settings and start model,
   * not by how the source uses the reranker); null when nothing is shared.
   */
  default Object setupIdentity(String experimentDevice) {
    return null;
  }

  /** (query, positive, negative) triples it gives training: one per (query, positive) pair. */
  default long trainingTriples(Work.Sizes sizes) {
    return sizes.trainPairs();
  }

  /**
   * Checks values and files beyond their types; {@code check.error} names the field and the line.
   */
  default void check(SourceCheck check) {}

  /**
   * What the negatives depend on besides this source's fields, the corpus, queries, qrels and
   * split, and the negatives of its {@link #inputs}: checksums of the models and files it reads.
   */
  default Map<String, Object> inputChecksums(SourceContext context) {
    return Map.of();
  }

  /**
   * Writes {@code out/}{@value #NEGATIVES} (negatives JSONL, one row per query of the training
   * split with a positive, or per (query, positive) pair with a {@code positive_id}; generated
   * passages inline with ids {@code gen:<qid>:<positive id>:<n>}) and, for generated negatives,
   * {@code out/}{@value #GENERATION}. {@code out} is an empty temporary folder of the stage cache;
   * throw to fail the stage, nothing is kept.
   */
  void make(SourceContext context, long seed, Path out) throws IOException;
}
