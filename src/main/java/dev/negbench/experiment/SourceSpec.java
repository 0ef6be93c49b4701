package dev.negbench.experiment;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One negative source of an experiment, as written in the config. Which fields apply depends on
 * {@code type}; {@link ExperimentConfig} rejects a field that does not apply to its type. Missing
 * numbers take the defaults of the matching {@code mine-*} command.
 *
 * @param name folder name of its results ({@code results/EXP/DATASET/NAME}); default: the type
 * @param type one of {@link #TYPES}
 * @param model bi-encoder ({@code dense}) or cross-encoder ({@code ce}) folder, or {@code minilm}
 * @param generator generator profile name ({@code llm})
 * @param endpoint OpenAI-compatible base URL ({@code llm}, unless {@code simulator})
 * @param simulator generation simulator profile ({@code llm}, instead of an endpoint)
 * @param gpu key of {@code gpu_prices} the generator runs on, for $ per 1,000 negatives ({@code llm})
 * @param path negatives JSONL made elsewhere ({@code file}), relative to the config file
 * @param parts per-query shares of other sources ({@code mix})
 */
public record SourceSpec(
    String name,
    String type,
    String model,
    Integer numNegatives,
    Integer rangeMin,
    Integer rangeMax,
    String sampling,
    Integer candidateDepth,
    Double relativeMargin,
    Double absoluteMargin,
    Integer maxLength,
    Integer batchSize,
    String generator,
    String endpoint,
    String simulator,
    String gpu,
    String path,
    List<MixPart> parts) {

  /** Source types, in the order the report lists them. */
  public static final List<String> TYPES = List.of("bm25", "ce", "dense", "llm", "file", "mix");

  /** The config fields (snake_case) each type accepts besides {@code name} and {@code type}. */
  static final Map<String, Set<String>> FIELDS =
      Map.of(
          "bm25", Set.of("num_negatives", "range_min", "range_max", "sampling"),
          "dense", Set.of("model", "num_negatives", "range_min", "range_max", "sampling", "max_length", "batch_size"),
          "ce",
              Set.of(
                  "model", "num_negatives", "range_min", "range_max", "sampling", "candidate_depth", "relative_margin",
                  "absolute_margin", "max_length", "batch_size"),
          "llm", Set.of("generator", "endpoint", "simulator", "gpu", "num_negatives"),
          "file", Set.of("path"),
          "mix", Set.of("parts"));

  /** One share of a mix: {@code count} negatives per query taken from the source named {@code from}. */
  public record MixPart(String from, Integer count) {}

  /** Negatives per query this source yields (a mix: the sum of its parts; a file: as found). */
  public int negativesPerQuery() {
    if (parts != null) {
      return parts.stream().mapToInt(MixPart::count).sum();
    }
    return numNegatives == null ? 5 : numNegatives;
  }

  public int rangeMinOr1() {
    return rangeMin == null ? 1 : rangeMin;
  }

  public int rangeMaxOrDefault() {
    return rangeMax != null ? rangeMax : "ce".equals(type) ? candidateDepthOrDefault() : 100;
  }

  public String samplingOrTop() {
    return sampling == null ? "top" : sampling.toLowerCase(Locale.ROOT);
  }

  public int candidateDepthOrDefault() {
    return candidateDepth == null ? 100 : candidateDepth;
  }

  public int maxLengthOrDefault() {
    return maxLength != null ? maxLength : "ce".equals(type) ? 512 : 256;
  }

  public int batchSizeOrDefault() {
    return batchSize != null ? batchSize : "ce".equals(type) ? 32 : 64;
  }

  /** True when the negatives depend on the seed (random sampling), so each seed mines its own. */
  public boolean seedDependent() {
    return "random".equals(samplingOrTop()) || "llm".equals(type);
  }
}
