package dev.negbench.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.analysis.Hardness;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.experiment.sources.Source;
import dev.negbench.experiment.sources.SourceContext;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.EmbeddingFile;
import dev.negbench.model.CrossEncoders;
import dev.negbench.model.Device;
import dev.negbench.model.Encoders;
import dev.negbench.model.OnnxExport;
import dev.negbench.model.OnnxGraph;
import dev.negbench.model.TextEncoder;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One dataset's share of an experiment: its negatives, hardness, training and evaluation stages,
 * and what sources work with ({@link SourceContext}): the training split, the BM25 index (held open
 * while needed) and the corpus embeddings.
 */
final class DatasetStages implements SourceContext, AutoCloseable {
  /**
   * Seed of the built-in synthetic datasets ({@code synthetic:DOCS}), as {@code negbench synth}'s
   * default.
   */
  static final long SYNTHETIC_SEED = 42;

  private final Pipeline p;
  private final ExperimentConfig config;
  private final ExperimentConfig.DatasetRef ref;
  private BeirDataset ds;
  private Map<String, Query> queries;

  /** Checksums of the dataset's files, shared by the stage keys. */
  private Map<String, Object> inputs;

  private Bm25Index index;
  private final Map<String, StageCache.Entry> negatives = new HashMap<>();
  private final Map<String, double[]> negativeSeconds = new HashMap<>();

  /** What the BM25 index cost to build, once opened. */
  private NegativesCost.Part indexCost;

  /** Set while a negatives stage runs: the shared inputs it used and the time spent making them. */
  private CostMeter meter;

  /**
   * The shared inputs (BM25 index, corpus embeddings) a negatives stage used, each with what it
   * cost to build, and the seconds the stage spent building them (taken off its own part).
   */
  private static final class CostMeter {
    final Map<String, NegativesCost.Part> shared = new LinkedHashMap<>();
    double nestedSeconds;
  }

  DatasetStages(Pipeline pipeline, ExperimentConfig.DatasetRef ref) {
    this.p = pipeline;
    this.config = pipeline.config;
    this.ref = ref;
  }

  /** The dataset's name, its results folder name. */
  String name() {
    return ref.name();
  }

  /** Opens the dataset (writing a synthetic one first, as a stage) and checksums its files. */
  DatasetStages open() {
    if (ds != null) {
      return this;
    }
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
    ds = BeirDataset.open(dir);
    queries = ds.queries();
    inputs = new TreeMap<>();
    inputs.put("corpus", ds.corpusChecksum());
    inputs.put("queries", AtomicFiles.sha256(ds.queriesFile()));
    // A dataset only evaluated (train_on) may lack a training split, a training collection an
    // evaluation split.
    if (ds.splits().contains(config.trainingSplit())) {
      inputs.put("train_qrels", AtomicFiles.sha256(ds.qrelsFile(config.trainingSplit())));
    }
    if (ds.splits().contains(config.evaluation().split())) {
      inputs.put("eval_qrels", AtomicFiles.sha256(ds.qrelsFile(config.evaluation().split())));
    }
    return this;
  }

  /** The untrained base model evaluated on this dataset. */
  Path zeroShot() {
    String model = p.modelRef(config.training().model());
    double[] seconds = new double[1];
    StageCache.Entry eval = evaluate(model, CellResult.ZERO_SHOT, seconds);
    List<String> fixtures = p.fixtureModels(null);
    Map<String, Object> training =
        new TreeMap<>(Map.of("model", config.training().model(), "trained", false));
    if (!fixtures.isEmpty()) {
      training.put("fixture_models", fixtures);
    }
    CellResult r = result(CellResult.ZERO_SHOT, CellResult.ZERO_SHOT, 0, eval.dir(), training);
    return p.store.write(
        r,
        p.provenance(Map.of("eval", eval.hash()), "none", seconds[0], null)
            .withEvaluation(engine(model), fixtures));
  }

  /** A training stage's folder, its {@code training.json} and the checkpoint folder in it. */
  record TrainedModel(StageCache.Entry stage, Map<String, Object> report, String checkpoint) {}

