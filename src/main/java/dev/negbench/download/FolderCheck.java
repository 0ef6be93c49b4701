package dev.negbench.download;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.io.DatasetFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an unpacked BEIR folder whole with the project's reader ({@link BeirDataset}: every
 * document, query and qrels row validated) and compares what it counts with the catalogue: the
 * documents, the queries, and per split the queries judged, the rows and the relevant rows. A
 * number the catalogue leaves empty is not compared.
 */
final class FolderCheck {
  private FolderCheck() {}

  /**
   * The folder's counts.
   *
   * @throws DatasetFormatException naming the folder and every count that differs, or the file and
   *     line the reader refused
   */
  static DatasetManifest.FolderCounts check(Path dir, BeirCatalogue.Entry entry, Path catalogue) {
    BeirDataset ds = BeirDataset.open(dir);
    List<String> differences = new ArrayList<>();
    for (String split : entry.splits().keySet()) {
      if (!ds.splits().contains(split)) {
        differences.add("no qrels/" + split + ".tsv (splits: " + ds.splits() + ")");
      }
    }
    long documents = ds.forEachDocument(d -> {});
    long queries = ds.queries().size();
    compare(differences, "corpus.jsonl documents", documents, entry.documents());
    compare(differences, "queries.jsonl queries", queries, entry.queries());
    Map<String, BeirCatalogue.SplitCounts> splits = new LinkedHashMap<>();
    for (String split : ds.splits()) {
      Qrels q = ds.qrels(split);
      long relevant = 0;
      for (String id : q.queryIds()) {
        relevant += q.relevant(id).size();
      }
      var counted =
          new BeirCatalogue.SplitCounts(
              (long) q.queryCount(), (long) q.rowCount() + q.duplicateRows(), relevant);
      splits.put(split, counted);
      BeirCatalogue.SplitCounts expected = entry.splits().get(split);
      if (expected != null) {
        String at = "qrels/" + split + ".tsv ";
        compare(differences, at + "queries", counted.queries(), expected.queries());
        compare(differences, at + "rows", counted.judged(), expected.judged());
        compare(differences, at + "relevant rows", counted.relevant(), expected.relevant());
      }
    }
    if (!differences.isEmpty()) {
      throw new DatasetFormatException(
          dir,
          0,
          "expected the counts of the catalogue's '"
              + entry.name()
              + "' ("
              + catalogue
              + "): "
              + String.join("; ", differences));
    }
    return new DatasetManifest.FolderCounts(documents, queries, splits);
  }

  private static void compare(List<String> differences, String what, long found, Long expected) {
    if (expected != null && expected != found) {
      differences.add(String.format(Locale.ROOT, "%s %,d, expected %,d", what, found, expected));
    }
  }
}
