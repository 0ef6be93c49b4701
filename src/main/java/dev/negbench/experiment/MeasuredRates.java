package dev.negbench.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.experiment.sources.Work;
import dev.negbench.io.Json;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.JmhResults;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The throughputs this project has measured, read from a results store: the training and encoding
 * rates of earlier results (their metrics.json and provenance.json), the BM25 and cross-encoder
 * kernels in {@code RESULTS/jmh}, and the generation summaries of earlier runs. Each lookup is
 * empty where nothing measured that throughput.
 */
final class MeasuredRates {
  private final ExperimentConfig config;
  private final int threads;
  private final Function<String, DatasetCounts> countsOfDataset;
  private final ResultsStore store;
  private final List<CellResult> earlier;
  private final Map<Path, JsonNode> provenance = new LinkedHashMap<>();
  private final List<JmhResults.Kernel> kernels = new ArrayList<>();
  private final List<GenerationSummary> generations = new ArrayList<>();

  /**
   * Reads {@code results}. {@code countsOfDataset} gives the sizes of an earlier result's dataset
   * by name, or null where they are not known.
   */
  MeasuredRates(
      Path results,
      ExperimentConfig config,
      int threads,
      Function<String, DatasetCounts> countsOfDataset) {
    this.config = config;
    this.threads = threads;
    this.countsOfDataset = countsOfDataset;
    this.store = new ResultsStore(results);
    // Earlier results of this experiment first: same model, lengths and data, so the closest rates.
    List<CellResult> all =
        new ArrayList<>(Files.isDirectory(results) ? store.readAll() : List.<CellResult>of());
    all.sort(Comparator.comparing((CellResult r) -> !r.experiment().equals(config.name())));
    this.earlier = all;
    for (Path cell : Files.isDirectory(results) ? store.cells() : List.<Path>of()) {
      try {
        provenance.put(cell, Json.PLAIN.readTree(cell.resolve(ResultsStore.PROVENANCE).toFile()));
      } catch (IOException e) {
        // a result without provenance measures nothing
      }
      Path g = cell.resolve(ResultsStore.GENERATION);
      if (Files.isRegularFile(g)) {
        generations.add(GenerationSummary.read(g));
      }
    }
    JmhResults.readAll(results.resolve("jmh")).forEach(r -> kernels.addAll(r.kernels()));
  }

  /**
   * Texts per second encoding a corpus on the CPU: the median over earlier results' zero-shot rows
   * (ONNX Runtime) or trained rows (checkpoints), since a result written by a resumed run may have
   * reused its encoding and look far faster than encoding is; this experiment's alone where it has
   * any, as {@link #training}.
   */
  Optional<Throughput> encode(boolean checkpoint, String device) {
    return ownFirst(results -> encode(checkpoint, device, results));
  }

  private Optional<Throughput> encode(boolean checkpoint, String device, List<CellResult> results) {
    List<Throughput> seen = new ArrayList<>();
    for (CellResult r : results) {
      JsonNode p = provenance.get(store.cellDir(r.experiment(), r.dataset(), r.source(), r.seed()));
      DatasetCounts c = countsOfDataset.apply(r.dataset());
      if (p == null || c == null || !device.equals("cpu")) {
        continue;
      }
      double wall = p.path("wall_seconds").asDouble(0);
      boolean trained = Boolean.TRUE.equals(r.training().get("trained"));
      if (trained != checkpoint || wall <= 0) {
        continue;
      }
      double seconds =
          trained ? wall - ((Number) r.training().getOrDefault("seconds", 0)).doubleValue() : wall;
      if (seconds > 0) {
        seen.add(
            new Throughput(
                (c.documents() + r.queryIds().size()) / seconds,
                true,
                String.format(
                    Locale.ROOT,
                    "%s %s/%s: %.1f texts/s%s",
                    r.experiment(),
                    r.dataset(),
                    r.source(),
                    (c.documents() + r.queryIds().size()) / seconds,
                    trained ? " with its checkpoint, mining and hardness included" : "")));
      }
    }
    return median(seen);
  }

  /**
   * Training triples per second: the median over earlier trained results of the config's model on
   * this device, this experiment's alone where it has any (other experiments may train at other
   * lengths: the demo's passages are 64 tokens, SciFact's 256).
   */
  Optional<Throughput> training(String device) {
    return ownFirst(results -> training(device, results));
  }

  private Optional<Throughput> training(String device, List<CellResult> results) {
    List<Throughput> seen = new ArrayList<>();
    for (CellResult r : results) {
      Map<String, Object> t = r.training();
      if (Boolean.TRUE.equals(t.get("trained"))
          && device.equals(t.get("device"))
          && t.get("seconds") instanceof Number s
          && s.doubleValue() > 0
          && t.get("triples") instanceof Number n
          && String.valueOf(t.get("model")).equals(config.training().model())) {
        double rate = n.doubleValue() / s.doubleValue();
        seen.add(
            new Throughput(
                rate,
                true,
                String.format(
                    Locale.ROOT,
                    "%s %s/%s: %.2f triples/s",
                    r.experiment(),
                    r.dataset(),
                    r.source(),
                    rate)));
      }
    }
    return median(seen);
  }