  /** Trains the base model on a source's negatives of this collection (a cached stage). */
  TrainedModel train(Source source, long seed, StageCache.Entry neg, double[] seconds) {
    // The model as the trainer should open it: a built-in name, a folder resolved against the
    // config, or a name.
    TrainingPlan plan =
        config
            .training()
            .withModel(p.modelRef(config.training().model()))
            .withDevice(config.trainingDevice());
    Map<String, Object> key = new TreeMap<>(inputs);
    key.put("negatives", AtomicFiles.sha256(neg.dir().resolve(Source.NEGATIVES)));
    key.put("plan", plan);
    key.put("base_model", p.modelChecksum(p.modelRef(plan.model())));
    key.put("seed", seed);
    StageCache.Entry train =
        p.stage(
            "train",
            ref.name() + "/" + source.name() + "/seed-" + seed,
            key,
            out -> {
              var t =
                  p.steps
                      .train()
                      .train(ds, neg.dir().resolve(Source.NEGATIVES), plan, seed, out, p.progress);
              Map<String, Object> report = new TreeMap<>();
              report.put("steps", t.steps());
              report.put("triples", t.triples());
              report.put("first_loss", t.firstLoss());
              report.put("last_loss", t.lastLoss());
              report.put("seconds", Math.round(t.seconds() * 10) / 10.0);
              report.put("device", plan.device());
              report.put(
                  "checkpoint",
                  out.toAbsolutePath().relativize(t.checkpoint().toAbsolutePath()).toString());
              Json.write(out.resolve("training.json"), report);
            },
            seconds);
    @SuppressWarnings("unchecked")
    Map<String, Object> report = Json.read(train.dir().resolve("training.json"), Map.class);
    String checkpoint =
        train.dir().resolve(String.valueOf(report.get("checkpoint"))).normalize().toString();
    return new TrainedModel(train, report, checkpoint);
  }

  /** The negatives of a source; seed-independent sources share one stage across seeds. */
  StageCache.Entry negativesStage(Source source, long seed) {
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
    key.put("split", config.trainingSplit());
    key.put("source", sourceKey(source));
    if (perSeed) {
      key.put("seed", seed);
    }
    if (!source.inputs().isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (String input : source.inputs()) {
        parts.add(negativesStage(p.loaded.source(input), seed).hash());
      }
      key.put("parts", parts);
    }
    key.putAll(source.inputChecksums(this));
    double[] seconds = negativeSeconds.computeIfAbsent(memo, k -> new double[1]);
    StageCache.Entry e =
        p.stage(
            "negatives",
            ref.name() + "/" + source.name() + (perSeed ? "/seed-" + seed : ""),
            key,
            out -> {
              CostMeter outer = meter;
              meter = new CostMeter();
              try {
                long start = System.nanoTime();
                source.make(this, seed, out);
                double wall = (System.nanoTime() - start) / 1e9;
                if (!Files.isRegularFile(out.resolve(Source.NEGATIVES))) {
                  throw new IllegalStateException(
                      "source " + source.name() + " wrote no " + Source.NEGATIVES);
                }
                cost(source, seed, out, wall, meter).write(out.resolve(ResultsStore.COST));
              } finally {
                meter = outer;
              }
            },
            seconds);
    negatives.put(memo, e);
    return e;
  }

  /**
   * What making a source's negatives cost: its own part (the stage's wall time less the shared
   * inputs it built, on its device; for generated negatives the generation's time on its GPUs), the
   * shared inputs it used with what each cost to build, and for a mix the costs of its parts.
   */
  private NegativesCost cost(Source source, long seed, Path out, double wall, CostMeter m)
      throws IOException {
    List<NegativesCost.Part> parts = new ArrayList<>();
    Path generation = out.resolve(Source.GENERATION);
    if (Files.isRegularFile(generation)) {
      GenerationSummary g = priced(GenerationSummary.read(generation), source);
      String device =
          (g.gpu() == null ? nonNull(g.device(), "gpu") : g.gpus() + "x " + g.gpu())
              + (g.simulated() ? " (simulated)" : "");
      parts.add(
          new NegativesCost.Part(
              "generate (" + g.generator() + ")",
              g.seconds(),
              device,
              g.gpuHourUsd(),
              g.gpus(),
              Map.of(
                  NegativesCost.TOKENS_GENERATED,
                  g.completionTokens(),
                  NegativesCost.REQUESTS,
                  g.requests())));
    } else {
      String device =
          source.modelUse(config.device(), p::modelRef).map(Source.ModelUse::device).orElse("cpu");
      Map<String, Long> work = new TreeMap<>();
      Path summary = out.resolve(Source.SUMMARY);
      if (Files.isRegularFile(summary)) {
        JsonNode node = Json.read(summary, JsonNode.class);
        if (node.has("queries")) {
          work.put(NegativesCost.QUERIES_SEARCHED, node.get("queries").asLong());
        }
        node.path("work").properties().forEach(e -> work.put(e.getKey(), e.getValue().asLong()));
      }
      parts.add(
          new NegativesCost.Part(
              source.inputs().isEmpty() ? "mine (" + source.type() + ")" : "mix",
              Math.max(0, wall - m.nestedSeconds),
              device,
              price(device, source),
              1,
              work));
    }
    parts.addAll(m.shared.values());
    for (String input : source.inputs()) {
      Path partCost = negativesStage(p.loaded.source(input), seed).dir().resolve(ResultsStore.COST);
      if (Files.isRegularFile(partCost)) {
        for (NegativesCost.Part part : NegativesCost.read(partCost).parts()) {
          parts.add(
              new NegativesCost.Part(
                  input + ": " + part.what(),
                  part.seconds(),
                  part.device(),
                  part.usdPerHour(),
                  part.units(),
                  part.work()));
        }
      }
    }
    long negatives = 0;
    for (HardNegatives h : NegativesJsonl.read(out.resolve(Source.NEGATIVES))) {
      negatives += h.negatives().size();
    }
    return new NegativesCost(
        source.name(),
        source.type(),
        negatives,
        parts,
        "wall time of the negatives stage (generation: the generation's own time), plus the build time of the BM25 index, corpus"
            + " embeddings and trained cross-encoder it used, measured when each was built");
  }

