package dev.negbench.experiment;

import dev.negbench.experiment.CostEstimate.Stage;
import dev.negbench.experiment.sources.LlmSource;
import dev.negbench.experiment.sources.Source;
import dev.negbench.experiment.sources.Work;
import dev.negbench.generate.GeneratorProfile;
import dev.negbench.model.ModelResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run of a config will cost, before it runs: per stage (index, mine, score, generate, train,
 * encode, evaluate) the work items, counted from the datasets' sizes ({@link DatasetCounts}), the
 * device, and seconds and US$ at the throughputs the project has measured ({@link MeasuredRates}),
 * else at stated assumptions ({@link AssumedRates}), each marked as which. The stage cache is
 * ignored: the estimate is for a fresh work folder.
 */
public final class CostEstimator {
  private final ExperimentConfig.Loaded loaded;
  private final ExperimentConfig config;
  private final int threads;
  private final DatasetCounts.Counter counts;
  private final MeasuredRates measured;
  private final List<CostEstimate.Generator> generators = new ArrayList<>();
  private final WorkerPlan workerPlan = new WorkerPlan();

  /** An estimator for {@code loaded} at the rates measured in the results store {@code results}. */
  public CostEstimator(ExperimentConfig.Loaded loaded, Path results, int threads) {
    this.loaded = loaded;
    this.config = loaded.config();
    this.threads = threads;
    this.counts = new DatasetCounts.Counter(loaded);
    this.measured = new MeasuredRates(results, config, threads, counts::ofName);
  }

  /**
   * The estimate for the whole config, with its wall time on {@code workers} cooperating workers.
   */
  public CostEstimate estimate(int workers) {
    CostEstimate e = estimate();
    return e.withWorkers(
        new CostEstimate.Workers(
            workers,
            round(workerPlan.wallSeconds(workers), 10),
            round(workerPlan.criticalPathSeconds(), 10)));
  }

  /** The estimate for the whole config. */
  public CostEstimate estimate() {
    List<Stage> stages = new ArrayList<>();
    // The cells as SharedGrid takes them, so that the worker plan takes them in the same order.
    SharedGrid.cells(loaded).forEach(cell -> workerPlan.cell(cell.id(), 0, List.of()));
    List<ExperimentConfig.DatasetRef> evaluated = loaded.datasets();
    List<ExperimentConfig.DatasetRef> trainingSets =
        loaded.trainOn() == null ? evaluated : List.of(loaded.trainOn());
    int trainedPerSource = config.seeds().size();
    for (ExperimentConfig.DatasetRef t : trainingSets) {
      DatasetCounts c = counts.of(t);
      boolean index =
          config.analysis().hardness()
              || config.sources().stream()
                  .anyMatch(
                      s ->
                          s.work(c.sizes(), config.device()).stream()
                                  .anyMatch(w -> w.kind() == Work.Kind.BM25_QUERIES)
                              || !s.setupWork(c.sizes(), config.device()).isEmpty());
      if (index) {
        Stage built =
            stage(
                "index",
                t,
                "BM25 index",
                c.documents(),
                "documents",
                "cpu",
                AssumedRates.index(threads),
                null);
        stages.add(built);
        workerPlan.stage(indexKey(t), built.seconds(), List.of());
      }
      Map<Object, Source> setUp = new HashMap<>(); // a shared setup (training rounds) counts once
      for (Source s : config.sources()) {
        Object identity = s.setupIdentity(config.device());
        Source first = identity == null ? null : setUp.putIfAbsent(identity, s);
        if (first != null) {
          workerPlan.stage(setupKey(s, t), 0, List.of(setupKey(first, t)));
        } else {
          List<Stage> setup = priced(s, s.setupWork(c.sizes(), config.device()), t, c, 1);
          stages.addAll(setup);
          workerPlan.stage(setupKey(s, t), seconds(setup), List.of(indexKey(t)));
        }
        int makes = s.seedDependent() ? config.seeds().size() : 1;
        for (int k = 0; k < makes; k++) {
          List<Stage> made = priced(s, s.work(c.sizes(), config.device()), t, c, makes);
          stages.addAll(made);
          long seed = config.seeds().isEmpty() ? 0 : config.seeds().get(k);
          List<String> deps = new ArrayList<>(List.of(indexKey(t), setupKey(s, t)));
          s.inputs().forEach(i -> deps.add(negativesKey(loaded.source(i), t, seed)));
          workerPlan.stage(negativesKey(s, t, seed), seconds(made), deps);
        }
      }
      for (Source s : config.sources()) {
        for (long seed : config.seeds()) {
          Stage trained = train(s, t, c);
          stages.add(trained);
          workerPlan.cell(
              cellId(t, s, seed),
              trained.seconds(),
              List.of(indexKey(t), negativesKey(s, t, seed)));
        }
      }
    }
    for (ExperimentConfig.DatasetRef d : evaluated) {
      DatasetCounts c = counts.of(d);
      long texts = c.documents() + c.evalQueries();
      String device = config.evaluationDevice();
      if (config.evaluation().zeroShot()) {
        Stage encoded =
            stage(
                "encode",
                d,
                "zero-shot " + config.training().model(),
                texts,
                "texts",
                device,
                encodeRate(false, device),
                null);
        stages.add(encoded);
        workerPlan.cell(
            new SharedGrid.Cell(d, List.of(d), null, 0).id(), encoded.seconds(), List.of());
      }
      long trained = (long) config.sources().size() * trainedPerSource;
      if (trained > 0) {
        Throughput r = encodeRate(true, device);
        Stage evaluate =
            stage(
                "evaluate",
                d,
                trained + " checkpoints x corpus",
                trained * texts,
                "texts",
                device,
                r,
                null);
        stages.add(evaluate);
        ExperimentConfig.DatasetRef t = loaded.trainOn() == null ? d : loaded.trainOn();
        for (Source s : config.sources()) {
          for (long seed : config.seeds()) {
            workerPlan.cell(cellId(t, s, seed), evaluate.seconds() / trained, List.of());
          }
        }
      }
    }
    double seconds = stages.stream().mapToDouble(Stage::seconds).sum();
    double usd = stages.stream().mapToDouble(Stage::usd).sum();
    return new CostEstimate(config.name(), stages, List.copyOf(generators), seconds, usd);
  }

