package dev.negbench.experiment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.negbench.experiment.sources.Source;
import dev.negbench.experiment.sources.SourceTypes;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An experiment: which datasets, negative sources and seeds to run, how to train and evaluate, and
 * what a GPU hour costs. Read from YAML ({@code .yaml}, {@code .yml}) or JSON by {@link #load},
 * which validates everything before any work starts: an unknown field, an unknown source type, a
 * missing dataset folder or file, or a bad value is a {@link DatasetFormatException} naming the
 * file, the line and the field (exit 2).
 *
 * @param name experiment name, the first folder under {@code results/}
 * @param datasets BEIR folders (relative to the config file), {@code beir:NAME} (the folder NAME
 *     under the data home, {@code $NEGBENCH_DATA}, that {@code negbench download beir NAME} fills),
 *     {@code synthetic:DOCS}, or {@code optional:} before a folder or {@code beir:NAME} left out
 *     when it is not there (shared data a machine may lack)
 * @param sources negative sources, each of a type registered in {@link SourceTypes}
 * @param gpuPrices US dollars per GPU hour, by GPU name; {@code llm} sources name theirs
 * @param trainOn the collection every source mines or generates on and every retriever trains on,
 *     then evaluated zero-shot on each of {@code datasets}; null: each dataset trains on its own
 *     {@code training.split} (in-domain)
 * @param device where every model stage runs unless the stage names its own: {@code cpu} (default)
 *     or {@code cuda[:N]}; {@code training.device}, {@code evaluation.device} and a dense or ce
 *     source's {@code device} override it
 * @param cpuHourUsd US dollars per hour of the machine the CPU stages run on, to price mined
 *     negatives beside generated ones (default {@link #DEFAULT_CPU_HOUR_USD})
 */
public record ExperimentConfig(
    String name,
    List<String> datasets,
    List<Source> sources,
    List<Long> seeds,
    TrainingPlan training,
    EvaluationPlan evaluation,
    AnalysisPlan analysis,
    Map<String, Double> gpuPrices,
    TrainOn trainOn,
    String device,
    Double cpuHourUsd) {

  /**
   * The default price of a CPU hour: US$ 0.085, the on-demand list price of a 2-vCPU, 4 GiB AWS
   * c6i.large in us-east-1 (the size of the machine the committed results ran on); an example, set
   * yours with {@code cpu_hour_usd}.
   */
  public static final double DEFAULT_CPU_HOUR_USD = 0.085;

  /**
   * The BEIR protocol: train once on {@code dataset} (a BEIR folder relative to the config, or
   * {@code synthetic:DOCS}) with the queries of {@code split}, evaluate on every dataset.
   *
   * @param split qrels split trained on (default: {@code training.split})
   */
  public record TrainOn(String dataset, String split) {}

  /**
   * The qrels split the sources and training read: {@code train_on.split}, else {@code
   * training.split}.
   */
  public String trainingSplit() {
    return trainOn != null && trainOn.split() != null ? trainOn.split() : training.split();
  }

  /**
   * A dataset entry resolved against the config's folder or the data home.
   *
   * @param beir the BEIR name of a {@code beir:NAME} entry, else null
   */
  public record DatasetRef(String entry, String name, Path dir, int syntheticDocs, String beir) {
    public DatasetRef(String entry, String name, Path dir, int syntheticDocs) {
      this(entry, name, dir, syntheticDocs, null);
    }

    public boolean synthetic() {
      return syntheticDocs > 0;
    }

    /**
     * A {@code beir:NAME} whose folder is not there yet (a config read {@link
     * #loadBeforeDownload}).
     */
    public boolean notDownloaded() {
      return beir != null && !Files.isDirectory(dir);
    }
  }

  /**
   * A validated config with the file it came from and its datasets resolved; {@code trainOn} is the
   * training collection resolved, or null for the in-domain protocol; {@code models} every model
   * the config names, as written.
   */
  public record Loaded(
      ExperimentConfig config,
      Path file,
      String sha256,
      List<DatasetRef> datasets,
      DatasetRef trainOn,
      List<String> models) {
    public Source source(String name) {
      return config.sources().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * This config with only the named sources, and the sources they read (a mix's parts), so a
     * rerun can redo one source; an unknown name is an error.
     */
    public Loaded only(Collection<String> names) {
      Set<String> keep = new LinkedHashSet<>();
      for (String n : names) {
        if (config.sources().stream().noneMatch(s -> s.name().equals(n))) {
          throw new IllegalArgumentException(
              "no source named '"
                  + n
                  + "' in "
                  + file
                  + "; sources: "
                  + config.sources().stream().map(Source::name).toList());
        }
        keep.add(n);
        keep.addAll(source(n).inputs());
      }
      return new Loaded(
          config.withSources(
              config.sources().stream().filter(s -> keep.contains(s.name())).toList()),
          file,
          sha256,
          datasets,
          trainOn,
          models);
    }

    /** The same file's config, changed (e.g. another device from the command line). */
    public Loaded withConfig(ExperimentConfig changed) {
      return new Loaded(changed, file, sha256, datasets, trainOn, models);
    }

    /** A path written in the config, relative to the config file. */
    public Path resolve(String path) {
      return file.toAbsolutePath().getParent().resolve(path).normalize();
    }
  }

  public ExperimentConfig {
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
    sources =
        sources == null
            ? List.of()
            : Collections.unmodifiableList(
                new ArrayList<>(sources)); // may hold nulls until validated
    seeds = seeds == null ? List.of(42L) : List.copyOf(seeds);
    training = training == null ? TrainingPlan.defaults() : training;
    evaluation = evaluation == null ? EvaluationPlan.defaults() : evaluation;
    analysis = analysis == null ? AnalysisPlan.defaults() : analysis;
    gpuPrices = gpuPrices == null ? Map.of() : Map.copyOf(gpuPrices);
    device = device == null ? "cpu" : device;
    cpuHourUsd = cpuHourUsd == null ? DEFAULT_CPU_HOUR_USD : cpuHourUsd;
  }

  public ExperimentConfig withSources(List<Source> sources) {
    return new ExperimentConfig(
        name,
        datasets,
        sources,
        seeds,
        training,
        evaluation,
        analysis,
        gpuPrices,
        trainOn,
        device,
        cpuHourUsd);
  }

  /** This experiment with every stage that names no device of its own on {@code device}. */
  public ExperimentConfig withDevice(String device) {
    return new ExperimentConfig(
        name,
        datasets,
        sources,
        seeds,
        training,
        evaluation,
        analysis,
        gpuPrices,
        trainOn,
        device,
        cpuHourUsd);
  }

  /** Where training runs: {@code training.device}, else the experiment's. */
  public String trainingDevice() {
    return training.device() != null ? training.device() : device;
  }

  /** Where evaluation and hardness encode: {@code evaluation.device}, else the experiment's. */
  public String evaluationDevice() {
    return evaluation.device() != null ? evaluation.device() : device;
  }

  /**
   * Reads and validates a config file: everything it names must be here, a {@code beir:NAME} not
   * downloaded yet is an error naming the command that fetches it.
   */
  public static Loaded load(Path file) {
    return load(file, false);
  }

  /**
   * Reads and validates a config file to plan its run or fetch what it names: a {@code beir:NAME}
   * dataset that is not downloaded (counted from the BEIR catalogue instead; {@link
   * DatasetRef#notDownloaded}) and a model found nowhere yet are accepted; all else is checked as
   * {@link #load} checks it.
   */
  public static Loaded loadBeforeDownload(Path file) {
    return load(file, true);
  }

  private static Loaded load(Path file, boolean beforeDownload) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DatasetFormatException(
          file, 0, "cannot read the experiment config: " + e.getMessage());
    }
    return parse(file, text, beforeDownload);
  }

  /**
   * Parses and validates config text as if read from {@code file} (paths resolve against its
   * folder).
   */
  public static Loaded parse(Path file, String text) {
    return parse(file, text, false);
  }

  private static Loaded parse(Path file, String text, boolean beforeDownload) {
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    JsonFactory factory = lower.endsWith(".json") ? new JsonFactory() : new YAMLFactory();
    ObjectMapper mapper =
        Json.copyWith(factory)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    SourceTypes.registerWith(mapper);
    ConfigLines lines;
    try {
      lines = ConfigLines.of(factory, text);
    } catch (JsonProcessingException e) {
      throw new DatasetFormatException(
          file, line(e), "malformed config: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
    ExperimentConfig config;
    try {
      config = mapper.readValue(text, ExperimentConfig.class);
    } catch (InvalidTypeIdException e) {
      String at = pointerOf(e.getPath()) + "/type";
      String message =
          e.getTypeId() == null
              ? "expected a source object with a type: " + SourceTypes.names()
              : "unknown source type '"
                  + e.getTypeId()
                  + "'; expected one of "
                  + SourceTypes.names();
      throw new DatasetFormatException(
          file, lines.of(at), "field '" + fieldOf(at) + "': " + message);
    } catch (UnrecognizedPropertyException e) {
      throw unknownField(file, lines, e);
    } catch (JsonMappingException e) {
      String path = fieldOf(pointerOf(e.getPath()));
      throw new DatasetFormatException(
          file,
          lineOf(e, lines),
          (path.isEmpty() ? "" : "field '" + path + "': ")
              + "bad value: "
              + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new DatasetFormatException(
          file, line(e), "malformed config: " + e.getOriginalMessage());
    }
    if (config == null) {
      throw new DatasetFormatException(file, 0, "empty experiment config");
    }
    return new ConfigValidator(file, lines, config, beforeDownload)
        .validate(AtomicFiles.sha256(file));
  }

  /**
   * An unknown field: inside a source, a field of another source type "does not apply" and the
   * message lists the fields of this type; elsewhere the fields the object takes.
   */
  private static DatasetFormatException unknownField(
      Path file, ConfigLines lines, UnrecognizedPropertyException e) {
    String pointer = pointerOf(e.getPath());
    String field = e.getPropertyName();
    Class<?> owner = e.getReferringClass();
    if (owner != null && Source.class.isAssignableFrom(owner) && owner.isRecord()) {
      Set<String> own = new TreeSet<>(SourceTypes.fields(owner));
      own.remove("name");
      String type = SourceTypes.nameOf(owner);
      if (!SourceTypes.typesWithField(field).isEmpty()) {
        return new DatasetFormatException(
            file,
            lines.of(pointer),
            "field '"
                + fieldOf(pointer)
                + "': does not apply to a '"
                + type
                + "' source; its fields: "
                + own
                + " besides name and type");
      }
    }
    String parent = fieldOf(pointer.substring(0, pointer.lastIndexOf('/')));
    return new DatasetFormatException(
        file,
        lineOf(e, lines),
        "unknown field '"
            + field
            + "'"
            + (parent.isEmpty() ? "" : " in '" + parent + "'")
            + "; expected one of "
            + new TreeSet<>(
                e.getKnownPropertyIds().stream()
                    .map(String::valueOf)
                    .filter(f -> !f.equals("type"))
                    .toList()));
  }

  private static long line(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
  }

  /**
   * The line of a mapping error's field, from the parsed locations; the parser's own as a fallback.
   */
  private static long lineOf(JsonMappingException e, ConfigLines lines) {
    long line = lines.of(pointerOf(e.getPath()));
    return line > 0 ? line : line(e);
  }

  /** A mapping error's path as a JSON pointer, e.g. {@code /sources/1/type}. */
  private static String pointerOf(List<JsonMappingException.Reference> path) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      pointer
          .append('/')
          .append(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
    }
    return pointer.toString();
  }

  /** A JSON pointer as the config spells the field, e.g. {@code sources[1].type}. */
  static String fieldOf(String pointer) {
    return pointer.isEmpty()
        ? ""
        : pointer.substring(1).replaceAll("/(\\d+)(?=/|$)", "[$1]").replace('/', '.');
  }
}
