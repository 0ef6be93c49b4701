package dev.negbench.experiment;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Query;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.io.AtomicFiles;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A dataset of an experiment, opened: its folder, its queries, and the checksums of its files that
 * the stage keys share ({@code corpus}, {@code queries}, and {@code train_qrels} and {@code
 * eval_qrels} where the dataset has those splits).
 */
record DatasetInputs(
    ExperimentConfig.DatasetRef ref,
    BeirDataset dataset,
    Map<String, Query> queries,
    SortedMap<String, Object> checksums) {
  /**
   * Seed of the built-in synthetic datasets ({@code synthetic:DOCS}), as {@code negbench synth}'s
   * default.
   */
  static final long SYNTHETIC_SEED = 42;

  DatasetInputs {
    checksums = Collections.unmodifiableSortedMap(new TreeMap<>(checksums));
  }

  /** Opens the dataset (writing a synthetic one first, as a stage) and checksums its files. */
  static DatasetInputs open(Pipeline p, ExperimentConfig.DatasetRef ref) {
    ExperimentConfig config = p.config;
    Path dir = ref.dir();
    if (ref.synthetic()) {
      int docs = ref.syntheticDocs();
      var settings = new SyntheticDataset.Settings(docs, docs / 5, SYNTHETIC_SEED);
      Map<String, Object> key =
          Map.of("documents", docs, "queries", docs / 5, "seed", SYNTHETIC_SEED);
      dir =
          p.stage(
                  "synthetic",
                  ref.entry(),
                  key,
                  out -> SyntheticDataset.write(settings, out.resolve("data")),
                  new double[1])
              .dir()
              .resolve("data");
    }
    BeirDataset ds = BeirDataset.open(dir);
    Map<String, Query> queries = ds.queries();
    SortedMap<String, Object> checksums = new TreeMap<>();
    checksums.put("corpus", ds.corpusChecksum());
    checksums.put("queries", AtomicFiles.sha256(ds.queriesFile()));
    // A dataset only evaluated (train_on) may lack a training split, a training collection an
    // evaluation split.
    if (ds.splits().contains(config.trainingSplit())) {
      checksums.put("train_qrels", AtomicFiles.sha256(ds.qrelsFile(config.trainingSplit())));
    }
    if (ds.splits().contains(config.evaluation().split())) {
      checksums.put("eval_qrels", AtomicFiles.sha256(ds.qrelsFile(config.evaluation().split())));
    }
    return new DatasetInputs(ref, ds, queries, checksums);
  }

  /** The dataset's name, its results folder name. */
  String name() {
    return ref.name();
  }

  /** The checksum of one of its files ({@code corpus}, {@code queries}, ...), or null. */
  Object checksum(String file) {
    return checksums.get(file);
  }
}