  private static double seconds(List<Stage> stages) {
    return stages.stream().mapToDouble(Stage::seconds).sum();
  }

  private static String indexKey(ExperimentConfig.DatasetRef t) {
    return "index " + t.name();
  }

  private static String setupKey(Source s, ExperimentConfig.DatasetRef t) {
    return "setup " + t.name() + "/" + s.name();
  }

  /**
   * A source's negatives stage: one for all seeds, or one a seed where it or a part is per seed.
   */
  private String negativesKey(Source s, ExperimentConfig.DatasetRef t, long seed) {
    return "negatives " + t.name() + "/" + s.name() + (perSeed(s) ? "/seed-" + seed : "");
  }

  private boolean perSeed(Source s) {
    return s.seedDependent() || s.inputs().stream().anyMatch(i -> perSeed(loaded.source(i)));
  }

  /** The cell of a source and seed trained on {@code t}, named as {@link SharedGrid} names it. */
  private String cellId(ExperimentConfig.DatasetRef t, Source s, long seed) {
    List<ExperimentConfig.DatasetRef> evaluated =
        loaded.trainOn() == null ? List.of(t) : loaded.datasets();
    return new SharedGrid.Cell(t, evaluated, s, seed).id();
  }

  /** A source's work on one collection, each item priced at the rate its kind is measured at. */
  private List<Stage> priced(
      Source s, List<Work> work, ExperimentConfig.DatasetRef t, DatasetCounts c, int makes) {
    List<Stage> out = new ArrayList<>();
    for (Work w : work) {
      out.add(
          switch (w.kind()) {
            case BM25_QUERIES -> stage(w, t, w.what(), w.items(), bm25Rate(c));
            case ENCODE_TEXTS -> encoding(w, t, c);
            case SCORE_PAIRS -> stage(w, t, w.what(), w.items(), pairRate(w));
            case TRAIN_PAIRS ->
                stage(w, t, w.what(), w.items(), AssumedRates.ceTraining(w.device()));
            case GENERATE_REQUESTS -> generation(s, w, t, makes);
          });
    }
    return out;
  }

  /**
   * Encoding a source's texts; the corpus embeddings are cached by model, length and device, so
   * evaluation's zero-shot row may share them.
   */
  private Stage encoding(Work w, ExperimentConfig.DatasetRef t, DatasetCounts c) {
    boolean shared =
        config.evaluation().zeroShot()
            && w.maxLength() == config.evaluation().maxLength()
            && w.device().equals(config.evaluationDevice())
            && modelRef(w.model()).equals(modelRef(config.training().model()))
            && loaded.datasets().stream().anyMatch(d -> d.name().equals(t.name()));
    long items = shared ? w.items() - c.documents() : w.items();
    return stage(
        w,
        t,
        w.what() + (shared ? " (corpus shared with zero-shot)" : ""),
        items,
        encodeRate(false, w.device()));
  }

