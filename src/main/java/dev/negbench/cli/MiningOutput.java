package dev.negbench.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.Triple;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.mine.HardNegativeMining;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes what every mine-* command writes: the negatives (or triples) file and its summary. */
final class MiningOutput {

  enum Format {
    negatives,
    triples
  }

  private MiningOutput() {}

  /**
   * Writes the rows atomically as negatives JSONL, or as {@code {"query", "positive", "negative"}}
   * triples (one per positive and negative, texts read from the corpus in one pass). Returns the
   * number of triples written, 0 for negatives.
   */
  static long write(Path out, Format format, List<HardNegatives> rows, BeirDataset dataset) {
    if (format == Format.negatives) {
      NegativesJsonl.write(out, rows);
      return 0;
    }
    Map<String, String> texts = texts(rows, dataset);
    long[] triples = {0};
    AtomicFiles.write(
        out,
        w -> {
          for (HardNegatives h : rows) {
            for (String positiveId : h.positiveIds()) {
              String positive = texts.get(positiveId);
              if (positive == null) {
                continue; // a qrels id missing from the corpus, already reported
              }
              for (Negative n : h.negatives()) {
                w.write(
                    NegativesJsonl.toJson(new Triple(h.query(), positive, texts.get(n.docId()))));
                w.write('\n');
                triples[0]++;
              }
            }
          }
        });
    return triples[0];
  }

  /** The texts (title + ' ' + text) of every positive and negative of the rows. */
  private static Map<String, String> texts(List<HardNegatives> rows, BeirDataset dataset) {
    Set<String> wanted = new HashSet<>();
    for (HardNegatives h : rows) {
      wanted.addAll(h.positiveIds());
      h.negatives().forEach(n -> wanted.add(n.docId()));
    }
    Map<String, String> texts = new HashMap<>(wanted.size() * 2);
    dataset.forEachDocument(
        d -> {
          if (wanted.contains(d.id())) {
            texts.put(d.id(), d.contents());
          }
        });
    return texts;
  }

  /** The summary fields every miner reports; commands add their own settings after these. */
  static ObjectNode summary(HardNegativeMining.Summary s, BeirDataset dataset, String split) {
    ObjectNode node = Json.PLAIN.createObjectNode();
    node.put("source", s.source());
    node.put("dataset", dataset.dir().toString());
    node.put("synthetic", dataset.isSynthetic());
    node.put("split", split);
    node.put("queries", s.queries());
    node.put("negatives_found", s.negatives());
    node.put("queries_short_of_n", s.queriesShort());
    node.put("queries_without_positives", s.skippedNoPositives());
    return node;
  }

  /** Adds the output and timing, writes FILE.summary.json and prints the summary on stderr. */
  static void finish(ObjectNode summary, Path out, long startNanos, CommonOptions common) {
    summary.put("out", out.toString());
    summary.put("seconds", Math.round((System.nanoTime() - startNanos) / 1e6) / 1000.0);
    Json.write(Path.of(out + ".summary.json"), summary);
    common.info(summary.toPrettyString());
  }
}
