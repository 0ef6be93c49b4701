package dev.negbench.experiment;

import dev.negbench.data.BeirDataset;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.EmbeddingFile;
import dev.negbench.model.TextEncoder;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What several stages of one dataset build from its corpus and share: the BM25 index (opened once,
 * held open until {@link #close}) and the corpus embeddings of each model (a cached {@code embed}
 * stage). Each is charged, with what it cost to build, to the negatives stage that uses it.
 */
final class SharedInputs implements AutoCloseable {
  /** Documents encoded and appended at a time by the embed stage. */
  private static final int EMBED_CHUNK = 8192;

  private final Pipeline p;
  private final DatasetInputs inputs;
  private final NegativesCostMeter meter;
  private Bm25Index index;

  /** What the BM25 index cost to build, once opened. */
  private NegativesCost.Part indexCost;

  SharedInputs(Pipeline pipeline, DatasetInputs inputs, NegativesCostMeter meter) {
    this.p = pipeline;
    this.inputs = inputs;
    this.meter = meter;
  }

  /**
   * The dataset's BM25 index with Anserini's BEIR settings, opened or built on first use. What
   * building it took is kept beside it, so that a source that reuses it is charged too.
   */
  Bm25Index bm25() {
    double builtNow = 0;
    if (index == null) {
      BeirDataset ds = inputs.dataset();
      Path location = Bm25Index.defaultLocation(ds, p.work);
      Path record = location.resolveSibling(location.getFileName() + ".cost.json");
      var outcome = new AtomicReference<Bm25Index.Outcome>();
      long start = System.nanoTime();
      // Workers sharing the work folder build it once: the others wait, then open it.
      index =
          p.exclusively(
              "bm25",
              AtomicFiles.sha256(location.toAbsolutePath().toString()).substring(0, 20),
              () ->
                  Bm25Index.openOrBuild(
                      ds, location, Bm25Index.Parameters.ANSERINI, p.threads, p.progress, outcome));
      double s = (System.nanoTime() - start) / 1e9;
      if (outcome.get() != Bm25Index.Outcome.REUSED || !Files.isRegularFile(record)) {
        indexCost =
            new NegativesCost.Part(
                "BM25 index"
                    + (outcome.get() == Bm25Index.Outcome.REUSED
                        ? " (opened; built before this run, build time not recorded)"
                        : ""),
                s,
                "cpu",
                p.config.cpuHourUsd(),
                1,
                Map.of(NegativesCost.DOCUMENTS_INDEXED, (long) index.size()));
        if (outcome.get() != Bm25Index.Outcome.REUSED) {
          Json.write(record, indexCost);
        }
      } else {
        indexCost = Json.read(record, NegativesCost.Part.class);
      }
      builtNow = s;
    }
    NegativesCost.Part cost = indexCost;
    meter.charge("bm25", () -> cost, builtNow);
    return index;
  }

  /**
   * The corpus encoded by {@code model} (title + ' ' + text, normalised), cached by the model's
   * checksum and max length: evaluation, dense mining and hardness share it.
   */
  DenseEmbeddings embeddings(String model, int maxLength, String device) {
    Map<String, Object> key = new TreeMap<>();
    key.put("corpus", inputs.checksum("corpus"));
    key.put("model", p.modelChecksum(model));
    key.put("max_length", maxLength);
    if (!"cpu".equals(device)) {
      key.put("device", device); // a GPU may encode in float16: its embeddings are not the CPU's
    }
    long start = System.nanoTime();
    StageCache.Entry e =
        p.stage(
            "embed",
            inputs.name() + " with " + Path.of(model).getFileName(),
            key,
            out -> encodeCorpus(model, maxLength, device, out),
            new double[1]);
    double builtNow = e.reused() ? 0 : (System.nanoTime() - start) / 1e9;
    meter.charge(
        "embed " + e.hash(),
        () -> {
          Path built = e.dir().resolve(ResultsStore.COST);
          return Files.isRegularFile(built)
              ? Json.read(built, NegativesCost.Part.class)
              : new NegativesCost.Part(
                  "corpus encoded with "
                      + Path.of(model).getFileName()
                      + " (before costs were recorded)",
                  0,
                  device,
                  null,
                  1,
                  Map.of());
        },
        builtNow);
    return EmbeddingFile.read(e.dir());
  }

  /** The embed stage: the corpus encoded into {@code out}, and what that cost. */
  private void encodeCorpus(String model, int maxLength, String device, Path out)
      throws IOException {
    BeirDataset ds = inputs.dataset();
    long began = System.nanoTime();
    // Encoded and written a chunk at a time: no corpus-sized array on the heap.
    List<String> ids = new ArrayList<>();
    ds.forEachDocument(d -> ids.add(d.id()));
    List<String> texts = new ArrayList<>(EMBED_CHUNK);
    try (TextEncoder enc = p.encoder(model, maxLength, p.config.evaluation().batchSize(), device);
        Progress bar = p.progress.start("Encoding " + inputs.name(), ids.size());
        EmbeddingFile file = EmbeddingFile.create(out)) {
      ds.forEachDocument(
          d -> {
            texts.add(d.contents());
            if (texts.size() == EMBED_CHUNK) {
              appendEncoded(file, enc, texts, bar);
            }
          });
      appendEncoded(file, enc, texts, bar);
      file.finish(ids);
    }
    Json.write(
        out.resolve(ResultsStore.COST),
        new NegativesCost.Part(
            "corpus encoded with " + Path.of(model).getFileName(),
            (System.nanoTime() - began) / 1e9,
            device,
            meter.cpuPrice(device),
            1,
            Map.of(NegativesCost.DOCUMENTS_ENCODED, (long) ids.size())));
  }

  private static void appendEncoded(
      EmbeddingFile file, TextEncoder enc, List<String> texts, Progress bar) {
    if (texts.isEmpty()) {
      return;
    }
    try {
      file.append(enc.encode(texts, true, bar));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write embeddings", e);
    }
    texts.clear();
  }

  @Override
  public void close() {
    if (index != null) {
      index.close();
    }
  }
}