  /**
   * US dollars per hour of {@code device}: the config's CPU price, or the source's GPU's price
   * (null when unknown).
   */
  private Double price(String device, Source source) {
    if (device.equals("cpu")) {
      return config.cpuHourUsd();
    }
    return source.gpu() == null ? null : config.gpuPrices().get(source.gpu());
  }

  /** The config's price of a CPU hour on the CPU; null (no price known) on any other device. */
  private Double cpuPrice(String device) {
    return device.equals("cpu") ? config.cpuHourUsd() : null;
  }

  private static String nonNull(String s, String otherwise) {
    return s == null ? otherwise : s;
  }

  /** A source that reads others (a mix) depends on the seed when one of them does. */
  private boolean seedDependent(Source s) {
    return s.seedDependent()
        || s.inputs().stream().anyMatch(i -> seedDependent(p.loaded.source(i)));
  }

  /**
   * The source's config fields and type, without its name: renaming a source does not change its
   * negatives.
   */
  private static Map<String, Object> sourceKey(Source s) {
    Map<String, Object> m =
        Json.MAPPER.convertValue(
            s,
            Json.MAPPER
                .getTypeFactory()
                .constructMapType(TreeMap.class, String.class, Object.class));
    m.values().removeIf(v -> v == null);
    m.remove("name");
    m.put("type", s.type());
    return m;
  }

  StageCache.Entry hardness(Source source, StageCache.Entry neg, double[] seconds) {
    AnalysisPlan a = config.analysis();
    String reference = p.modelRef(a.referenceModel());
    String ce = a.crossEncoder() == null ? null : p.modelRef(a.crossEncoder());
    Map<String, Object> key = new TreeMap<>();
    key.put("corpus", inputs.get("corpus"));
    key.put("negatives", AtomicFiles.sha256(neg.dir().resolve(Source.NEGATIVES)));
    key.put("reference", p.modelChecksum(reference));
    key.put("cross_encoder", ce == null ? "none" : p.modelChecksum(ce));
    key.put("max_queries", a.maxQueries());
    key.put("max_length", config.evaluation().maxLength()); // the encoders below truncate there
    key.put("source", source.name());
    return p.stage(
        "hardness",
        ref.name() + "/" + source.name() + " (negatives " + neg.hash() + ")",
        key,
        out -> {
          List<HardNegatives> rows = NegativesJsonl.read(neg.dir().resolve(Source.NEGATIVES));
          rows = rows.subList(0, Math.min(rows.size(), a.maxQueries()));
          Map<String, String> texts = documentTexts(rows);
          String device = config.evaluationDevice();
          DenseEmbeddings corpus = embeddings(reference, config.evaluation().maxLength(), device);
          try (TextEncoder enc =
                  encoder(
                      reference,
                      config.evaluation().maxLength(),
                      config.evaluation().batchSize(),
                      device);
              CrossEncoders.Opened scorer =
                  ce == null ? null : CrossEncoders.open(Path.of(ce), 512, 32, p.threads, device)) {
            Hardness.analyse(
                    source.name(),
                    rows,
                    texts,
                    corpus,
                    bm25(),
                    enc,
                    scorer,
                    a.maxQueries(),
                    p.progress)
                .write(out.resolve(ResultsStore.HARDNESS));
          }
        },
        seconds);
  }

