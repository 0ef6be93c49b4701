package dev.negbench.cli;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.DenseIndexes;
import dev.negbench.mine.DenseSearcher;
import dev.negbench.mine.EmbeddingCache;
import dev.negbench.mine.HnswIndex;
import dev.negbench.model.BuiltinModels;
import dev.negbench.model.Encoders;
import dev.negbench.model.Quantization;
import dev.negbench.model.TextEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "dense-search",
    mixinStandardHelpOptions = true,
    description = {
      "Retrieve every query of a split with a bi-encoder and write a TREC run file.",
      "",
      "Documents (title + ' ' + text) and queries are encoded by a bi-encoder (ONNX Runtime, or DJL PyTorch for a trained checkpoint), mean-pooled over the attention mask and L2-normalised; every document is scored by inner product (cosine similarity), exactly (--index exact) or among the candidates of a Lucene HNSW graph built once beside the embeddings and rescored exactly (--index hnsw), and a hit whose id equals the query id is left out. Run lines are 'qid Q0 docid rank score tag', ranks from 1. Corpus embeddings are cached under --work-dir/embeddings and reused while their manifest (model, corpus, max length) matches.",
      "",
      "Example: negbench dense-search --dataset beir:scifact --split test --model minilm --top-k 1000 --run work/scifact-minilm.run"
    })
