package dev.negbench.experiment;

import dev.negbench.analysis.Hardness;
import dev.negbench.io.Json;
import dev.negbench.mine.EmbeddingFile;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.Provenance;
import dev.negbench.results.ResultsStore;
import dev.negbench.io.AtomicFiles;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.io.Progress;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.data.TrecRun;
import dev.negbench.eval.EvaluationResult;
import dev.negbench.eval.Metric;
import dev.negbench.eval.TrecEval;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.Bm25Miner;
import dev.negbench.mine.Bm25Searcher;
import dev.negbench.mine.CrossEncoderMiner;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.DenseMiner;
import dev.negbench.mine.DenseSearcher;
import dev.negbench.mine.HardNegativeMining;
import dev.negbench.mine.MiningSettings;
import dev.negbench.mine.NegativeSource;
import dev.negbench.model.BuiltinModels;
import dev.negbench.model.CrossEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs an experiment: for every dataset, source and seed, negatives (mined, read, generated or
 * mixed), training, dense retrieval over the evaluation split and trec_eval metrics, written to the
 * {@link ResultsStore}; plus the untrained base model ({@value #ZERO_SHOT}) and negative hardness.
 * Every stage is cached in a {@link StageCache} under the work folder, keyed by its inputs'
 * checksums and settings, so a rerun does only what changed and a killed run resumes.
 */
public final class Pipeline {
  /** The source name of the untrained base model's result. */
  public static final String ZERO_SHOT = "zero-shot";

  public static final Metric NDCG10 = Metric.parse("ndcg@10");

  /** Seed of the built-in synthetic datasets ({@code synthetic:DOCS}), as {@code negbench synth}'s default. */
  static final long SYNTHETIC_SEED = 42;

  /**
   * The stages this package does not build. {@code generated} makes {@code llm} negatives and
   * {@code train} fine-tunes; either may be null until its stage lands, and a config needing a
   * null one fails before any work. {@code encoders} opens the base and trained bi-encoders.
   */
  public record Wiring(NegativeStage generated, TrainStage train, RetrievalEncoder.Factory encoders) {}

  /** What a run did: results written, and stages run or reused. */
  public record Summary(List<Path> results, int stagesRun, int stagesReused) {}

  private final ExperimentConfig.Loaded loaded;
  private final ExperimentConfig config;
  private final StageCache cache;
  private final Path work;
  private final ResultsStore store;
  private final Wiring wiring;
  private final boolean skipTraining;
  private final int threads;
  private final Progress.Factory progress;
  private final Consumer<String> log;
  private final Map<String, String> modelChecksums = new HashMap<>();
  // Read once when the run starts: a commit made while it runs did not make its results.
  private final String gitCommit = Provenance.currentGitCommit();
  private int stagesRun;
  private int stagesReused;

  public Pipeline(
      ExperimentConfig.Loaded loaded,
      Path work,
      ResultsStore store,
      Wiring wiring,
      boolean skipTraining,
      int threads,
      Progress.Factory progress,
      Consumer<String> log) {
    this.loaded = loaded;
    this.config = loaded.config();
    this.work = work;
    this.cache = new StageCache(work.resolve("stages"));
    this.store = store;
    this.wiring = wiring;
    this.skipTraining = skipTraining;
    this.threads = threads;
    this.progress = progress;
    this.log = log;
  }

  /** Fails, before any work, when the config needs a stage that is not wired. */
  public void preflight() {
    for (SourceSpec s : config.sources()) {
      if ("llm".equals(s.type()) && wiring.generated() == null) {
        throw new IllegalArgumentException(
            loaded.file() + ": source '" + s.name() + "' is an llm source, but LLM generation is not wired into reproduce yet (it lands with issue 4); remove the source or use a file source");
      }
    }
    if (!skipTraining && wiring.train() == null) {
      throw new IllegalArgumentException(
          loaded.file() + ": training is not wired into reproduce yet (it lands with issue 5); rerun with --skip-training for negatives, hardness and the zero-shot row");
    }
  }

  public Summary run() {
    preflight();
    List<Path> written = new ArrayList<>();
    for (ExperimentConfig.DatasetRef ref : loaded.datasets()) {
      try (DatasetRun d = new DatasetRun(ref)) {
        written.addAll(d.run());
      }
    }
    return new Summary(written, stagesRun, stagesReused);
  }

  private StageCache.Entry stage(String name, String what, Map<String, ?> key, StageCache.Body body, double[] seconds) {
    long start = System.nanoTime();
    StageCache.Entry e = cache.run(name, key, body);
    if (e.reused()) {
      stagesReused++;
      log.accept(String.format(Locale.ROOT, "%-9s %s: reused %s", name, what, e.dir()));
    } else {
      stagesRun++;
      double s = (System.nanoTime() - start) / 1e9;
      seconds[0] += s;
      log.accept(String.format(Locale.ROOT, "%-9s %s: done in %.1f s -> %s", name, what, s, e.dir()));
    }
    return e;
  }

  /** A model argument: a built-in name, a folder relative to the config if one exists there, else as written. */
  String modelRef(String model) {
    if (BuiltinModels.isBuiltin(model)) {
      return model;
    }
    Path p = loaded.resolve(model);
    return Files.exists(p) ? p.toString() : model;
  }

  /**
   * SHA-256 over every file of a model folder (relative path and content, in path order), or of
   * the name when it is not a folder (a model the encoder factory resolves by name).
   */
  private String modelChecksum(String model) {
    return modelChecksums.computeIfAbsent(
        model,
        m -> {
          Path dir = BuiltinModels.isBuiltin(m) ? BuiltinModels.resolve(m) : Path.of(m);
          if (!Files.isDirectory(dir)) {
            return StageCache.sha256("name:" + m);
          }
          StringBuilder all = new StringBuilder();
          try (var walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
              all.append(dir.relativize(f).toString().replace('\\', '/')).append(' ').append(AtomicFiles.sha256(f)).append('\n');
            }
          } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read model folder " + dir, e);
          }
          return StageCache.sha256(all.toString());
        });
  }

  /** One dataset's work; holds its BM25 index open while needed. */
  private final class DatasetRun implements AutoCloseable {
    private final ExperimentConfig.DatasetRef ref;
    private BeirDataset ds;
    private Map<String, Query> queries;
    private Map<String, Object> inputs;
    private Bm25Index index;
    private final Map<String, StageCache.Entry> negatives = new HashMap<>();
    private final Map<String, double[]> negativeSeconds = new HashMap<>();

    DatasetRun(ExperimentConfig.DatasetRef ref) {
      this.ref = ref;
    }

    List<Path> run() {
      Path dir = ref.dir();
      if (ref.synthetic()) {
        int docs = ref.syntheticDocs();
        var settings = new SyntheticDataset.Settings(docs, docs / 5, SYNTHETIC_SEED);
        Map<String, Object> key = Map.of("documents", docs, "queries", docs / 5, "seed", SYNTHETIC_SEED);
        dir = stage("synthetic", ref.entry(), key, out -> SyntheticDataset.write(settings, out.resolve("data")), new double[1])
            .dir()
            .resolve("data");
      }
      ds = BeirDataset.open(dir);
      queries = ds.queries();
      inputs = new TreeMap<>();
      inputs.put("corpus", ds.corpusChecksum());
      inputs.put("queries", AtomicFiles.sha256(ds.queriesFile()));
      inputs.put("train_qrels", AtomicFiles.sha256(ds.qrelsFile(config.training().split())));
      inputs.put("eval_qrels", AtomicFiles.sha256(ds.qrelsFile(config.evaluation().split())));
      List<Path> written = new ArrayList<>();
      if (config.evaluation().zeroShot()) {
        written.add(zeroShot());
      }
      for (SourceSpec source : config.sources()) {
        for (long seed : config.seeds()) {
          written.addAll(cell(source, seed));
        }
      }
      return written;
    }

    private Path zeroShot() {
      String model = modelRef(config.training().model());
      double[] seconds = new double[1];
      StageCache.Entry eval = evaluate(model, ZERO_SHOT, seconds);
      CellResult r = result(ZERO_SHOT, ZERO_SHOT, 0, eval.dir(), Map.of("model", config.training().model(), "trained", false));
      return store.write(r, provenance(Map.of("eval", eval.hash()), "none", seconds[0]));
    }

    private List<Path> cell(SourceSpec source, long seed) {
      double[] seconds = new double[1];
      StageCache.Entry neg = negatives(source, seed);
      Map<String, String> hashes = new TreeMap<>();
      hashes.put("negatives", neg.hash());
      Path resultDir = store.cellDir(config.name(), ref.name(), source.name(), seed);
      List<Path> written = new ArrayList<>();
      if (config.analysis().hardness()) {
        StageCache.Entry h = hardness(source, neg, seconds);
        hashes.put("hardness", h.hash());
        copy(h.dir().resolve(ResultsStore.HARDNESS), resultDir.resolve(ResultsStore.HARDNESS));
      }
      if (Files.isRegularFile(neg.dir().resolve(NegativeStage.GENERATION))) {
        priced(GenerationSummary.read(neg.dir().resolve(NegativeStage.GENERATION)), source)
            .write(resultDir.resolve(NegativeStage.GENERATION));
      }
      if (skipTraining) {
        return written;
      }
      TrainingPlan base = config.training();
      // The model as the trainer should open it: a built-in name, a folder resolved against the config, or a name.
      TrainingPlan plan =
          new TrainingPlan(
              modelRef(base.model()), base.split(), base.epochs(), base.batchSize(), base.learningRate(), base.warmupRatio(),
              base.maxQueryLength(), base.maxPassageLength(), base.negativesPerQuery(), base.device());
      Map<String, Object> key = new TreeMap<>(inputs);
      key.put("negatives", AtomicFiles.sha256(neg.dir().resolve(NegativeStage.NEGATIVES)));
      key.put("plan", plan);
      key.put("base_model", modelChecksum(modelRef(plan.model())));
      key.put("seed", seed);
      StageCache.Entry train =
          stage(
              "train",
              what(source, seed),
              key,
              out -> {
                TrainStage.Trained t =
                    wiring.train().train(ds, neg.dir().resolve(NegativeStage.NEGATIVES), plan, seed, out, progress);
                Map<String, Object> report = trainingReport(t);
                report.put("checkpoint", out.toAbsolutePath().relativize(t.checkpoint().toAbsolutePath()).toString());
                Json.write(out.resolve("training.json"), report);
              },
              seconds);
      @SuppressWarnings("unchecked")
      Map<String, Object> report = Json.read(train.dir().resolve("training.json"), Map.class);
      hashes.put("train", train.hash());
      String checkpoint = train.dir().resolve(String.valueOf(report.get("checkpoint"))).normalize().toString();
      StageCache.Entry eval = evaluate(checkpoint, source.name() + "/seed-" + seed, seconds);
      hashes.put("eval", eval.hash());
      Map<String, Object> training = new TreeMap<>(report);
      training.remove("checkpoint");
      training.put("model", base.model());
      training.put("trained", true);
      CellResult r = result(source.name(), source.type(), seed, eval.dir(), training);
      written.add(store.write(r, provenance(hashes, String.valueOf(report.getOrDefault("device", "unknown")), seconds[0])));
      return written;
    }

    private String what(SourceSpec source, long seed) {
      return ref.name() + "/" + source.name() + "/seed-" + seed;
    }

    /** The negatives of a source; seed-independent sources share one stage across seeds. */
    private StageCache.Entry negatives(SourceSpec source, long seed) {
      boolean perSeed = seedDependent(source);
      String memo = source.name() + "@" + (perSeed ? seed : "any");
      StageCache.Entry done = negatives.get(memo);
      if (done != null) {
        return done;
      }
      Map<String, Object> key = new TreeMap<>();
      key.put("corpus", inputs.get("corpus"));
      key.put("queries", inputs.get("queries"));
      key.put("qrels", inputs.get("train_qrels"));
      key.put("split", config.training().split());
      key.put("source", sourceKey(source));
      if (perSeed) {
        key.put("seed", seed);
      }
      if ("mix".equals(source.type())) {
        List<String> parts = new ArrayList<>();
        for (SourceSpec.MixPart p : source.parts()) {
          parts.add(negatives(loaded.source(p.from()), seed).hash());
        }
        key.put("parts", parts);
      }
      if (source.model() != null) {
        key.put("model_checksum", modelChecksum(modelRef(source.model())));
      }
      if ("file".equals(source.type())) {
        key.put("file", AtomicFiles.sha256(loaded.resolve(source.path())));
      }
      double[] seconds = negativeSeconds.computeIfAbsent(memo, k -> new double[1]);
      StageCache.Entry e = stage("negatives", ref.name() + "/" + source.name() + (perSeed ? "/seed-" + seed : ""), key,
          out -> makeNegatives(source, seed, out), seconds);
      negatives.put(memo, e);
      return e;
    }

    /** A mix depends on the seed when one of its parts does. */
    private boolean seedDependent(SourceSpec s) {
      return s.seedDependent() || ("mix".equals(s.type()) && s.parts().stream().anyMatch(p -> seedDependent(loaded.source(p.from()))));
    }

    private Map<String, Object> sourceKey(SourceSpec s) {
      Map<String, Object> m = Json.MAPPER.convertValue(s, Json.MAPPER.getTypeFactory().constructMapType(TreeMap.class, String.class, Object.class));
      m.values().removeIf(v -> v == null);
      m.remove("name"); // renaming a source does not change its negatives
      return m;
    }

    private void makeNegatives(SourceSpec s, long seed, Path out) throws IOException {
      Path file = out.resolve(NegativeStage.NEGATIVES);
      String split = config.training().split();
      switch (s.type()) {
        case "bm25" -> mine(new Bm25Miner(new Bm25Searcher(index()), settings(s, seed)), s, file);
        case "ce" -> {
          try (CrossEncoder ce = CrossEncoder.open(Path.of(modelRef(s.model())), s.maxLengthOrDefault(), s.batchSizeOrDefault(), 1)) {
            CrossEncoderMiner.Margin margin =
                s.relativeMargin() != null
                    ? CrossEncoderMiner.Margin.relative(s.relativeMargin())
                    : s.absoluteMargin() != null ? CrossEncoderMiner.Margin.absolute(s.absoluteMargin()) : null;
            mine(new CrossEncoderMiner(new Bm25Searcher(index()), ce, s.candidateDepthOrDefault(), settings(s, seed), margin), s, file);
          }
        }
        case "dense" -> {
          String model = modelRef(s.model() == null ? "minilm" : s.model());
          DenseEmbeddings corpus = embeddings(model, s.maxLengthOrDefault(), new double[1]);
          Qrels qrels = ds.qrels(split);
          List<Query> todo = HardNegativeMining.queriesWithPositives(qrels, queries);
          float[][] vectors;
          try (RetrievalEncoder encoder = wiring.encoders().open(model, s.maxLengthOrDefault(), s.batchSizeOrDefault(), threads);
              Progress bar = progress.start("Encoding queries", todo.size())) {
            vectors = encoder.encode(todo.stream().map(Query::text).toList(), true, bar);
          }
          Map<String, float[]> byId = new HashMap<>();
          for (int i = 0; i < todo.size(); i++) {
            byId.put(todo.get(i).id(), vectors[i]);
          }
          mine(new DenseMiner(new DenseSearcher(corpus), byId, settings(s, seed)), s, file);
        }
        case "file" -> {
          List<HardNegatives> rows = NegativesJsonl.read(loaded.resolve(s.path())); // validates every line
          writeRows(file, rows);
        }
        case "llm" -> {
          // Profile paths resolved against the config's folder, as every other path in it.
          SourceSpec resolved =
              new SourceSpec(
                  s.name(), s.type(), s.model(), s.numNegatives(), s.rangeMin(), s.rangeMax(), s.sampling(), s.candidateDepth(),
                  s.relativeMargin(), s.absoluteMargin(), s.maxLength(), s.batchSize(), modelRef(s.generator()), s.endpoint(),
                  s.simulator() == null ? null : modelRef(s.simulator()), s.gpu(), s.path(), s.parts());
          wiring.generated().make(ds, split, resolved, seed, out, progress);
        }
        case "mix" -> writeRows(file, mix(s, seed));
        default -> throw new IllegalStateException("unknown source type " + s.type());
      }
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException("source " + s.name() + " wrote no " + NegativeStage.NEGATIVES);
      }
    }

    private MiningSettings settings(SourceSpec s, long seed) {
      MiningSettings.Sampling sampling = "random".equals(s.samplingOrTop()) ? MiningSettings.Sampling.RANDOM : MiningSettings.Sampling.TOP;
      return new MiningSettings(s.negativesPerQuery(), s.rangeMinOr1(), s.rangeMaxOrDefault(), sampling, seed);
    }

    private void mine(NegativeSource miner, SourceSpec s, Path file) {
      var result = HardNegativeMining.mine(miner, s.negativesPerQuery(), ds.qrels(config.training().split()), queries, threads, progress);
      writeRows(file, result.rows());
      Json.write(file.resolveSibling("summary.json"), result.summary());
    }

    /**
     * Per query, the first {@code count} negatives of each part in part order, a document taken
     * once; queries in the order of the first part, then any only later parts have.
     */
    private List<HardNegatives> mix(SourceSpec s, long seed) {
      Map<String, HardNegatives> first = new LinkedHashMap<>();
      Map<String, List<Negative>> picked = new LinkedHashMap<>();
      Map<String, Set<String>> seen = new HashMap<>();
      for (SourceSpec.MixPart part : s.parts()) {
        Path file = negatives(loaded.source(part.from()), seed).dir().resolve(NegativeStage.NEGATIVES);
        for (HardNegatives h : NegativesJsonl.read(file)) {
          first.putIfAbsent(h.queryId(), h);
          List<Negative> list = picked.computeIfAbsent(h.queryId(), k -> new ArrayList<>());
          Set<String> ids = seen.computeIfAbsent(h.queryId(), k -> new HashSet<>());
          int taken = 0;
          for (Negative n : h.negatives()) {
            if (taken == part.count()) {
              break;
            }
            if (ids.add(n.docId())) {
              list.add(new Negative(n.docId(), list.size() + 1, n.score(), n.text()));
              taken++;
            }
          }
        }
      }
      List<HardNegatives> rows = new ArrayList<>();
      first.forEach((id, h) -> rows.add(new HardNegatives(id, h.query(), h.positiveIds(), picked.get(id))));
      return rows;
    }

    private void writeRows(Path file, List<HardNegatives> rows) {
      AtomicFiles.write(
          file,
          w -> {
            for (HardNegatives h : rows) {
              w.write(NegativesJsonl.toJson(h));
              w.write('\n');
            }
          });
    }

    private StageCache.Entry hardness(SourceSpec source, StageCache.Entry neg, double[] seconds) {
      AnalysisPlan a = config.analysis();
      String reference = modelRef(a.referenceModel());
      String ce = a.crossEncoder() == null ? null : modelRef(a.crossEncoder());
      Map<String, Object> key = new TreeMap<>();
      key.put("corpus", inputs.get("corpus"));
      key.put("negatives", AtomicFiles.sha256(neg.dir().resolve(NegativeStage.NEGATIVES)));
      key.put("reference", modelChecksum(reference));
      key.put("cross_encoder", ce == null ? "none" : modelChecksum(ce));
      key.put("max_queries", a.maxQueries());
      key.put("max_length", config.evaluation().maxLength()); // the encoders below truncate there
      key.put("source", source.name());
      return stage(
          "hardness",
          ref.name() + "/" + source.name() + " (negatives " + neg.hash() + ")",
          key,
          out -> {
            List<HardNegatives> rows = NegativesJsonl.read(neg.dir().resolve(NegativeStage.NEGATIVES));
            rows = rows.subList(0, Math.min(rows.size(), a.maxQueries()));
            Set<String> wanted = new HashSet<>();
            for (HardNegatives h : rows) {
              wanted.addAll(h.positiveIds());
              h.negatives().stream().filter(n -> !n.inline()).forEach(n -> wanted.add(n.docId()));
            }
            Map<String, String> texts = new HashMap<>();
            ds.forEachDocument(d -> {
              if (wanted.contains(d.id())) {
                texts.put(d.id(), d.contents());
              }
            });
            DenseEmbeddings corpus = embeddings(reference, config.evaluation().maxLength(), new double[1]);
            try (RetrievalEncoder enc = wiring.encoders().open(reference, config.evaluation().maxLength(), config.evaluation().batchSize(), threads);
                CrossEncoder scorer = ce == null ? null : CrossEncoder.open(Path.of(ce), 512, 32, threads)) {
              Hardness.analyse(source.name(), rows, texts, corpus, index(), enc, scorer, a.maxQueries(), progress)
                  .write(out.resolve(ResultsStore.HARDNESS));
            }
          },
          seconds);
    }

    /**
     * The corpus encoded by {@code model} (title + ' ' + text, normalised), cached by the model's
     * checksum and max length: evaluation, dense mining and hardness share it.
     */
    private DenseEmbeddings embeddings(String model, int maxLength, double[] seconds) {
      Map<String, Object> key = new TreeMap<>();
      key.put("corpus", inputs.get("corpus"));
      key.put("model", modelChecksum(model));
      key.put("max_length", maxLength);
      StageCache.Entry e =
          stage(
              "embed",
              ref.name() + " with " + Path.of(model).getFileName(),
              key,
              out -> {
                List<String> ids = new ArrayList<>();
                List<String> texts = new ArrayList<>();
                ds.forEachDocument(d -> {
                  ids.add(d.id());
                  texts.add(d.contents());
                });
                float[][] vectors;
                try (RetrievalEncoder enc = wiring.encoders().open(model, maxLength, config.evaluation().batchSize(), threads);
                    Progress bar = progress.start("Encoding " + ref.name(), texts.size())) {
                  vectors = enc.encode(texts, true, bar);
                }
                EmbeddingFile.write(out, ids, vectors);
              },
              seconds);
      return EmbeddingFile.read(e.dir());
    }

    /** Dense retrieval of the evaluation split with {@code model}, cached by the model's checksum. */
    private StageCache.Entry evaluate(String model, String what, double[] seconds) {
      EvaluationPlan e = config.evaluation();
      Map<String, Object> key = new TreeMap<>();
      key.put("corpus", inputs.get("corpus"));
      key.put("queries", inputs.get("queries"));
      key.put("qrels", inputs.get("eval_qrels"));
      key.put("split", e.split());
      key.put("top_k", e.topK());
      key.put("max_length", e.maxLength());
      key.put("model", modelChecksum(model));
      return stage(
          "eval",
          ref.name() + "/" + what,
          key,
          out -> {
            DenseEmbeddings corpus = embeddings(model, e.maxLength(), new double[1]);
            try (RetrievalEncoder enc = wiring.encoders().open(model, e.maxLength(), e.batchSize(), threads)) {
              DenseSearcher searcher = new DenseSearcher(corpus);
              Qrels qrels = ds.qrels(e.split());
              List<Query> evalQueries = ds.queries(qrels, queries);
              float[][] qv;
              try (Progress bar = progress.start("Encoding queries", evalQueries.size())) {
                qv = enc.encode(evalQueries.stream().map(Query::text).toList(), true, bar);
              }
              var run = searcher.searchAll(evalQueries, qv, e.topK(), "negbench-" + config.name(), threads, progress);
              TrecRun.write(out.resolve("run.trec"), run);
            }
          },
          seconds);
    }

    private CellResult result(String source, String type, long seed, Path evalDir, Map<String, Object> training) {
      Qrels qrels = ds.qrels(config.evaluation().split());
      List<Metric> metrics = Metric.parseAll(config.evaluation().metrics());
      EvaluationResult er = TrecEval.evaluate(qrels, TrecRun.read(evalDir.resolve("run.trec")), metrics);
      Map<String, Double> means = new LinkedHashMap<>();
      Map<String, double[]> perQuery = new LinkedHashMap<>();
      for (Metric m : metrics) {
        means.put(m.name(), er.mean(m));
        double[] v = new double[er.queryCount()];
        for (int q = 0; q < v.length; q++) {
          v[q] = er.value(m, er.queryIds().get(q));
        }
        perQuery.put(m.name(), v);
      }
      return new CellResult(
          config.name(), ref.name(), source, type, seed, config.evaluation().split(), ds.isSynthetic(), means, er.queryIds(), perQuery,
          training);
    }

    private Provenance provenance(Map<String, String> stages, String device, double seconds) {
      return Provenance.of(gitCommit, loaded.file(), loaded.sha256(), stages, device, seconds);
    }

    private Bm25Index index() {
      if (index == null) {
        index = Bm25Index.openOrBuild(ds, Bm25Index.defaultLocation(ds, work), Bm25Index.Parameters.ANSERINI, threads, progress);
      }
      return index;
    }

    private void copy(Path from, Path to) {
      try {
        AtomicFiles.writeString(to, Files.readString(from));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot copy " + from + " to " + to, e);
      }
    }

    @Override
    public void close() {
      if (index != null) {
        index.close();
      }
    }
  }

  /** The summary with the source's GPU and the config's price for it, where the generator left them out. */
  private GenerationSummary priced(GenerationSummary g, SourceSpec source) {
    String gpu = g.gpu() != null ? g.gpu() : source.gpu();
    Double price = g.gpuHourUsd() != null ? g.gpuHourUsd() : gpu == null ? null : config.gpuPrices().get(gpu);
    return new GenerationSummary(
        g.generator(), g.model(), g.parametersB(), g.device(), gpu, price, g.simulated(), g.queries(), g.negatives(), g.requests(),
        g.promptTokens(), g.completionTokens(), g.seconds(), g.latencyP50Ms(), g.latencyP90Ms(), g.latencyP99Ms(), g.gpuCount());
  }

  static Map<String, Object> trainingReport(TrainStage.Trained t) {
    Map<String, Object> m = new TreeMap<>();
    m.put("steps", t.steps());
    m.put("triples", t.triples());
    m.put("first_loss", t.firstLoss());
    m.put("last_loss", t.lastLoss());
    m.put("seconds", Math.round(t.seconds() * 10) / 10.0);
    m.put("device", t.device());
    return m;
  }
}