  /** {@code title + " " + text} of every positive and corpus negative of {@code rows}. */
  private Map<String, String> documentTexts(List<HardNegatives> rows) {
    Set<String> wanted = new HashSet<>();
    for (HardNegatives h : rows) {
      wanted.addAll(h.positiveIds());
      h.negatives().stream().filter(n -> !n.inline()).forEach(n -> wanted.add(n.docId()));
    }
    Map<String, String> texts = new HashMap<>();
    ds.forEachDocument(
        d -> {
          if (wanted.contains(d.id())) {
            texts.put(d.id(), d.contents());
          }
        });
    return texts;
  }

  /**
   * True when evaluation encodes {@code model} through its ONNX export: a trained checkpoint (DJL's
   * by its files) evaluated on the CPU with the standard steps.
   */
  private boolean exportsForEvaluation(String model) {
    return p.steps.exportCheckpoints()
        && Device.parse(config.evaluationDevice()) == Device.CPU
        && Encoders.engineFor(model) == Encoders.Engine.DJL;
  }

  /**
   * The engine evaluation encodes {@code model} on, for provenance; null when the folder names none
   * (a test's own encoders).
   */
  String engine(String model) {
    try {
      if (exportsForEvaluation(model)) {
        return "onnxruntime (export-onnx)";
      }
      return Encoders.engineFor(model) == Encoders.Engine.ONNX ? "onnxruntime" : "djl";
    } catch (DatasetFormatException e) {
      return null;
    }
  }

  /**
   * A checkpoint exported to ONNX ({@code export-onnx}), as a cached stage keyed by the
   * checkpoint's files.
   */
  private String exported(String checkpoint, String what, double[] seconds) {
    Map<String, Object> key = new TreeMap<>();
    key.put("checkpoint", p.modelChecksum(checkpoint));
    key.put("opset", OnnxGraph.OPSET);
    StageCache.Entry export =
        p.stage(
            "export",
            ref.name() + "/" + what,
            key,
            out -> OnnxExport.export(checkpoint, out.resolve("onnx")),
            seconds);
    return export.dir().resolve("onnx").toString();
  }

  /** Dense retrieval of the evaluation split with {@code model}, cached by the model's checksum. */
  StageCache.Entry evaluate(String checkpoint, String what, double[] seconds) {
    boolean export = exportsForEvaluation(checkpoint);
    String model = export ? exported(checkpoint, what, seconds) : checkpoint;
    EvaluationPlan e = config.evaluation();
    Map<String, Object> key = new TreeMap<>();
    key.put("corpus", inputs.get("corpus"));
    key.put("queries", inputs.get("queries"));
    key.put("qrels", inputs.get("eval_qrels"));
    key.put("split", e.split());
    key.put("top_k", e.topK());
    key.put("max_length", e.maxLength());
    key.put("model", p.modelChecksum(checkpoint));
    if (export) {
      key.put(
          "engine",
          "onnxruntime-export"); // earlier results of the same checkpoint encoded on DJL keep their
      // stage
    }
    if (e.denseIndex() != null) {
      key.put(
          "dense_index", e.denseIndex()); // unset: the key runs made before the setting existed had
    }
    return p.stage(
        "eval",
        ref.name() + "/" + what,
        key,
        out -> {
          DenseEmbeddings corpus = embeddings(model, e.maxLength(), config.evaluationDevice());
          try (TextEncoder enc =
              encoder(model, e.maxLength(), e.batchSize(), config.evaluationDevice())) {
            Evaluation.search(
                ds,
                e,
                queries,
                corpus,
                enc,
                "negbench-" + config.name(),
                p.threads,
                p.progress,
                p.work,
                out);
          }
        },
        seconds);
  }

  CellResult result(
      String source, String type, long seed, Path evalDir, Map<String, Object> training) {
    return Evaluation.score(config, ref.name(), ds, source, type, seed, evalDir, training);
  }

  /**
   * The summary with the source's GPU and the config's price for it, where the generator left them
   * out.
   */
  GenerationSummary priced(GenerationSummary g, Source source) {
    String gpu = g.gpu() != null ? g.gpu() : source.gpu();
    Double price =
        g.gpuHourUsd() != null ? g.gpuHourUsd() : gpu == null ? null : config.gpuPrices().get(gpu);
    return g.withPrice(gpu, price);
  }

