package dev.negbench.experiment;

import dev.negbench.eval.Metric;
import dev.negbench.experiment.sources.MixSource;
import dev.negbench.experiment.sources.Source;
import dev.negbench.experiment.sources.SourceCheck;
import dev.negbench.experiment.sources.SourceTypes;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.mine.DenseIndexes;
import dev.negbench.model.ModelResolver;
import dev.negbench.results.CellResult;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed config: values, references between sources, and that every file and folder
 * exists. Each error names the config file, the line and the field.
 */
final class ConfigValidator {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private final Path file;
  private final ConfigLines lines;
  private final ExperimentConfig c;
  private final boolean beforeDownload;
  private final ModelResolver models = ModelResolver.fromEnvironment();

  /** Every model the config names, as written, in order. */
  private final Set<String> modelNames = new LinkedHashSet<>();

  /**
   * @param beforeDownload read to plan or to download: a {@code beir:} dataset or a model that is
   *     not here yet is kept (see {@link ExperimentConfig#loadBeforeDownload})
   */
  ConfigValidator(Path file, ConfigLines lines, ExperimentConfig c, boolean beforeDownload) {
    this.file = file;
    this.lines = lines;
    this.c = c;
    this.beforeDownload = beforeDownload;
  }

  private DatasetFormatException error(String pointer, String message) {
    String field = pointer.isEmpty() ? "" : "field '" + ExperimentConfig.fieldOf(pointer) + "': ";
    return new DatasetFormatException(file, lines.of(pointer), field + message);
  }

  ExperimentConfig.Loaded validate(String sha) {
    if (c.name() == null || !NAME.matcher(c.name()).matches()) {
      throw error(
          "/name",
          "expected an experiment name of lower-case letters, digits, '.', '_' or '-', was "
              + SourceCheck.quote(c.name()));
    }
    DatasetEntries entries = new DatasetEntries(file, c, this::error, beforeDownload);
    ExperimentConfig.DatasetRef trainOn = entries.trainOn();
    List<ExperimentConfig.DatasetRef> refs = entries.datasets();
    List<Source> sources = sources();
    if (c.seeds().isEmpty() || new HashSet<>(c.seeds()).size() != c.seeds().size()) {
      throw error("/seeds", "expected one or more distinct integer seeds, was " + c.seeds());
    }
    devices();
    training(c.training());
    evaluation(c.evaluation());
    analysis(c.analysis());
    c.gpuPrices()
        .forEach(
            (gpu, price) -> {
              if (price == null || !(price >= 0) || Double.isInfinite(price)) {
                throw error(
                    "/gpu_prices/" + gpu,
                    "expected a price in US dollars per hour >= 0, was " + price);
              }
            });
    if (!(c.cpuHourUsd() >= 0) || Double.isInfinite(c.cpuHourUsd())) {
      throw error(
          "/cpu_hour_usd", "expected a price in US dollars per hour >= 0, was " + c.cpuHourUsd());
    }
    return new ExperimentConfig.Loaded(
        c.withSources(sources), file, sha, List.copyOf(refs), trainOn, List.copyOf(modelNames));
  }

  /**
   * Every source named (its type when unnamed) and checked by its own class, then the references
   * between them.
   */
  private List<Source> sources() {
    if (c.sources().isEmpty()) {
      throw error(
          "/sources", "expected at least one negative source; types: " + SourceTypes.names());
    }
    Map<String, Source> byName = new LinkedHashMap<>();
    for (int i = 0; i < c.sources().size(); i++) {
      String at = "/sources/" + i;
      Source s = c.sources().get(i);
      if (s == null) {
        throw error(at, "expected a source object with a type: " + SourceTypes.names());
      }
      String name = s.name() == null ? s.type() : s.name();
      if (!NAME.matcher(name).matches()) {
        throw error(
            at + "/name",
            "expected lower-case letters, digits, '.', '_' or '-' (a folder name), was "
                + SourceCheck.quote(name));
      }
      s = s.withName(name);
      s.check(checkAt(at, byName));
      if (byName.put(name, s) != null || name.equals(CellResult.ZERO_SHOT)) {
        throw error(
            at + "/name",
            "source name '" + name + "' is used twice or reserved; give each source its own name");
      }
    }
    List<Source> named = List.copyOf(byName.values());
    for (int i = 0; i < named.size(); i++) {
      if (named.get(i) instanceof MixSource mix) {
        mix.checkParts(checkAt("/sources/" + i, byName), byName.keySet());
      }
    }
    return named;
  }