final class DenseSearchCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin DenseOptions dense;

  @Mixin RunOptions output;

  @Override
  public Integer call() {
    int topK = output.topK();
    long start = System.nanoTime();
    try (DenseOptions.Loaded l = dense.load(output.split, common)) {
      List<Query> queries = l.dataset().queries(l.qrels(), l.queries());
      float[][] vectors = l.encodeQueries(queries, common);
      String tag = output.tag("dense-" + l.modelName(), l.dataset().isSynthetic());
      output.write(
          l.searcher().searchAll(queries, vectors, topK, tag, common.threads, common.progress()),
          start,
          common);
    }
    return 0;
  }

  /** Dataset and bi-encoder options shared by the dense commands. */
  static final class DenseOptions {
    @Mixin DatasetOptions data;
    @Mixin QuantizeOption modelQuantize;

    @Option(
        names = "--model",
        paramLabel = "minilm|DIR",
        description =
            "Bi-encoder: 'minilm' (built in: all-MiniLM-L6-v2, unpacked by mvn package), a folder with model.onnx (or onnx/model.onnx), tokenizer.json, config.json (ONNX Runtime), or a Hugging Face checkpoint with model.safetensors such as `negbench train` writes (DJL PyTorch); token states are mean-pooled (default ${DEFAULT-VALUE}).")
    String model = "minilm";

    // sentence-transformers' all-MiniLM-L6-v2 sets max_seq_length 256 (sentence_bert_config.json);
    // its tokenizer.json says 128, which we override.
    @Option(
        names = "--max-length",
        paramLabel = "L",
        description =
            "Tokens per text, longer texts truncated (default ${DEFAULT-VALUE}, all-MiniLM-L6-v2's max_seq_length; capped at the model's max_position_embeddings).")
    int maxLength = 256;

    @Option(
        names = "--batch-size",
        paramLabel = "N",
        description = "Texts per forward pass, batched by length (default ${DEFAULT-VALUE}).")
    int batchSize = 64;

    @Option(
        names = "--embeddings",
        paramLabel = "FILE",
        description =
            "Corpus embedding cache (FILE.f32 beside FILE.json); built when missing or stale. Default: under --work-dir/embeddings.")
    Path embeddings;

    @Option(
        names = "--index",
        paramLabel = "exact|hnsw|auto",
        description =
            "Search every embedding exactly (a blocked scan), or through a Lucene HNSW graph whose candidates are rescored exactly; auto: hnsw from "
                + DenseIndexes.HNSW_THRESHOLD
                + " documents when at least "
                + DenseIndexes.HNSW_MIN_QUERIES
                + " queries are searched (below that the graph costs more to build than the exact scan of every query), else exact (default ${DEFAULT-VALUE}).")
    String index = "auto";

    @Option(
        names = "--hnsw-quantize",
        paramLabel = "none|int8",
        description = "HNSW vectors stored as floats or int8-quantized (default ${DEFAULT-VALUE}).")
    String quantize = "none";

    @Option(
        names = "--hnsw-m",
        paramLabel = "M",
        description = "HNSW neighbours per node (default ${DEFAULT-VALUE}, Lucene's).")
    int hnswM = 16;

    @Option(
        names = "--hnsw-beam-width",
        paramLabel = "B",
        description = "HNSW candidates kept while building (default ${DEFAULT-VALUE}, Lucene's).")
    int hnswBeamWidth = 100;

    @Option(
        names = "--hnsw-oversample",
        paramLabel = "X",
        description =
            "HNSW candidates asked per hit wanted, then rescored exactly (default ${DEFAULT-VALUE}).")
    double hnswOversample = 2.0;

    @Option(
        names = "--hnsw-order",
        paramLabel = "locality|corpus",
        description =
            "How the HNSW index numbers its documents: locality (near vectors at near numbers, by k-means, so a graph search reads fewer pages: faster at every oversampling on vectors shaped like sentence embeddings, but lower recall on vectors without their low-dimensional structure; docs/results/million-documents.md) or corpus (the embeddings' order) (default ${DEFAULT-VALUE}).")
    String hnswOrder = "locality";

    /** The dataset, its queries, one split's qrels, the encoder and the corpus embeddings. */
    record Loaded(
        BeirDataset dataset,
        Map<String, Query> queries,
        Qrels qrels,
        TextEncoder encoder,
        String modelName,
        DenseEmbeddings embeddings,
        DenseSearcher searcher,
        HnswIndex hnsw)
        implements AutoCloseable {
      /** Normalised embeddings of the queries, in order, with a progress bar. */
      float[][] encodeQueries(List<Query> list, CommonOptions common) {
        long start = System.nanoTime();
        float[][] out;
        try (var bar = common.progress().start("Encoding queries", list.size())) {
          out = encoder.encode(list.stream().map(Query::text).toList(), true, bar);
        }
        common.info(
            String.format(
                Locale.ROOT,
                "encoded %d queries in %.1f s",
                list.size(),
                (System.nanoTime() - start) / 1e9));
        return out;
      }

      @Override
      public void close() {
        encoder.close();
        if (hnsw != null) {
          hnsw.close();
        }
      }
    }

    /**
     * The HNSW index beside the embeddings when --index asks for one (or auto and the corpus is
     * large), else null.
     */
    private HnswIndex openIndex(
        DenseEmbeddings corpus,
        int queries,
        Path embeddingsFile,
        HnswIndex.Parameters parameters,
        CommonOptions common) {
      if (!DenseIndexes.useHnsw(index, corpus.size(), queries)) {
        return null;
      }
      String base = embeddingsFile.getFileName().toString().replaceFirst("\\.f32$", "");
      Path dir =
          embeddingsFile.resolveSibling(
              base + "-hnsw-m" + hnswM + "-b" + hnswBeamWidth + "-" + quantize);
      AtomicReference<HnswIndex.Outcome> outcome = new AtomicReference<>();
      long start = System.nanoTime();
      HnswIndex hnsw =
          HnswIndex.openOrBuild(
              corpus, dir, parameters, common.threads, common.progress(), outcome);
      common.info(
          String.format(
              Locale.ROOT,
              "HNSW index %s: %s (%.1f s)",
              dir,
              outcome.get().name().toLowerCase(Locale.ROOT),
              (System.nanoTime() - start) / 1e9));
      return hnsw;
    }

    /** The HNSW options, checked before any data is read: a bad value fails at once. */
    private HnswIndex.Parameters hnswParameters() {
      if (!DenseIndexes.isValid(index)) {
        throw new IllegalArgumentException(
            "--index must be exact, hnsw or auto, was '" + index + "'");
      }
      return new HnswIndex.Parameters(hnswM, hnswBeamWidth, quantize, hnswOversample, hnswOrder);
    }

    Loaded load(String split, CommonOptions common) {
      HnswIndex.Parameters parameters = hnswParameters();
      Quantization quantization = modelQuantize.checked();
      DatasetOptions.Opened opened = data.open(split, common);
      BeirDataset ds = opened.dataset();
      Path modelDir = BuiltinModels.resolve(model);
      String modelName =
          (BuiltinModels.isBuiltin(model)
                  ? model
                  : modelDir.toAbsolutePath().normalize().getFileName().toString())
              + (quantization == Quantization.NONE ? "" : "-" + quantization.label());
      TextEncoder encoder =
          Encoders.open(
              modelQuantize.model(model, common.workDir), maxLength, batchSize, common.threads);
      try {
        var checksums = EmbeddingCache.ModelChecksums.of(encoder);
        Path where =
            embeddings != null
                ? embeddings
                : EmbeddingCache.defaultLocation(
                    ds, common.workDir, checksums, encoder.maxLength());
        AtomicReference<EmbeddingCache.Outcome> outcome = new AtomicReference<>();
        long start = System.nanoTime();
        DenseEmbeddings corpus =
            EmbeddingCache.openOrBuild(
                ds, encoder, modelName, checksums, where, common.progress(), outcome);
        common.info(
            String.format(
                Locale.ROOT,
                "embeddings %s: %s (%d documents x %d, model %s, max length %d, %.1f s)",
                where,
                outcome.get().name().toLowerCase(Locale.ROOT),
                corpus.size(),
                corpus.dim(),
                modelName,
                encoder.maxLength(),
                (System.nanoTime() - start) / 1e9));
        data.checkReferences(opened, id -> corpus.row(id) >= 0, common);
        HnswIndex hnsw = openIndex(corpus, opened.qrels().queryCount(), where, parameters, common);
        return new Loaded(
            ds,
            opened.queries(),
            opened.qrels(),
            encoder,
            modelName,
            corpus,
            new DenseSearcher(corpus, hnsw),
            hnsw);
      } catch (RuntimeException e) {
        encoder.close();
        throw e;
      }
    }
  }
}
