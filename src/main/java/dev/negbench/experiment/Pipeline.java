package dev.negbench.experiment;

import dev.negbench.eval.Metric;
import dev.negbench.experiment.sources.Source;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Leases;
import dev.negbench.io.Progress;
import dev.negbench.model.BuiltinModels;
import dev.negbench.model.Device;
import dev.negbench.model.Encoders;
import dev.negbench.model.ModelResolver;
import dev.negbench.model.Pooling;
import dev.negbench.model.TextEncoder;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.Provenance;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs an experiment: for every dataset, source and seed, negatives (each {@link Source} makes its
 * own), training, dense retrieval over the evaluation split and trec_eval metrics, written to the
 * {@link ResultsStore}; plus the untrained base model ({@code zero-shot}) and negative hardness.
 * Every stage is cached in a {@link StageCache} under the work folder, keyed by its inputs'
 * checksums and settings, so a rerun does only what changed and a killed run resumes.
 */
public final class Pipeline {
  public static final Metric NDCG10 = Metric.parse("ndcg@10");

  /** Opens bi-encoders by model name or folder on a device, as {@link Encoders#open}. */
  @FunctionalInterface
  public interface EncoderFactory {
    TextEncoder open(String model, int maxLength, int batchSize, int threads, String device);
  }

  /**
   * The steps that touch models: training and opening encoders. {@link #standard} is what {@code
   * reproduce} runs; tests put in their own.
   */
  public record Steps(TrainStep train, EncoderFactory encoders, boolean exportCheckpoints) {
    /** Steps that evaluate checkpoints as they are (tests' own encoders). */
    public Steps(TrainStep train, EncoderFactory encoders) {
      this(train, encoders, false);
    }

    /**
     * {@link TrainStep#trainer} (scratch under {@code work/training}) and {@link Encoders#open};
     * trained checkpoints evaluated on the CPU are exported to ONNX first ({@link
     * dev.negbench.model.OnnxExport}), since ONNX Runtime encodes them faster than DJL ({@code
     * EncodeBenchmark}, engine=export against engine=djl).
     */
    public static Steps standard(Path work) {
      return new Steps(
          TrainStep.trainer(work),
          (model, maxLength, batchSize, threads, device) ->
              Encoders.open(
                  model, maxLength, batchSize, threads, Encoders.Engine.AUTO, device, Pooling.MEAN),
          true);
    }
  }

  /** What a run did: results written, and stages run or reused. */
  public record Summary(List<Path> results, int stagesRun, int stagesReused) {}

  final ExperimentConfig.Loaded loaded;
  final ExperimentConfig config;
  final Path work;
  final ResultsStore store;
  final Steps steps;
  final boolean skipTraining;
  final int threads;
  final Progress.Factory progress;
  private StageCache cache;
  private final Consumer<String> log;
  private final Map<String, String> modelChecksums = new HashMap<>();
  private final ModelResolver models = ModelResolver.fromEnvironment();
  // Read once when the run starts: a commit made while it runs did not make its results.
  private final String gitCommit = Provenance.currentGitCommit();
  private int stagesRun;
  private int stagesReused;

  public Pipeline(
      ExperimentConfig.Loaded loaded,
      Path work,
      ResultsStore store,
      Steps steps,
      boolean skipTraining,
      int threads,
      Progress.Factory progress,
      Consumer<String> log) {
    this.loaded = loaded;
    this.config = loaded.config();
    this.work = work;
    this.cache =
        new StageCache(
            work.resolve("stages"),
            new Leases(Leases.Owner.current(), StageCache.DEFAULT_LEASE_TIMEOUT),
            log);
    this.store = store;
    this.steps = steps;
    this.skipTraining = skipTraining;
    this.threads = threads;
    this.progress = progress;
    this.log = log;
  }