  private SourceCheck checkAt(String at, Map<String, Source> byName) {
    return new SourceCheck() {
      @Override
      public DatasetFormatException error(String field, String message) {
        return ConfigValidator.this.error(at + "/" + field, message);
      }

      @Override
      public Path resolve(String path) {
        return ConfigValidator.this.resolve(path);
      }

      @Override
      public Map<String, Double> gpuPrices() {
        return c.gpuPrices();
      }

      @Override
      public Source source(String name) {
        return byName.get(name);
      }

      @Override
      public void model(String field, String model, boolean optional, String missing) {
        ConfigValidator.this.model(at + "/" + field, model, optional, missing);
      }
    };
  }

  private Path resolve(String path) {
    return file.toAbsolutePath().getParent().resolve(path).normalize();
  }

  private void model(String pointer, String model, boolean optional, String missing) {
    if (model == null) {
      if (optional) {
        return; // a bi-encoder defaults to the built-in minilm
      }
      throw error(pointer, missing);
    }
    modelNames.add(model);
    try {
      models.resolve(model, file.toAbsolutePath().getParent());
    } catch (ModelResolver.ModelNotFoundException e) {
      if (!beforeDownload) {
        throw error(pointer, e.getMessage());
      }
    }
  }

  private void devices() {
    SourceCheck top = checkAt("", Map.of());
    top.device("device", c.device());
    top.device("training/device", c.training().device());
    top.device("evaluation/device", c.evaluation().device());
    top.quantize("evaluation/quantize", c.evaluation().quantize());
    if (!DenseIndexes.isValid(c.evaluation().denseIndex())) {
      throw top.error(
          "evaluation/dense_index",
          "expected exact, hnsw or auto, found '" + c.evaluation().denseIndex() + "'");
    }
  }

  private void training(TrainingPlan t) {
    model("/training/model", t.model(), false, "expected the base bi-encoder to fine-tune");
    positive("/training/epochs", t.epochs());
    positive("/training/batch_size", t.batchSize());
    positive("/training/max_query_length", t.maxQueryLength());
    positive("/training/max_passage_length", t.maxPassageLength());
    positive("/training/negatives_per_query", t.negativesPerQuery());
    if (!(t.learningRate() > 0 && t.learningRate() < 1)) {
      throw error(
          "/training/learning_rate", "expected 0 < learning_rate < 1, was " + t.learningRate());
    }
    if (!(t.warmupRatio() >= 0 && t.warmupRatio() < 1)) {
      throw error(
          "/training/warmup_ratio", "expected 0 <= warmup_ratio < 1, was " + t.warmupRatio());
    }
  }

  private void evaluation(EvaluationPlan e) {
    positive("/evaluation/top_k", e.topK());
    positive("/evaluation/max_length", e.maxLength());
    positive("/evaluation/batch_size", e.batchSize());
    List<Metric> metrics;
    try {
      metrics = Metric.parseAll(e.metrics());
    } catch (IllegalArgumentException ex) {
      throw error("/evaluation/metrics", ex.getMessage());
    }
    if (!metrics.contains(Pipeline.NDCG10)) {
      throw error(
          "/evaluation/metrics",
          "expected ndcg@10 among the metrics (the report compares sources by it), was "
              + e.metrics());
    }
  }

  private void analysis(AnalysisPlan a) {
    positive("/analysis/max_queries", a.maxQueries());
    if (a.crossEncoder() != null) {
      model("/analysis/cross_encoder", a.crossEncoder(), false, null);
    }
    model("/analysis/reference_model", a.referenceModel(), true, null);
  }

  private void positive(String pointer, Integer value) {
    if (value != null && value < 1) {
      throw error(pointer, "expected a whole number >= 1, was " + value);
    }
  }
}