  static void copy(Path from, Path to) {
    try {
      AtomicFiles.writeString(to, Files.readString(from));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }

  // SourceContext

  @Override
  public BeirDataset dataset() {
    return ds;
  }

  @Override
  public String split() {
    return config.trainingSplit();
  }

  @Override
  public Qrels qrels() {
    return ds.qrels(split());
  }

  @Override
  public Map<String, Query> queries() {
    return queries;
  }

  @Override
  public Bm25Index bm25() {
    if (index == null) {
      Path location = Bm25Index.defaultLocation(ds, p.work);
      // What building the index took, kept beside it so that a source that reuses it is charged
      // too.
      Path record = location.resolveSibling(location.getFileName() + ".cost.json");
      var outcome = new AtomicReference<Bm25Index.Outcome>();
      long start = System.nanoTime();
      index =
          Bm25Index.openOrBuild(
              ds, location, Bm25Index.Parameters.ANSERINI, p.threads, p.progress, outcome);
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
                config.cpuHourUsd(),
                1,
                Map.of(NegativesCost.DOCUMENTS_INDEXED, (long) index.size()));
        if (outcome.get() != Bm25Index.Outcome.REUSED) {
          Json.write(record, indexCost);
        }
      } else {
        indexCost = Json.read(record, NegativesCost.Part.class);
      }
      if (meter != null) {
        meter.nestedSeconds += s;
      }
    }
    if (meter != null) {
      meter.shared.putIfAbsent("bm25", indexCost);
    }
    return index;
  }

  /**
   * The corpus encoded by {@code model} (title + ' ' + text, normalised), cached by the model's
   * checksum and max length: evaluation, dense mining and hardness share it.
   */
  /** Documents encoded and appended at a time by the embed stage. */
  private static final int EMBED_CHUNK = 8192;

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
  public DenseEmbeddings embeddings(String model, int maxLength, String device) {
    Map<String, Object> key = new TreeMap<>();
    key.put("corpus", inputs.get("corpus"));
    key.put("model", p.modelChecksum(model));
    key.put("max_length", maxLength);
    if (!"cpu".equals(device)) {
      key.put("device", device); // a GPU may encode in float16: its embeddings are not the CPU's
    }
    long start = System.nanoTime();
    StageCache.Entry e =
        p.stage(
            "embed",
            ref.name() + " with " + Path.of(model).getFileName(),
            key,
            out -> {
              long began = System.nanoTime();
              // Encoded and written a chunk at a time: no corpus-sized array on the heap.
              List<String> ids = new ArrayList<>();
              ds.forEachDocument(d -> ids.add(d.id()));
              List<String> texts = new ArrayList<>(EMBED_CHUNK);
              try (TextEncoder enc =
                      encoder(model, maxLength, config.evaluation().batchSize(), device);
                  Progress bar = p.progress.start("Encoding " + ref.name(), ids.size());
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
                      cpuPrice(device),
                      1,
                      Map.of(NegativesCost.DOCUMENTS_ENCODED, (long) ids.size())));
            },
            new double[1]);
    if (meter != null) {
      if (!e.reused()) {
        meter.nestedSeconds += (System.nanoTime() - start) / 1e9;
      }
      Path built = e.dir().resolve(ResultsStore.COST);
      meter.shared.putIfAbsent(
          "embed " + e.hash(),
          Files.isRegularFile(built)
              ? Json.read(built, NegativesCost.Part.class)
              : new NegativesCost.Part(
                  "corpus encoded with "
                      + Path.of(model).getFileName()
                      + " (before costs were recorded)",
                  0,
                  device,
                  null,
                  1,
                  Map.of()));
    }
    return EmbeddingFile.read(e.dir());
  }

  @Override
  public void charge(
      String key,
      String what,
      double seconds,
      String device,
      Map<String, Long> work,
      double secondsNow) {
    if (meter != null) {
      meter.nestedSeconds += secondsNow;
      meter.shared.putIfAbsent(
          key, new NegativesCost.Part(what, seconds, device, cpuPrice(device), 1, work));
    }
  }

  @Override
  public TextEncoder encoder(String model, int maxLength, int batchSize, String device) {
    return p.steps.encoders().open(model, maxLength, batchSize, p.threads, device);
  }

  @Override
  public String device(String own) {
    return own != null ? own : config.device();
  }

  @Override
  public Path negatives(String source, long seed) {
    return negativesStage(p.loaded.source(source), seed).dir().resolve(Source.NEGATIVES);
  }

  @Override
  public String model(String reference) {
    return p.modelRef(reference);
  }

  @Override
  public String modelChecksum(String model) {
    return p.modelChecksum(model);
  }

  @Override
  public Path resolve(String path) {
    return p.loaded.resolve(path);
  }

  @Override
  public Path work() {
    return p.work;
  }

  @Override
  public int threads() {
    return p.threads;
  }

  @Override
  public Progress.Factory progress() {
    return p.progress;
  }

  @Override
  public void close() {
    if (index != null) {
      index.close();
    }
  }
}
