package dev.negbench.experiment;

import dev.negbench.results.Reference;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.negbench.data.BeirDataset;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.eval.Metric;
import dev.negbench.model.BuiltinModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An experiment: which datasets, negative sources and seeds to run, how to train and evaluate, and
 * what a GPU hour costs. Read from YAML ({@code .yaml}, {@code .yml}) or JSON by {@link #load}, which
 * validates everything before any work starts: an unknown field, an unknown source type, a missing
 * dataset folder or file, or a bad value is a {@link DatasetFormatException} naming the file, the
 * line and the field (exit 2).
 *
 * @param name experiment name, the first folder under {@code results/}
 * @param datasets BEIR folders (relative to the config file) or {@code synthetic:DOCS}
 * @param gpuPrices US dollars per GPU hour, by GPU name; {@code llm} sources name theirs
 */
public record ExperimentConfig(
    String name,
    List<String> datasets,
    List<SourceSpec> sources,
    List<Long> seeds,
    TrainingPlan training,
    EvaluationPlan evaluation,
    AnalysisPlan analysis,
    Map<String, Double> gpuPrices) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Pattern SYNTHETIC = Pattern.compile("synthetic:(\\d+)");
  private static final Set<String> SAMPLING = Set.of("top", "random");

  /** A dataset entry resolved against the config's folder. */
  public record DatasetRef(String entry, String name, Path dir, int syntheticDocs) {
    public boolean synthetic() {
      return syntheticDocs > 0;
    }
  }

  /** A validated config with the file it came from and its datasets resolved. */
  public record Loaded(ExperimentConfig config, Path file, String sha256, List<DatasetRef> datasets) {
    public SourceSpec source(String name) {
      return config.sources().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * This config with only the named sources, and the parts the named mixes need (so a rerun can
     * redo one source); an unknown name is an error.
     */
    public Loaded only(java.util.Collection<String> names) {
      Set<String> keep = new LinkedHashSet<>();
      for (String n : names) {
        if (config.sources().stream().noneMatch(s -> s.name().equals(n))) {
          throw new IllegalArgumentException(
              "no source named '" + n + "' in " + file + "; sources: " + config.sources().stream().map(SourceSpec::name).toList());
        }
        keep.add(n);
        SourceSpec s = source(n);
        if (s.parts() != null) {
          s.parts().forEach(p -> keep.add(p.from()));
        }
      }
      List<SourceSpec> kept = config.sources().stream().filter(s -> keep.contains(s.name())).toList();
      ExperimentConfig c =
          new ExperimentConfig(
              config.name(), config.datasets(), kept, config.seeds(), config.training(), config.evaluation(), config.analysis(),
              config.gpuPrices());
      return new Loaded(c, file, sha256, datasets);
    }

    /** A {@code file} source's path, relative to the config file. */
    public Path resolve(String path) {
      return file.toAbsolutePath().getParent().resolve(path).normalize();
    }
  }

  public ExperimentConfig {
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
    sources = sources == null ? List.of() : List.copyOf(sources);
    seeds = seeds == null ? List.of(42L) : List.copyOf(seeds);
    training = training == null ? TrainingPlan.defaults() : training;
    evaluation = evaluation == null ? EvaluationPlan.defaults() : evaluation;
    analysis = analysis == null ? AnalysisPlan.defaults() : analysis;
    gpuPrices = gpuPrices == null ? Map.of() : Map.copyOf(gpuPrices);
  }

  /** Reads and validates a config file. */
  public static Loaded load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DatasetFormatException(file, 0, "cannot read the experiment config: " + e.getMessage());
    }
    return parse(file, text);
  }

  /** Parses and validates config text as if read from {@code file} (paths resolve against its folder). */
  public static Loaded parse(Path file, String text) {
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    JsonFactory factory = lower.endsWith(".json") ? new JsonFactory() : new YAMLFactory();
    ObjectMapper mapper =
        new ObjectMapper(factory)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    ExperimentConfig config;
    Lines lines;
    try {
      lines = Lines.of(factory, text);
    } catch (JsonProcessingException e) {
      throw new DatasetFormatException(file, line(e), "malformed config: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
    try {
      config = mapper.readValue(text, ExperimentConfig.class);
    } catch (UnrecognizedPropertyException e) {
      String parent = pathOf(e.getPath().subList(0, e.getPath().size() - 1));
      throw new DatasetFormatException(
          file,
          lineOf(e, lines),
          "unknown field '" + e.getPropertyName() + "'" + (parent.isEmpty() ? "" : " in '" + parent + "'")
              + "; expected one of " + new TreeSet<>(snake(e.getKnownPropertyIds())));
    } catch (JsonMappingException e) {
      String path = pathOf(e.getPath());
      throw new DatasetFormatException(
          file, lineOf(e, lines), (path.isEmpty() ? "" : "field '" + path + "': ") + "bad value: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new DatasetFormatException(file, line(e), "malformed config: " + e.getOriginalMessage());
    }
    if (config == null) {
      throw new DatasetFormatException(file, 0, "empty experiment config");
    }
    String sha = dev.negbench.io.AtomicFiles.sha256(file);
    return new Validator(file, lines, config).validate(sha);
  }

  private static long line(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
  }

  /** The line of a mapping error's field, from the parsed locations; the parser's own as a fallback. */
  private static long lineOf(JsonMappingException e, Lines lines) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      pointer.append('/').append(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
    }
    long line = lines.of(pointer.toString());
    return line > 0 ? line : line(e);
  }

  /** A mapping error's path as the config spells it, e.g. {@code sources[1].type}. */
  private static String pathOf(List<JsonMappingException.Reference> path) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static List<String> snake(java.util.Collection<Object> ids) {
    return ids.stream().map(String::valueOf).toList();
  }

  /** The line of every field and list element, by JSON pointer ({@code /sources/1/type}). */
  private record Lines(Map<String, Integer> byPointer) {
    static Lines of(JsonFactory factory, String text) throws IOException {
      Map<String, Integer> map = new HashMap<>();
      try (JsonParser p = factory.createParser(text)) {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          String pointer =
              t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY
                  ? p.getParsingContext().getParent() == null ? "" : p.getParsingContext().getParent().pathAsPointer().toString()
                  : p.getParsingContext().pathAsPointer().toString();
          map.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
        }
      }
      return new Lines(map);
    }

    /** The line of {@code pointer}, else of its closest enclosing element, else 0. */
    long of(String pointer) {
      String p = pointer;
      while (true) {
        Integer line = byPointer.get(p);
        if (line != null) {
          return line;
        }
        if (p.isEmpty()) {
          return 0;
        }
        p = p.substring(0, p.lastIndexOf('/'));
      }
    }
  }

  /** Checks values, references between sources, and that every file and folder exists. */
  private static final class Validator {
    private final Path file;
    private final Lines lines;
    private final ExperimentConfig c;

    Validator(Path file, Lines lines, ExperimentConfig c) {
      this.file = file;
      this.lines = lines;
      this.c = c;
    }

    private DatasetFormatException error(String pointer, String message) {
      String field = pointer.isEmpty() ? "" : "field '" + pointer.substring(1).replaceAll("/(\\d+)(?=/|$)", "[$1]").replace('/', '.') + "': ";
      return new DatasetFormatException(file, lines.of(pointer), field + message);
    }

    Loaded validate(String sha) {
      if (c.name() == null || !NAME.matcher(c.name()).matches()) {
        throw error("/name", "expected an experiment name of lower-case letters, digits, '.', '_' or '-', was " + quote(c.name()));
      }
      if (c.datasets().isEmpty()) {
        throw error("/datasets", "expected at least one dataset (a BEIR folder or synthetic:DOCS)");
      }
      List<DatasetRef> refs = new ArrayList<>();
      Set<String> datasetNames = new HashSet<>();
      for (int i = 0; i < c.datasets().size(); i++) {
        DatasetRef ref = dataset(i);
        if (!datasetNames.add(ref.name())) {
          throw error("/datasets/" + i, "two datasets named '" + ref.name() + "'; results folders would collide");
        }
        refs.add(ref);
      }
      if (c.sources().isEmpty()) {
        throw error("/sources", "expected at least one negative source; types: " + SourceSpec.TYPES);
      }
      Map<String, SourceSpec> byName = new HashMap<>();
      List<SourceSpec> named = new ArrayList<>();
      for (int i = 0; i < c.sources().size(); i++) {
        SourceSpec s = source(i, c.sources().get(i));
        if (byName.put(s.name(), s) != null || s.name().equals(Pipeline.ZERO_SHOT)) {
          throw error("/sources/" + i + "/name", "source name '" + s.name() + "' is used twice or reserved; give each source its own name");
        }
        named.add(s);
      }
      for (int i = 0; i < named.size(); i++) {
        SourceSpec s = named.get(i);
        if (!"mix".equals(s.type())) {
          continue;
        }
        for (int j = 0; j < s.parts().size(); j++) {
          String from = s.parts().get(j).from();
          SourceSpec part = byName.get(from);
          if (part == null || "mix".equals(part.type())) {
            throw error(
                "/sources/" + i + "/parts/" + j + "/from",
                "expected the name of a non-mix source of this config, was " + quote(from) + "; sources: " + new TreeSet<>(byName.keySet()));
          }
        }
      }
      if (c.seeds().isEmpty() || new HashSet<>(c.seeds()).size() != c.seeds().size()) {
        throw error("/seeds", "expected one or more distinct integer seeds, was " + c.seeds());
      }
      training(c.training());
      evaluation(c.evaluation());
      analysis(c.analysis());
      c.gpuPrices().forEach(
          (gpu, price) -> {
            if (price == null || !(price >= 0) || Double.isInfinite(price)) {
              throw error("/gpu_prices/" + gpu, "expected a price in US dollars per hour >= 0, was " + price);
            }
          });
      ExperimentConfig normalised =
          new ExperimentConfig(c.name(), c.datasets(), named, c.seeds(), c.training(), c.evaluation(), c.analysis(), c.gpuPrices());
      return new Loaded(normalised, file, sha, List.copyOf(refs));
    }

    private DatasetRef dataset(int i) {
      String entry = c.datasets().get(i);
      String pointer = "/datasets/" + i;
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
          throw error(pointer, "synthetic datasets need at least 50 documents, was " + quote(entry));
        }
        return new DatasetRef(entry, "synthetic-" + docs, null, docs);
      }
      if (entry.startsWith("synthetic")) {
        throw error(pointer, "expected synthetic:DOCS with a number of documents, was " + quote(entry));
      }
      Path dir = file.toAbsolutePath().getParent().resolve(entry).normalize();
      try {
        BeirDataset ds = BeirDataset.open(dir);
        for (String split : List.of(c.training().split(), c.evaluation().split())) {
          if (!ds.splits().contains(split)) {
            throw error(pointer, "dataset " + dir + " has no qrels/" + split + ".tsv (splits: " + ds.splits() + ")");
          }
        }
        return new DatasetRef(entry, ds.name(), dir, 0);
      } catch (DatasetFormatException e) {
        if (e.file().equals(file)) {
          throw e;
        }
        throw error(pointer, "dataset folder not usable: " + e.getMessage());
      }
    }

    private SourceSpec source(int i, SourceSpec s) {
      String at = "/sources/" + i;
      if (s == null) {
        throw error(at, "expected a source object with a type: " + SourceSpec.TYPES);
      }
      if (s.type() == null || !SourceSpec.TYPES.contains(s.type())) {
        throw error(at + "/type", "unknown source type " + quote(s.type()) + "; expected one of " + SourceSpec.TYPES);
      }
      String name = s.name() == null ? s.type() : s.name();
      if (!NAME.matcher(name).matches()) {
        throw error(at + "/name", "expected lower-case letters, digits, '.', '_' or '-' (a folder name), was " + quote(name));
      }
      Set<String> allowed = SourceSpec.FIELDS.get(s.type());
      for (Map.Entry<String, Object> field : setFields(s).entrySet()) {
        if (!allowed.contains(field.getKey())) {
          throw error(
              at + "/" + field.getKey(),
              "does not apply to a '" + s.type() + "' source; its fields: " + new TreeSet<>(allowed) + " besides name and type");
        }
      }
      positive(at + "/num_negatives", s.numNegatives());
      positive(at + "/range_min", s.rangeMin());
      positive(at + "/candidate_depth", s.candidateDepth());
      positive(at + "/max_length", s.maxLength());
      positive(at + "/batch_size", s.batchSize());
      if (s.rangeMax() != null && s.rangeMax() < s.rangeMinOr1()) {
        throw error(at + "/range_max", "expected range_max >= range_min, was " + s.rangeMax());
      }
      if (s.sampling() != null && !SAMPLING.contains(s.sampling().toLowerCase(Locale.ROOT))) {
        throw error(at + "/sampling", "expected 'top' or 'random', was " + quote(s.sampling()));
      }
      if (s.relativeMargin() != null && s.absoluteMargin() != null) {
        throw error(at + "/absolute_margin", "relative_margin and absolute_margin exclude each other");
      }
      if (s.relativeMargin() != null && !(s.relativeMargin() >= 0 && s.relativeMargin() < 1)) {
        throw error(at + "/relative_margin", "expected 0 <= relative_margin < 1, was " + s.relativeMargin());
      }
      switch (s.type()) {
        case "dense", "ce" -> model(at + "/model", s.model(), s.type().equals("dense"));
        case "llm" -> {
          if (s.generator() == null || s.generator().isBlank()) {
            throw error(at + "/generator", "an llm source needs a generator profile name");
          }
          if ((s.endpoint() == null) == (s.simulator() == null)) {
            throw error(at + "/endpoint", "an llm source needs exactly one of endpoint (an OpenAI-compatible URL) or simulator (a simulator profile)");
          }
          if (s.gpu() != null && !c.gpuPrices().containsKey(s.gpu())) {
            throw error(at + "/gpu", "no price for GPU " + quote(s.gpu()) + " in gpu_prices " + new TreeSet<>(c.gpuPrices().keySet()));
          }
        }
        case "file" -> {
          if (s.path() == null) {
            throw error(at + "/path", "a file source needs the path of a negatives JSONL");
          }
          Path p = file.toAbsolutePath().getParent().resolve(s.path()).normalize();
          if (!Files.isRegularFile(p)) {
            throw error(at + "/path", "negatives file " + p + " not found");
          }
        }
        case "mix" -> {
          if (s.parts() == null || s.parts().size() < 2) {
            throw error(at + "/parts", "a mix needs two or more parts, e.g. [{from: bm25, count: 1}, {from: llm, count: 1}]");
          }
          Set<String> froms = new LinkedHashSet<>();
          for (int j = 0; j < s.parts().size(); j++) {
            SourceSpec.MixPart part = s.parts().get(j);
            if (part == null || part.count() == null || part.count() < 1) {
              throw error(at + "/parts/" + j + "/count", "expected a count of at least 1 negative per query");
            }
            if (part.from() == null || !froms.add(part.from())) {
              throw error(at + "/parts/" + j + "/from", "expected a distinct source name, was " + quote(part == null ? null : part.from()));
            }
          }
        }
        default -> {}
      }
      return new SourceSpec(
          name, s.type(), s.model(), s.numNegatives(), s.rangeMin(), s.rangeMax(), s.sampling(), s.candidateDepth(),
          s.relativeMargin(), s.absoluteMargin(), s.maxLength(), s.batchSize(), s.generator(), s.endpoint(), s.simulator(),
          s.gpu(), s.path(), s.parts());
    }

    private void model(String pointer, String model, boolean encoder) {
      if (model == null) {
        if (encoder) {
          return; // dense defaults to the built-in minilm
        }
        throw error(pointer, "a ce source needs a cross-encoder folder (model.onnx, tokenizer.json, config.json)");
      }
      if (BuiltinModels.isBuiltin(model)) {
        return;
      }
      Path dir = file.toAbsolutePath().getParent().resolve(model).normalize();
      if (!Files.isDirectory(dir)) {
        throw error(pointer, "model folder " + dir + " not found (or use the built-in 'minilm')");
      }
    }

    private void training(TrainingPlan t) {
      positive("/training/epochs", t.epochs());
      positive("/training/batch_size", t.batchSize());
      positive("/training/max_query_length", t.maxQueryLength());
      positive("/training/max_passage_length", t.maxPassageLength());
      positive("/training/negatives_per_query", t.negativesPerQuery());
      if (!(t.learningRate() > 0 && t.learningRate() < 1)) {
        throw error("/training/learning_rate", "expected 0 < learning_rate < 1, was " + t.learningRate());
      }
      if (!(t.warmupRatio() >= 0 && t.warmupRatio() < 1)) {
        throw error("/training/warmup_ratio", "expected 0 <= warmup_ratio < 1, was " + t.warmupRatio());
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
        throw error("/evaluation/metrics", "expected ndcg@10 among the metrics (the report compares sources by it), was " + e.metrics());
      }
    }

    private void analysis(AnalysisPlan a) {
      positive("/analysis/max_queries", a.maxQueries());
      if (a.crossEncoder() != null) {
        model("/analysis/cross_encoder", a.crossEncoder(), false);
      }
      model("/analysis/reference_model", a.referenceModel(), true);
    }

    private void positive(String pointer, Integer value) {
      if (value != null && value < 1) {
        throw error(pointer, "expected a whole number >= 1, was " + value);
      }
    }

    /** The fields set in a source, by config name. */
    private static Map<String, Object> setFields(SourceSpec s) {
      Map<String, Object> m = new java.util.TreeMap<>();
      put(m, "model", s.model());
      put(m, "num_negatives", s.numNegatives());
      put(m, "range_min", s.rangeMin());
      put(m, "range_max", s.rangeMax());
      put(m, "sampling", s.sampling());
      put(m, "candidate_depth", s.candidateDepth());
      put(m, "relative_margin", s.relativeMargin());
      put(m, "absolute_margin", s.absoluteMargin());
      put(m, "max_length", s.maxLength());
      put(m, "batch_size", s.batchSize());
      put(m, "generator", s.generator());
      put(m, "endpoint", s.endpoint());
      put(m, "simulator", s.simulator());
      put(m, "gpu", s.gpu());
      put(m, "path", s.path());
      put(m, "parts", s.parts());
      return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
      if (v != null) {
        m.put(k, v);
      }
    }

    private static String quote(String s) {
      return s == null ? "nothing" : "'" + s + "'";
    }
  }
}