  /**
   * One generation of a source's negatives: its completion tokens, at a rate a GPU, on every GPU of
   * its replicas, priced at the config's {@code gpu_prices} (else the profile's price) for each
   * GPU; counted once more in the generators' table, which holds all {@code makes} generations.
   */
  private Stage generation(Source s, Work w, ExperimentConfig.DatasetRef t, int makes) {
    LlmSource llm = s instanceof LlmSource l ? l : null;
    GeneratorProfile profile = llm == null ? null : profile(llm);
    int replicas = llm == null ? 1 : Math.max(1, llm.replicas().size());
    int gpusPerReplica = profile == null ? 1 : Math.max(1, profile.cost().gpuCount());
    var completionMeasured = measured.completionTokensPerRequest(w);
    var promptMeasured = measured.promptTokensPerRequest(w);
    double completionPerRequest = completionMeasured.orElse(AssumedRates.COMPLETION_TOKENS);
    double promptPerRequest = promptMeasured.orElse(AssumedRates.PROMPT_TOKENS);
    long tokens = (long) (w.items() * completionPerRequest);
    Throughput perGpu = measured.generation(w).orElseGet(AssumedRates::generation);
    double gpuSeconds = tokens / perGpu.perSecond();
    double wall = gpuSeconds / (replicas * gpusPerReplica);
    Double price =
        s.gpu() != null
            ? config.gpuPrices().get(s.gpu())
            : profile != null && profile.cost().usdPerGpuHour() > 0
                ? profile.cost().usdPerGpuHour()
                : null;
    double usd = price == null ? 0 : price * gpuSeconds / 3600;
    int seeds = config.seeds().size();
    String shared =
        makes > 1
            ? ", one of " + makes + " per seed"
            : seeds > 1 && !s.seedDependent() ? ", shared by " + seeds + " seeds" : "";
    if (generators.stream()
        .noneMatch(g -> g.source().equals(s.name()) && g.dataset().equals(t.name()))) {
      generators.add(
          new CostEstimate.Generator(
              s.name(),
              profile == null ? w.model() : profile.name(),
              t.name(),
              makes,
              w.items() * makes,
              (long) (w.items() * promptPerRequest) * makes,
              tokens * makes,
              replicas,
              gpusPerReplica,
              round(gpuSeconds * makes / 3600, 10_000),
              round(wall * makes, 10),
              round(usd * makes, 10_000),
              perGpu.measured(),
              String.format(
                  Locale.ROOT,
                  "%s; %.0f prompt and %.0f completion tokens a request (%s)",
                  perGpu.basis(),
                  promptPerRequest,
                  completionPerRequest,
                  completionMeasured.isPresent() && promptMeasured.isPresent()
                      ? "measured in an earlier run"
                      : "assumed")));
    }
    return new Stage(
        w.stage(),
        t.name(),
        w.what() + " (" + w.items() + " requests" + shared + ")",
        tokens,
        "tokens",
        replicas * gpusPerReplica > 1
            ? w.device() + " " + replicas + "x" + gpusPerReplica
            : w.device(),
        round(wall, 10),
        round(usd, 10_000),
        perGpu.measured(),
        perGpu.basis(),
        counts.of(t).fromCatalogue());
  }

  /** The source's generator profile, or null where it does not resolve (checked before). */
  private GeneratorProfile profile(LlmSource llm) {
    try {
      return GeneratorProfile.resolve(llm.profilePath(loaded.file().toAbsolutePath().getParent()));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private Throughput bm25Rate(DatasetCounts c) {
    return measured.bm25(c.documents()).orElseGet(AssumedRates::bm25);
  }

  private Throughput pairRate(Work w) {
    return measured
        .pairs(Path.of(modelRef(w.model())), w.device())
        .orElseGet(() -> AssumedRates.pairs(w.device()));
  }

  private Throughput encodeRate(boolean checkpoint, String device) {
    return measured
        .encode(checkpoint, device)
        .orElseGet(() -> AssumedRates.encode(checkpoint, device));
  }

  private Stage train(Source s, ExperimentConfig.DatasetRef t, DatasetCounts c) {
    long triples = s.trainingTriples(c.sizes()) * config.training().epochs();
    long steps =
        (long) Math.ceil(s.trainingTriples(c.sizes()) / (double) config.training().batchSize())
            * config.training().epochs();
    String device = config.trainingDevice();
    Throughput r = measured.training(device).orElseGet(() -> AssumedRates.training(device));
    return new Stage(
        "train",
        t.name(),
        s.name() + " (" + steps + " steps)",
        triples,
        "triples",
        device,
        round(triples / r.perSecond(), 10),
        0,
        r.measured(),
        r.basis(),
        c.fromCatalogue());
  }

  /** A source's work of {@code items} in its unit, on its device, priced by no GPU. */
  private Stage stage(
      Work w, ExperimentConfig.DatasetRef d, String what, long items, Throughput r) {
    return stage(w.stage(), d, what, items, w.kind().unit(), w.device(), r, null);
  }

  private Stage stage(
      String stage,
      ExperimentConfig.DatasetRef d,
      String what,
      long items,
      String unit,
      String device,
      Throughput r,
      Double gpuHourUsd) {
    double seconds = items / r.perSecond();
    double usd = gpuHourUsd == null ? 0 : gpuHourUsd * seconds / 3600;
    return new Stage(
        stage,
        d.name(),
        what,
        items,
        unit,
        device,
        round(seconds, 10),
        round(usd, 10_000),
        r.measured(),
        r.basis(),
        counts.of(d).fromCatalogue());
  }

  private static double round(double v, double scale) {
    return Math.round(v * scale) / scale;
  }

  /** A model argument's folder, or the argument itself where it resolves to none. */
  private String modelRef(String model) {
    try {
      return ModelResolver.fromEnvironment()
          .resolve(model, loaded.file().toAbsolutePath().getParent())
          .dir()
          .toString();
    } catch (RuntimeException e) {
      return model;
    }
  }
}
