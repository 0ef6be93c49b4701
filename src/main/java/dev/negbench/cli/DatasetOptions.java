package dev.negbench.cli;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.download.DataHome;
import dev.negbench.io.DatasetFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/** The BEIR dataset a command reads, and how strictly its qrels are checked. */
final class DatasetOptions {
  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "DIR",
      description =
          "BEIR dataset folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv; or beir:NAME, the folder NAME under $NEGBENCH_DATA (default data/) that 'negbench download beir NAME' fills.")
  Path dataset;

  @Option(
      names = "--strict",
      description =
          "Fail (exit 2) when qrels rows name queries or documents the dataset lacks; by default they are counted and reported.")
  boolean strict;

  /** A dataset with its queries and one split's qrels. */
  record Opened(BeirDataset dataset, Map<String, Query> queries, Qrels qrels, String split) {}

  /** Opens the dataset and one split, noting on stderr when the data is synthetic. */
  Opened open(String split, CommonOptions common) {
    BeirDataset ds = BeirDataset.open(locate(dataset));
    Qrels qrels = ds.qrels(split);
    Map<String, Query> queries = ds.queries();
    if (ds.isSynthetic()) {
      common.info(
          "note: "
              + ds.dir()
              + " is a SYNTHETIC dataset (negbench synth); its results measure the machinery, not real retrieval quality");
    }
    return new Opened(ds, queries, qrels, split);
  }

  /**
   * The folder a {@code --dataset} names: {@code beir:NAME} under the data home, else the path.
   *
   * @throws DatasetFormatException for a {@code beir:NAME} not downloaded, naming the command
   */
  static Path locate(Path dataset) {
    String arg = dataset.toString();
    if (!DataHome.isBeir(arg)) {
      return dataset;
    }
    String name = DataHome.beirName(arg);
    Path dir = DataHome.fromEnvironment().dir(name);
    if (!Files.isDirectory(dir)) {
      throw new DatasetFormatException(
          dir, 0, arg + " is not downloaded; fetch it with: " + DataHome.downloadCommand(name));
    }
    return dir;
  }

  /**
   * Counts qrels rows naming queries or documents the dataset lacks ({@code hasDocument} asks the
   * index or embedding store): a warning, or with --strict an error (exit 2).
   */
  void checkReferences(Opened opened, Predicate<String> hasDocument, CommonOptions common) {
    var check = BeirDataset.checkReferences(opened.qrels(), opened.queries().keySet(), hasDocument);
    if (check.clean()) {
      return;
    }
    String message = check.describe(opened.dataset().qrelsFile(opened.split()));
    if (strict) {
      throw new IllegalArgumentException(message + " (--strict)");
    }
    common.info("warning: " + message);
  }
}
