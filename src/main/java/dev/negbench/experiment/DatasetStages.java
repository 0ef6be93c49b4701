package dev.negbench.experiment;

import dev.negbench.analysis.Hardness;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.experiment.sources.Source;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.model.CrossEncoders;
import dev.negbench.model.TextEncoder;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.ResultsStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One dataset's share of an experiment, the stages {@link Pipeline} drives on it: its negatives
 * ({@link NegativesStages}), hardness, training, and evaluation ({@link EvaluationStages}) with the
 * zero-shot row. Holds what the stages share: the opened dataset, its BM25 index (open until {@link
 * #close}) and corpus embeddings, the cost meter, and the sources' {@link DatasetContext}.
 */
final class DatasetStages implements AutoCloseable {
  private final Pipeline p;
  private final ExperimentConfig config;
  private final DatasetInputs inputs;
  private final NegativesCostMeter meter;
  private final SharedInputs shared;
  private final NegativesStages negatives;
  private final EvaluationStages evaluation;
  private final DatasetContext context;

  private DatasetStages(Pipeline pipeline, DatasetInputs inputs) {
    this.p = pipeline;
    this.config = pipeline.config;
    this.inputs = inputs;
    this.meter = new NegativesCostMeter(config, pipeline::modelRef);
    this.shared = new SharedInputs(pipeline, inputs, meter);
    this.negatives = new NegativesStages(pipeline, inputs, meter);
    this.evaluation = new EvaluationStages(pipeline, inputs, shared);
    this.context = new DatasetContext(pipeline, inputs, shared, meter, negatives);
  }

  /** Opens the dataset (writing a synthetic one first, as a stage) and checksums its files. */
  static DatasetStages open(Pipeline pipeline, ExperimentConfig.DatasetRef ref) {
    return new DatasetStages(pipeline, DatasetInputs.open(pipeline, ref));
  }

  /** The dataset's name, its results folder name. */
  String name() {
    return inputs.name();
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
            .withDevice(config.trainingDevice())
            .forSource(source);
    Map<String, Object> key = new TreeMap<>(inputs.checksums());
    key.put("negatives", AtomicFiles.sha256(neg.dir().resolve(Source.NEGATIVES)));
    key.put("plan", plan);
    key.put("base_model", p.modelChecksum(p.modelRef(plan.model())));
    key.put("seed", seed);
    StageCache.Entry train =
        p.stage(
            "train",
            name() + "/" + source.name() + "/seed-" + seed,
            key,
            out -> {
              var t =
                  p.steps
                      .train()
                      .train(
                          inputs.dataset(),
                          neg.dir().resolve(Source.NEGATIVES),
                          plan,
                          seed,
                          out,
                          p.progress);
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
    return negatives.stage(source, seed, context);
  }

  /** How hard a source's negatives are ({@link Hardness}), as a cached stage. */
  StageCache.Entry hardness(Source source, StageCache.Entry neg, double[] seconds) {
    AnalysisPlan a = config.analysis();
    String reference = p.modelRef(a.referenceModel());
    String ce = a.crossEncoder() == null ? null : p.modelRef(a.crossEncoder());
    Map<String, Object> key = new TreeMap<>();
    key.put("corpus", inputs.checksum("corpus"));
    key.put("negatives", AtomicFiles.sha256(neg.dir().resolve(Source.NEGATIVES)));
    key.put("reference", p.modelChecksum(reference));
    key.put("cross_encoder", ce == null ? "none" : p.modelChecksum(ce));
    key.put("max_queries", a.maxQueries());
    key.put("max_length", config.evaluation().maxLength()); // the encoders below truncate there
    key.put("source", source.name());
    return p.stage(
        "hardness",
        name() + "/" + source.name() + " (negatives " + neg.hash() + ")",
        key,
        out -> {
          List<HardNegatives> rows = NegativesJsonl.read(neg.dir().resolve(Source.NEGATIVES));
          rows = rows.subList(0, Math.min(rows.size(), a.maxQueries()));
          Map<String, String> texts = documentTexts(rows);
          String device = config.evaluationDevice();
          DenseEmbeddings corpus =
              shared.embeddings(reference, config.evaluation().maxLength(), device);
          try (TextEncoder enc =
                  p.encoder(
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
                    shared.bm25(),
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
    inputs
        .dataset()
        .forEachDocument(
            d -> {
              if (wanted.contains(d.id())) {
                texts.put(d.id(), d.contents());
              }
            });
    return texts;
  }

  /** Dense retrieval of the evaluation split with {@code model}, cached by the model's checksum. */
  StageCache.Entry evaluate(String checkpoint, String what, double[] seconds) {
    return evaluation.evaluate(checkpoint, what, seconds);
  }

  /** The engine evaluation encodes {@code model} on, for provenance (null when unknown). */
  String engine(String model) {
    return evaluation.engine(model);
  }

  CellResult result(
      String source, String type, long seed, Path evalDir, Map<String, Object> training) {
    return evaluation.result(source, type, seed, evalDir, training);
  }

  /** A generation summary priced with the source's GPU, where the generator left it out. */
  GenerationSummary priced(GenerationSummary g, Source source) {
    return meter.priced(g, source);
  }

  @Override
  public void close() {
    shared.close();
  }
}
