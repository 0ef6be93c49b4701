package dev.negbench.train;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.Qrels;
import dev.negbench.io.DatasetFormatException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Training examples from a negatives file (the miners' and the generator's JSONL, {@link
 * NegativesJsonl}) and the dataset's corpus, and the order they are trained in.
 */
public final class TrainingData {
  private TrainingData() {}

  /** Examples and what was left out. */
  public record Loaded(List<TrainingExample> examples, int rows, int rowsOutsideSplit) {}

  /**
   * One example per (query, positive) of the rows whose query has qrels in {@code split}: the
   * query's text, the positive's {@code title + ' ' + text}, and {@code negativesPerQuery} hard
   * negatives taken in file order, the k-th positive starting at negative k x n (wrapping), so that
   * several positives use different negatives. A row for one pair (the generator's, {@link
   * HardNegatives#perPositive}) lists its positive alone, so its own negatives go with it; its
   * positive must be relevant to its query in the qrels. Inline negatives (generated passages) are
   * used as they are; every other id must be in the corpus.
   */
  public static Loaded load(
      BeirDataset dataset, String split, Path negativesFile, int negativesPerQuery) {
    return load(dataset, split, negativesFile, negativesPerQuery, false);
  }

  /**
   * As above; with {@code requirePositives} every row must be a query of the split with a positive
   * (score > 0) in its qrels, and every positive it names one of them, else a {@link
   * DatasetFormatException} names the file and line: a cross-encoder takes its labels from them, so
   * a row it cannot label is an error, not a row to leave out.
   */
  public static Loaded load(
      BeirDataset dataset,
      String split,
      Path negativesFile,
      int negativesPerQuery,
      boolean requirePositives) {
    Qrels qrels = dataset.qrels(split);
    Set<String> inSplit = new HashSet<>(qrels.queryIds());
    Set<String> needed = new LinkedHashSet<>();
    int[] counts = new int[2]; // rows, rows outside the split
    List<HardNegatives> kept = new ArrayList<>();
    List<Long> keptLines = new ArrayList<>();
    NegativesJsonl.forEachRow(
        negativesFile,
        (lines, row) -> {
          counts[0]++;
          if (requirePositives) {
            Set<String> positives = qrels.relevant(row.queryId());
            if (positives.isEmpty()) {
              throw lines.error(
                  "query "
                      + row.queryId()
                      + " has no positive in "
                      + dataset.qrelsFile(split)
                      + "; expected rows for queries of split '"
                      + split
                      + "' with a relevant document (score > 0)");
            }
            for (String p : row.positiveIds()) {
              if (!positives.contains(p)) {
                throw lines.error(
                    "positive '"
                        + p
                        + "' of query "
                        + row.queryId()
                        + " is not relevant in "
                        + dataset.qrelsFile(split)
                        + "; expected one of "
                        + positives);
              }
            }
          }
          if (!inSplit.contains(row.queryId())) {
            counts[1]++;
            return;
          }
          Set<String> relevant = qrels.relevant(row.queryId());
          if (row.perPositive() && !relevant.contains(row.positiveId())) {
            throw lines.error(
                "positive_id '"
                    + row.positiveId()
                    + "' is not a positive of query "
                    + row.queryId()
                    + " in "
                    + dataset.qrelsFile(split)
                    + "; expected one of "
                    + relevant);
          }
          kept.add(row);
          keptLines.add(lines.lineNumber());
          needed.addAll(row.positiveIds());
          for (Negative n : row.negatives()) {
            if (!n.inline()) {
              needed.add(n.docId());
            }
          }
        });
    if (kept.isEmpty()) {
      throw new DatasetFormatException(
          negativesFile,
          0,
          "none of its "
              + counts[0]
              + " rows is a query of split '"
              + split
              + "' of "
              + dataset.dir()
              + "; expected negatives mined for that split");
    }
    Map<String, String> texts = new HashMap<>(needed.size() * 2);
    dataset.forEachDocument(
        d -> {
          if (needed.contains(d.id())) {
            texts.put(d.id(), d.contents());
          }
        });
    List<TrainingExample> examples = new ArrayList<>();
    for (int r = 0; r < kept.size(); r++) {
      HardNegatives row = kept.get(r);
      RowAt at = new RowAt(negativesFile, keptLines.get(r), row, dataset);
      List<String> negatives = new ArrayList<>(row.negatives().size());
      for (Negative n : row.negatives()) {
        negatives.add(n.inline() ? n.text() : at.text(texts, n.docId()));
      }
      List<String> positives = row.positiveIds();
      for (int k = 0; k < positives.size(); k++) {
        String positive = at.text(texts, positives.get(k));
        List<String> mine = new ArrayList<>();
        int take = Math.min(negativesPerQuery, negatives.size());
        for (int j = 0; j < take; j++) {
          mine.add(negatives.get((k * negativesPerQuery + j) % negatives.size()));
        }
        examples.add(new TrainingExample(row.query(), positive, List.copyOf(mine)));
      }
    }
    return new Loaded(examples, counts[0], counts[1]);
  }

  /** Where a row came from, for an error about a document it names. */
  private record RowAt(Path file, long line, HardNegatives row, BeirDataset dataset) {
    String text(Map<String, String> texts, String id) {
      String t = texts.get(id);
      if (t == null) {
        throw new DatasetFormatException(
            file,
            line,
            "query "
                + row.queryId()
                + " names document '"
                + id
                + "', which is not in "
                + dataset.corpusFile()
                + "; expected corpus ids (or negatives with their own \"text\")");
      }
      return t;
    }
  }

  /**
   * The batches of one epoch, as example indices: a seeded shuffle (seed + epoch), then batches
   * filled in that order, an example whose query, positive or negatives repeats a text already in
   * the batch waiting for a later batch, since a duplicate would count as a false negative
   * (sentence-transformers' NoDuplicatesBatchSampler). The last batch may be smaller.
   */
  public static List<int[]> epochBatches(
      List<TrainingExample> examples, int batchSize, long seed, int epoch) {
    List<Integer> order = new ArrayList<>(examples.size());
    for (int i = 0; i < examples.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
    List<int[]> batches = new ArrayList<>();
    ArrayDeque<Integer> remaining = new ArrayDeque<>(order);
    while (!remaining.isEmpty()) {
      List<Integer> batch = new ArrayList<>(batchSize);
      Set<String> seen = new HashSet<>();
      List<Integer> deferred = new ArrayList<>();
      while (batch.size() < batchSize && !remaining.isEmpty()) {
        int i = remaining.pollFirst();
        TrainingExample e = examples.get(i);
        List<String> texts = new ArrayList<>(2 + e.negatives().size());
        texts.add(e.query());
        texts.add(e.positive());
        texts.addAll(e.negatives());
        boolean clash = false;
        for (String t : texts) {
          clash |= seen.contains(t);
        }
        if (clash) {
          deferred.add(i);
        } else {
          seen.addAll(texts);
          batch.add(i);
        }
      }
      // Deferred examples go first into the next batch, in their order.
      for (int k = deferred.size() - 1; k >= 0; k--) {
        remaining.addFirst(deferred.get(k));
      }
      batches.add(batch.stream().mapToInt(Integer::intValue).toArray());
    }
    return batches;
  }
}