  /**
   * Fails, before any work, when the run needs a step it was not given or a device a runtime cannot
   * open (the message says how to fix it; nothing falls back to the CPU).
   */
  public void preflight() {
    if (!skipTraining && steps.train() == null) {
      throw new IllegalArgumentException(
          loaded.file()
              + ": no training step was given; rerun with --skip-training for negatives, hardness and the zero-shot row");
    }
    for (Source s : config.sources()) {
      s.modelUse(config.device(), this::modelRef)
          .ifPresent(
              use ->
                  requireDevice(
                      "source '" + s.name() + "'",
                      use.device(),
                      use.onnxRuntime(),
                      !use.onnxRuntime()));
    }
    // Evaluation encodes the base model (its engine) and trained checkpoints (DJL).
    boolean baseOnOnnx =
        Encoders.engineFor(modelRef(config.training().model())) == Encoders.Engine.ONNX;
    requireDevice(
        "evaluation", config.evaluationDevice(), baseOnOnnx, !skipTraining || !baseOnOnnx);
    if (!skipTraining) {
      requireDevice("training", config.trainingDevice(), false, true);
    }
  }

  private void requireDevice(String stage, String device, boolean onnxRuntime, boolean djl) {
    try {
      Device.requireAvailable(device, onnxRuntime, djl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          loaded.file() + ": " + stage + " on " + device + ": " + e.getMessage(), e);
    }
  }

  /**
   * In-domain, each dataset in turn: its zero-shot row, then every (source, seed) mined, trained
   * and evaluated on it. With {@code train_on}: every (source, seed) mined and trained once on the
   * training collection, each checkpoint (and the base model) evaluated on every dataset. Other
   * processes running the same config on the same work and results folders share the cells ({@link
   * SharedGrid}).
   */
  public Summary run() {
    preflight();
    List<Path> written = new SharedGrid(this, cache, log).run();
    return new Summary(written, stagesRun, stagesReused);
  }

  /**
   * How long a stage or cell lease of a worker that stopped beating stays its own before others
   * take it over ({@link StageCache#DEFAULT_LEASE_TIMEOUT} unless set).
   */
  public void leaseTimeout(Duration timeout) {
    cache.leases().close();
    cache = new StageCache(cache.root(), new Leases(Leases.Owner.current(), timeout), log);
  }

  /**
   * One (source, seed): negatives, hardness and generation cost on the training collection, then
   * training, then evaluation on each evaluated dataset, one result each.
   */
  List<Path> cell(DatasetStages training, List<DatasetStages> evaluated, Source source, long seed) {
    double[] seconds = new double[1];
    StageCache.Entry neg = training.negativesStage(source, seed);
    Map<String, String> hashes = new TreeMap<>();
    hashes.put("negatives", neg.hash());
    StageCache.Entry hardness =
        config.analysis().hardness() ? training.hardness(source, neg, seconds) : null;
    if (hardness != null) {
      hashes.put("hardness", hardness.hash());
    }
    Path generation = neg.dir().resolve(Source.GENERATION);
    Path cost = neg.dir().resolve(ResultsStore.COST);
    GenerationSummary priced =
        Files.isRegularFile(generation)
            ? training.priced(GenerationSummary.read(generation), source)
            : null;
    String trainedOn =
        evaluated.size() == 1 && evaluated.get(0) == training ? null : training.name();
    for (DatasetStages d : evaluated) {
      Path resultDir = store.cellDir(config.name(), d.name(), source.name(), seed);
      if (hardness != null) {
        copy(
            hardness.dir().resolve(ResultsStore.HARDNESS),
            resultDir.resolve(ResultsStore.HARDNESS));
      }
      if (priced != null) {
        priced.write(resultDir.resolve(ResultsStore.GENERATION));
      }
      if (Files.isRegularFile(cost)) {
        copy(cost, resultDir.resolve(ResultsStore.COST));
      }
    }
    if (skipTraining) {
      return List.of();
    }
    DatasetStages.TrainedModel trained = training.train(source, seed, neg, seconds);
    hashes.put("train", trained.stage().hash());
    Map<String, Object> report = new TreeMap<>(trained.report());
    report.remove("checkpoint");
    report.put("model", config.training().model());
    report.put("trained", true);
    if (trainedOn != null) {
      report.put("trained_on", trainedOn);
    }
    List<String> fixtures = fixtureModels(source);
    if (!fixtures.isEmpty()) {
      report.put(
          "fixture_models", fixtures); // metrics.json says so too, for the report to mark the row
    }
    String device = String.valueOf(trained.report().getOrDefault("device", "unknown"));
    List<Path> written = new ArrayList<>();
    for (DatasetStages d : evaluated) {
      double[] evalSeconds = {seconds[0]};
      StageCache.Entry eval =
          d.evaluate(trained.checkpoint(), source.name() + "/seed-" + seed, evalSeconds);
      Map<String, String> stages = new TreeMap<>(hashes);
      stages.put("eval", eval.hash());
      CellResult r = d.result(source.name(), source.type(), seed, eval.dir(), report);
      written.add(
          store.write(
              r,
              provenance(stages, device, evalSeconds[0], trainedOn)
                  .withEvaluation(d.engine(trained.checkpoint()), fixtures)));
    }
    return written;
  }

