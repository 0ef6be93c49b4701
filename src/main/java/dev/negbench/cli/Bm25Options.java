package dev.negbench.cli;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.mine.Bm25Index;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Dataset and BM25 index options shared by the BM25 commands. */
final class Bm25Options {
  @Mixin DatasetOptions data;

  @Option(
      names = "--index",
      paramLabel = "DIR",
      description =
          "BM25 index folder; built there when missing or stale. Default: under --work-dir/indexes.")
  Path index;

  // Anserini's BEIR "flat" regressions use k1=0.9, b=0.4 (Lucene's defaults are 1.2 and 0.75).
  @Option(
      names = "--k1",
      paramLabel = "K1",
      description = "BM25 k1 (default ${DEFAULT-VALUE}, Anserini's BEIR setting).")
  float k1 = Bm25Index.DEFAULT_K1;

  @Option(
      names = "--b",
      paramLabel = "B",
      description = "BM25 b (default ${DEFAULT-VALUE}, Anserini's BEIR setting).")
  float b = Bm25Index.DEFAULT_B;

  /** The opened dataset, its queries, one split's qrels and the index, checked for references. */
  record Loaded(BeirDataset dataset, Map<String, Query> queries, Qrels qrels, Bm25Index index)
      implements AutoCloseable {
    @Override
    public void close() {
      index.close();
    }
  }

  Loaded load(String split, CommonOptions common) {
    DatasetOptions.Opened opened = data.open(split, common);
    BeirDataset ds = opened.dataset();
    Path where = index != null ? index : Bm25Index.defaultLocation(ds, common.workDir);
    AtomicReference<Bm25Index.Outcome> outcome = new AtomicReference<>();
    long start = System.nanoTime();
    Bm25Index idx =
        Bm25Index.openOrBuild(
            ds, where, new Bm25Index.Parameters(k1, b), common.threads, common.progress(), outcome);
    common.info(
        String.format(
            Locale.ROOT,
            "index %s: %s (%d documents, %.1f s)",
            where,
            outcome.get().name().toLowerCase(Locale.ROOT),
            idx.size(),
            (System.nanoTime() - start) / 1e9));
    try {
      data.checkReferences(opened, id -> idx.luceneDoc(id) >= 0, common);
    } catch (RuntimeException e) {
      idx.close();
      throw e;
    }
    return new Loaded(ds, opened.queries(), opened.qrels(), idx);
  }
}
