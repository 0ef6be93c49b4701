package dev.negbench.experiment;

import dev.negbench.eval.Metric;
import dev.negbench.experiment.sources.Source;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Progress;
import dev.negbench.model.BuiltinModels;
import dev.negbench.model.Encoders;
import dev.negbench.model.TextEncoder;
import dev.negbench.results.Provenance;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs an experiment: for every dataset, source and seed, negatives (each {@link Source} makes its
 * own), training, dense retrieval over the evaluation split and trec_eval metrics, written to the
 * {@link ResultsStore}; plus the untrained base model ({@code zero-shot}) and negative hardness.
 * Every stage is cached in a {@link StageCache} under the work folder, keyed by its inputs'
 * checksums and settings, so a rerun does only what changed and a killed run resumes.
 */
public final class Pipeline {
  public static final Metric NDCG10 = Metric.parse("ndcg@10");

  /** Opens bi-encoders by model name or folder, as {@link Encoders#open(String, int, int, int)}. */
  @FunctionalInterface
  public interface EncoderFactory {
    TextEncoder open(String model, int maxLength, int batchSize, int threads);
  }

  /**
   * The steps that touch models: training and opening encoders. {@link #standard} is what {@code
   * reproduce} runs; tests put in their own.
   */
  public record Steps(TrainStep train, EncoderFactory encoders) {
    /** {@link TrainStep#trainer} (scratch under {@code work/training}) and {@link Encoders#open}. */
    public static Steps standard(Path work) {
      return new Steps(TrainStep.trainer(work), Encoders::open);
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
  private final StageCache cache;
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
      Steps steps,
      boolean skipTraining,
      int threads,
      Progress.Factory progress,
      Consumer<String> log) {
    this.loaded = loaded;
    this.config = loaded.config();
    this.work = work;
    this.cache = new StageCache(work.resolve("stages"));
    this.store = store;
    this.steps = steps;
    this.skipTraining = skipTraining;
    this.threads = threads;
    this.progress = progress;
    this.log = log;
  }

  /** Fails, before any work, when the run needs a step it was not given. */
  public void preflight() {
    if (!skipTraining && steps.train() == null) {
      throw new IllegalArgumentException(
          loaded.file() + ": no training step was given; rerun with --skip-training for negatives, hardness and the zero-shot row");
    }
  }

  public Summary run() {
    preflight();
    List<Path> written = new ArrayList<>();
    for (ExperimentConfig.DatasetRef ref : loaded.datasets()) {
      try (DatasetRun d = new DatasetRun(this, ref)) {
        written.addAll(d.run());
      }
    }
    return new Summary(written, stagesRun, stagesReused);
  }

  /** Runs or reuses one stage, logs which, and adds its wall time to {@code seconds[0]} when it ran. */
  StageCache.Entry stage(String name, String what, Map<String, ?> key, StageCache.Body body, double[] seconds) {
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

  Provenance provenance(Map<String, String> stages, String device, double seconds) {
    return Provenance.of(gitCommit, loaded.file(), loaded.sha256(), stages, device, seconds);
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
              all.append(dir.relativize(f).toString().replace('\\', '/')).append(' ').append(AtomicFiles.sha256(f)).append('\n');
            }
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read model folder " + dir, e);
          }
          return AtomicFiles.sha256(all.toString());
        });
  }
}