  /**
   * Runs or reuses one stage, logs which, and adds its wall time to {@code seconds[0]} when it ran.
   */
  StageCache.Entry stage(
      String name, String what, Map<String, ?> key, StageCache.Body body, double[] seconds) {
    long start = System.nanoTime();
    StageCache.Entry e = cache.run(name, key, body);
    if (e.reused()) {
      stagesReused++;
      log.accept(String.format(Locale.ROOT, "%-9s %s: reused %s", name, what, e.dir()));
    } else {
      stagesRun++;
      double s = (System.nanoTime() - start) / 1e9;
      seconds[0] += s;
      log.accept(
          String.format(Locale.ROOT, "%-9s %s: done in %.1f s -> %s", name, what, s, e.dir()));
    }
    return e;
  }

  /** {@link StageCache#exclusively}: {@code body} run by one process at a time. */
  <T> T exclusively(String stage, String name, Supplier<T> body) {
    return cache.exclusively(stage, name, body);
  }

  /** Copies a stage's file beside a result. */
  private static void copy(Path from, Path to) {
    try {
      AtomicFiles.writeString(to, Files.readString(from));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }

  /** Opens a bi-encoder with the pipeline's encoder step and threads. */
  TextEncoder encoder(String model, int maxLength, int batchSize, String device) {
    return steps.encoders().open(model, maxLength, batchSize, threads, device);
  }

  /**
   * The models of a result that are test fixtures, as "role: model": the base model, and the
   * source's own (a ce source's cross-encoder, a dense source's bi-encoder); {@code source} null
   * for the zero-shot row.
   */
  List<String> fixtureModels(Source source) {
    List<String> out = new ArrayList<>();
    if (isFixture(config.training().model())) {
      out.add("base model: " + config.training().model());
    }
    if (source != null) {
      for (String m : source.models()) {
        if (isFixture(m)) {
          out.add("source " + source.name() + ": " + m);
        }
      }
    }
    return out;
  }

  /**
   * A test fixture: a model folder holding {@code golden.json}, the reference outputs every fixture
   * of this project carries (src/test/resources/fixtures, ../shared/fixtures) and no real model
   * has.
   */
  private boolean isFixture(String model) {
    try {
      String ref = modelRef(model);
      return !BuiltinModels.isBuiltin(ref)
          && Files.isRegularFile(Path.of(ref).resolve("golden.json"));
    } catch (IllegalArgumentException e) {
      return false; // not found: the stages say so
    }
  }

  /** The commit the results are made with, read when the run started. */
  String gitCommit() {
    return gitCommit;
  }

  Provenance provenance(
      Map<String, String> stages, String device, double seconds, String trainedOn) {
    return Provenance.of(
        gitCommit, loaded.file(), loaded.sha256(), stages, device, seconds, trainedOn);
  }

  /**
   * A model argument as the stages open it: a built-in name, or the folder it resolves to (relative
   * to the config, {@code models/NAME} beside it, or a Hugging Face name in the local cache).
   */
  String modelRef(String model) {
    return models.resolve(model, loaded.file().toAbsolutePath().getParent()).reference();
  }

  /**
   * SHA-256 over every file of a model folder (relative path and content, in path order), or of the
   * name when it is not a folder (a model the encoder factory resolves by name).
   */
  String modelChecksum(String model) {
    return modelChecksums.computeIfAbsent(
        model,
        m -> {
          Path dir = BuiltinModels.isBuiltin(m) ? BuiltinModels.resolve(m) : Path.of(m);
          if (!Files.isDirectory(dir)) {
            return AtomicFiles.sha256("name:" + m);
          }
          StringBuilder all = new StringBuilder();
          try (var walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
              all.append(dir.relativize(f).toString().replace('\\', '/'))
                  .append(' ')
                  .append(AtomicFiles.sha256(f))
                  .append('\n');
            }
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read model folder " + dir, e);
          }
          return AtomicFiles.sha256(all.toString());
        });
  }
}
