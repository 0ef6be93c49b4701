package dev.negbench.experiment;

import dev.negbench.data.BeirDataset;
import dev.negbench.eval.Metric;
import dev.negbench.experiment.sources.MixSource;
import dev.negbench.experiment.sources.Source;
import dev.negbench.experiment.sources.SourceCheck;
import dev.negbench.experiment.sources.SourceTypes;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.mine.DenseIndexes;
import dev.negbench.model.ModelResolver;
import dev.negbench.results.CellResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
  private static final Pattern SYNTHETIC = Pattern.compile("synthetic:(\\d+)");

  /**
   * A dataset entry {@code optional:DIR} is evaluated when the folder exists and left out when not.
   */
  static final String OPTIONAL = "optional:";

  private final Path file;
  private final ConfigLines lines;
  private final ExperimentConfig c;
  private final ModelResolver models = ModelResolver.fromEnvironment();

  ConfigValidator(Path file, ConfigLines lines, ExperimentConfig c) {
    this.file = file;
    this.lines = lines;
    this.c = c;
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
    ExperimentConfig.DatasetRef trainOn = trainOn();
    List<ExperimentConfig.DatasetRef> refs = datasets();
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
        c.withSources(sources), file, sha, List.copyOf(refs), trainOn);
  }

  private List<ExperimentConfig.DatasetRef> datasets() {
    if (c.datasets().isEmpty()) {
      throw error("/datasets", "expected at least one dataset (a BEIR folder or synthetic:DOCS)");
    }
    List<ExperimentConfig.DatasetRef> refs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.datasets().size(); i++) {
      // In-domain, each dataset is trained on too; with train_on, it is only evaluated.
      List<String> splits =
          c.trainOn() == null
              ? List.of(c.training().split(), c.evaluation().split())
              : List.of(c.evaluation().split());
      String entry = c.datasets().get(i);
      if (entry != null && entry.startsWith(OPTIONAL)) {
        entry = entry.substring(OPTIONAL.length());
        if (!Files.isDirectory(resolve(entry))) {
          continue; // an optional folder that is not here is left out
        }
      }
      ExperimentConfig.DatasetRef ref = dataset("/datasets/" + i, entry, splits);
      if (!names.add(ref.name())) {
        throw error(
            "/datasets/" + i,
            "two datasets named '" + ref.name() + "'; results folders would collide");
      }
      refs.add(ref);
    }
    if (refs.isEmpty()) {
      throw error("/datasets", "none of the datasets is here: every entry is optional and absent");
    }
    return refs;
  }

  /** The training collection of the BEIR protocol, or null without {@code train_on}. */
  private ExperimentConfig.DatasetRef trainOn() {
    if (c.trainOn() == null) {
      return null;
    }
    if (c.trainOn().dataset() == null) {
      throw error(
          "/train_on", "expected train_on: {dataset: BEIR_FOLDER_OR_synthetic:DOCS, split: SPLIT}");
    }
    return dataset("/train_on/dataset", c.trainOn().dataset(), List.of(c.trainingSplit()));
  }

  /**
   * A dataset entry: {@code synthetic:DOCS}, or a BEIR folder with qrels for each of {@code
   * splits}.
   */
  private ExperimentConfig.DatasetRef dataset(String pointer, String entry, List<String> splits) {
    if (entry == null || entry.isBlank()) {
      throw error(pointer, "expected a BEIR dataset folder or synthetic:DOCS");
    }
    var m = SYNTHETIC.matcher(entry);
    if (m.matches()) {
      int docs;
      try {
        docs = Integer.parseInt(m.group(1));
      } catch (NumberFormatException e) {
        docs = -1;
      }
      if (docs < 50) {
        throw error(
            pointer,
            "synthetic datasets need at least 50 documents, was " + SourceCheck.quote(entry));
      }
      return new ExperimentConfig.DatasetRef(entry, "synthetic-" + docs, null, docs);
    }
    if (entry.startsWith("synthetic")) {
      throw error(
          pointer,
          "expected synthetic:DOCS with a number of documents, was " + SourceCheck.quote(entry));
    }
    Path dir = resolve(entry);
    try {
      BeirDataset ds = BeirDataset.open(dir);
      for (String split : splits) {
        if (!ds.splits().contains(split)) {
          throw error(
              pointer,
              "dataset " + dir + " has no qrels/" + split + ".tsv (splits: " + ds.splits() + ")");
        }
      }
      return new ExperimentConfig.DatasetRef(entry, ds.name(), dir, 0);
    } catch (DatasetFormatException e) {
      if (e.file().equals(file)) {
        throw e;
      }
      throw error(pointer, "dataset folder not usable: " + e.getMessage());
    }
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
    try {
      models.resolve(model, file.toAbsolutePath().getParent());
    } catch (ModelResolver.ModelNotFoundException e) {
      throw error(pointer, e.getMessage());
    }
  }

  private void devices() {
    SourceCheck top = checkAt("", Map.of());
    top.device("device", c.device());
    top.device("training/device", c.training().device());
    top.device("evaluation/device", c.evaluation().device());
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
