package dev.negbench.experiment;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.download.BeirCatalogue;
import dev.negbench.experiment.sources.Work;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sizes of a dataset that a config's work is counted from: its documents, its training queries
 * with a positive and their (query, positive) pairs, and its evaluation queries; {@code
 * fromCatalogue} when they are the {@link BeirCatalogue}'s, for a dataset not downloaded yet.
 */
record DatasetCounts(
    long documents, long trainQueries, long trainPairs, long evalQueries, boolean fromCatalogue) {
  /** Counts from the dataset's files or formula. */
  DatasetCounts(long documents, long trainQueries, long trainPairs, long evalQueries) {
    this(documents, trainQueries, trainPairs, evalQueries, false);
  }

  /** The name of a built-in synthetic dataset's results folder. */
  private static final Pattern SYNTHETIC = Pattern.compile("synthetic-(\\d+)");

  /** The sizes a source's work is counted from. */
  Work.Sizes sizes() {
    return new Work.Sizes(documents, trainQueries, trainPairs);
  }

  /**
   * A built-in synthetic dataset: DOCS/5 queries, one in five held out for test, one positive each.
   */
  static DatasetCounts synthetic(int docs) {
    long queries = docs / 5;
    return new DatasetCounts(docs, queries * 4 / 5, queries * 4 / 5, queries / 5);
  }

  /**
   * A dataset of a config, counted from its files (a synthetic one from its size); a split it lacks
   * counts no queries.
   */
  static DatasetCounts of(
      ExperimentConfig.DatasetRef ref, String trainingSplit, String evaluationSplit) {
    if (ref.synthetic()) {
      return synthetic(ref.syntheticDocs());
    }
    if (ref.notDownloaded()) {
      return catalogue(BeirCatalogue.standard().entry(ref.beir()), trainingSplit, evaluationSplit);
    }
    BeirDataset ds = BeirDataset.open(ref.dir());
    long train = 0;
    long pairs = 0;
    if (ds.splits().contains(trainingSplit)) {
      Qrels q = ds.qrels(trainingSplit);
      for (String id : q.queryIds()) {
        int n = q.relevant(id).size();
        if (n > 0) {
          train++;
          pairs += n;
        }
      }
    }
    long eval = ds.splits().contains(evaluationSplit) ? ds.qrels(evaluationSplit).queryCount() : 0;
    return new DatasetCounts(lines(ds.corpusFile()), train, pairs, eval);
  }

  /**
   * A dataset as BEIR publishes it: the training split's judged queries (every training split in
   * the catalogue judges only relevant pairs, so each has a positive) and relevant pairs, the
   * evaluation split's judged queries. A number the catalogue lacks counts 0.
   */
  static DatasetCounts catalogue(
      BeirCatalogue.Entry e, String trainingSplit, String evaluationSplit) {
    BeirCatalogue.SplitCounts none = new BeirCatalogue.SplitCounts(null, null, null);
    BeirCatalogue.SplitCounts train = e.splits().getOrDefault(trainingSplit, none);
    BeirCatalogue.SplitCounts eval = e.splits().getOrDefault(evaluationSplit, none);
    return new DatasetCounts(
        orZero(e.documents()),
        orZero(train.queries()),
        orZero(train.relevant()),
        orZero(eval.queries()),
        true);
  }

  private static long orZero(Long n) {
    return n == null ? 0 : n;
  }

  /** The datasets of a config, each counted once. */
  static final class Counter {
    private final ExperimentConfig.Loaded loaded;
    private final Map<String, DatasetCounts> counted = new LinkedHashMap<>();

    Counter(ExperimentConfig.Loaded loaded) {
      this.loaded = loaded;
    }

    /** The sizes of a dataset of the config. */
    DatasetCounts of(ExperimentConfig.DatasetRef ref) {
      ExperimentConfig config = loaded.config();
      return counted.computeIfAbsent(
          ref.name(),
          k -> DatasetCounts.of(ref, config.trainingSplit(), config.evaluation().split()));
    }

    /**
     * The sizes of a dataset named as in a result ({@code DATASET} of {@code
     * results/EXP/DATASET/...}): a synthetic one of known size, or one of the config's datasets;
     * null for any other.
     */
    DatasetCounts ofName(String name) {
      Matcher m = SYNTHETIC.matcher(name);
      if (m.matches()) {
        return synthetic(Integer.parseInt(m.group(1)));
      }
      for (ExperimentConfig.DatasetRef d : loaded.datasets()) {
        if (d.name().equals(name)) {
          return of(d);
        }
      }
      return null;
    }
  }

  private static long lines(Path file) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long n = 0;
      while (r.readLine() != null) {
        n++;
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