  /**
   * A rate read from this experiment's earlier results where they give one, else from every earlier
   * result.
   */
  private Optional<Throughput> ownFirst(Function<List<CellResult>, Optional<Throughput>> rate) {
    Optional<Throughput> own =
        rate.apply(earlier.stream().filter(r -> r.experiment().equals(config.name())).toList());
    return own.isPresent() ? own : rate.apply(earlier);
  }

  /**
   * The middle rate (the lower middle of an even count), its basis saying of how many; empty when
   * there are none.
   */
  private static Optional<Throughput> median(List<Throughput> rates) {
    if (rates.isEmpty()) {
      return Optional.empty();
    }
    List<Throughput> sorted = new ArrayList<>(rates);
    sorted.sort(Comparator.comparingDouble(Throughput::perSecond));
    Throughput m = sorted.get((sorted.size() - 1) / 2);
    return Optional.of(
        sorted.size() == 1
            ? m
            : new Throughput(
                m.perSecond(),
                m.measured(),
                "median of " + sorted.size() + " results, " + m.basis()));
  }

  /**
   * BM25 queries per second: the mining kernel at the nearest corpus size and this thread count.
   */
  Optional<Throughput> bm25(long documents) {
    JmhResults.Kernel best = null;
    for (JmhResults.Kernel k : kernels) {
      if (k.benchmark().endsWith("Bm25MiningBenchmark.mine")
          && String.valueOf(Math.min(threads, 2)).equals(k.params().get("threads"))) {
        if (best == null
            || Math.abs(Math.log(docs(k) / documents))
                < Math.abs(Math.log(docs(best) / documents))) {
          best = k;
        }
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Throughput(
            best.score(),
            true,
            String.format(
                Locale.ROOT,
                "Bm25MiningBenchmark.mine docs=%s threads=%s: %.0f queries/s",
                best.params().get("docs"),
                best.params().get("threads"),
                best.score())));
  }

  private static double docs(JmhResults.Kernel k) {
    return Double.parseDouble(k.params().getOrDefault("docs", "10000"));
  }

  /**
   * Cross-encoder pairs per second: the bucketed kernel at the ce source's default length, for a
   * model of the size of the one in {@code modelDir}.
   */
  Optional<Throughput> pairs(Path modelDir, String device) {
    String size = tinyModel(modelDir) ? "tiny" : "minilm";
    for (JmhResults.Kernel k : kernels) {
      if (k.benchmark().endsWith("CrossEncoderBenchmark.bucketed")
          && size.equals(k.params().get("model"))
          && device.equals(k.params().get("device"))
          && "512".equals(k.params().get("maxLength")) // the ce source's default length
          // float on one thread: what a ce source runs unless told otherwise
          && "none".equals(k.params().getOrDefault("quantize", "none"))
          && "1".equals(k.params().getOrDefault("threads", "1"))) {
        double batch = Double.parseDouble(k.params().getOrDefault("batchSize", "1"));
        double pairs = k.score() * batch * Math.min(threads, 2);
        return Optional.of(
            new Throughput(
                pairs,
                true,
                String.format(
                    Locale.ROOT,
                    "CrossEncoderBenchmark.bucketed model=%s maxLength=%s batch=%s x %d threads: %.0f pairs/s",
                    size,
                    k.params().get("maxLength"),
                    k.params().get("batchSize"),
                    Math.min(threads, 2),
                    pairs)));
      }
    }
    return Optional.empty();
  }

  private static boolean tinyModel(Path dir) {
    try {
      JsonNode c = Json.PLAIN.readTree(dir.resolve("config.json").toFile());
      return c.path("hidden_size").asInt(c.path("dim").asInt(384)) < 256;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Completion tokens per second a GPU: an earlier run of this generator (simulated or not alike),
   * its tokens per second over the GPUs it held.
   */
  Optional<Throughput> generation(Work w) {
    for (GenerationSummary g : generations) {
      if (w.model().contains(g.generator())
          && g.seconds() > 0
          && g.completionTokens() > 0
          && "simulator".equals(w.device()) == g.simulated()) {
        return Optional.of(
            new Throughput(
                g.tokensPerSecond() / g.gpus(),
                true,
                String.format(
                    Locale.ROOT,
                    "earlier %s run%s: %.0f tokens/s on %d GPU%s",
                    g.generator(),
                    g.simulated() ? " (simulator)" : "",
                    g.tokensPerSecond(),
                    g.gpus(),
                    g.gpus() == 1 ? "" : "s")));
      }
    }
    return Optional.empty();
  }

  /**
   * Completion tokens a request in an earlier generation by {@code w}'s generator, simulated or not
   * as {@code w} is.
   */
  OptionalDouble completionTokensPerRequest(Work w) {
    return perRequest(w, g -> g.completionTokens());
  }

  /** Prompt tokens a request, as {@link #completionTokensPerRequest}. */
  OptionalDouble promptTokensPerRequest(Work w) {
    return perRequest(w, g -> g.promptTokens());
  }

  private OptionalDouble perRequest(Work w, ToLongFunction<GenerationSummary> f) {
    for (GenerationSummary g : generations) {
      if (w.model().contains(g.generator())
          && g.requests() > 0
          && f.applyAsLong(g) > 0
          && "simulator".equals(w.device()) == g.simulated()) {
        return OptionalDouble.of(f.applyAsLong(g) / (double) g.requests());
      }
    }
    return OptionalDouble.empty();
  }
}
