package dev.negbench.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.experiment.sources.Source;
import dev.negbench.experiment.sources.Work;
import dev.negbench.io.Json;
import dev.negbench.model.ModelResolver;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.JmhResults;
import dev.negbench.results.ResultsStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run of a config will cost, before it runs: per stage (index, mine, score, generate, train,
 * encode, evaluate) the work items, the device, and seconds and US$ from throughputs the project
 * has measured: the training and encoding rates of earlier results in the results store (their
 * metrics.json and provenance.json), BM25 and cross-encoder kernels in {@code results/jmh}, and
 * generation summaries of earlier runs. A rate nothing measured is an assumption, marked as such.
 * The stage cache is ignored: the plan is for a fresh work folder.
 */
public final class CostEstimator {
  /** One stage's estimate; {@code basis} says where its rate comes from. */
  public record Stage(
      String stage,
      String dataset,
      String what,
      long items,
      String unit,
      String device,
      double seconds,
      double usd,
      boolean measured,
      String basis) {}

  /** The plan: its stages and their sums. */
  public record Estimate(String experiment, List<Stage> stages, double seconds, double usd) {
    public String toText() {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "%-9s %-22s %-50s %12s %-9s %-9s %10s %9s  %s%n",
              "stage",
              "dataset",
              "what",
              "items",
              "unit",
              "device",
              "seconds",
              "US$",
              "rate"));
      for (Stage s : stages) {
        b.append(
            String.format(
                Locale.ROOT,
                "%-9s %-22s %-50s %,12d %-9s %-9s %,10.0f %9.2f  %s: %s%n",
                s.stage(),
                s.dataset(),
                s.what(),
                s.items(),
                s.unit(),
                s.device(),
                s.seconds(),
                s.usd(),
                s.measured() ? "measured" : "assumed",
                s.basis()));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "total: %,.0f s (%.1f h), US$ %.2f, for %s in a fresh work folder%n",
              seconds,
              seconds / 3600,
              usd,
              experiment));
      return b.toString();
    }

    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("experiment", experiment);
      m.put("stages", stages);
      m.put(
          "total",
          Map.of("seconds", Math.round(seconds * 10) / 10.0, "usd", Math.round(usd * 100) / 100.0));
      try {
        return Json.MAPPER.writeValueAsString(m) + "\n";
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A throughput and where it comes from. */
  record Rate(double perSecond, boolean measured, String basis) {}

  // Assumptions where nothing is measured, each stated where it is used.
  private static final double ASSUMED_INDEX_DOCS_PER_S =
      5_000; // Lucene indexing of short BEIR documents, one thread
  private static final double ASSUMED_ENCODE_TEXTS_PER_S_CPU =
      15; // MiniLM-sized encoder at 256 tokens on 2 cores
  private static final double ASSUMED_GPU_SPEEDUP =
      50; // an H100 over 2 CPU cores for encoder inference and training
  private static final double ASSUMED_TRIPLES_PER_S_CPU =
      2; // MiniLM-sized MNRL training at 256 tokens on 2 cores
  private static final double ASSUMED_PAIRS_PER_S_CPU =
      100; // cross-encoder scoring, MiniLM-sized, 512 tokens
  // train-ce of all-MiniLM-L6-v2 at 256 tokens on 2 cores: 7.6 pairs/s measured with
  // glibc.malloc.hugetlb=1
  // and NEGBENCH_MKL_AMD=1 (results/baselines/scifact-ce-rerank/third-recipe), 1.9 with neither
  private static final double ASSUMED_CE_TRAIN_PAIRS_PER_S_CPU = 7.6;
  private static final double ASSUMED_COMPLETION_TOKENS =
      150; // one hard negative passage per request
  private static final double ASSUMED_TOKENS_PER_S_GPU =
      2_500; // vLLM decode throughput of an 8B-14B model per GPU at high concurrency

  private final ExperimentConfig.Loaded loaded;
  private final ExperimentConfig config;
  private final ResultsStore store;
  private final int threads;
  private final List<CellResult> earlier;
  private final Map<Path, JsonNode> provenance = new LinkedHashMap<>();
  private final List<JmhResults.Kernel> kernels = new ArrayList<>();
  private final List<GenerationSummary> generations = new ArrayList<>();

  public CostEstimator(ExperimentConfig.Loaded loaded, Path results, int threads) {
    this.loaded = loaded;
    this.config = loaded.config();
    this.threads = threads;
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

  /** The estimate for the whole config. */
  public Estimate estimate() {
    List<Stage> stages = new ArrayList<>();
    List<ExperimentConfig.DatasetRef> evaluated = loaded.datasets();
    List<ExperimentConfig.DatasetRef> trainingSets =
        loaded.trainOn() == null ? evaluated : List.of(loaded.trainOn());
    int trainedPerSource = config.seeds().size();
    for (ExperimentConfig.DatasetRef t : trainingSets) {
      Counts c = counts(t);
      boolean index =
          config.analysis().hardness()
              || config.sources().stream()
                  .anyMatch(
                      s ->
                          s.work(c.sizes(), config.device()).stream()
                                  .anyMatch(w -> w.kind() == Work.Kind.BM25_QUERIES)
                              || !s.setupWork(c.sizes(), config.device()).isEmpty());
      if (index) {
        stages.add(
            stage(
                "index",
                t,
                "BM25 index",
                c.documents,
                "documents",
                "cpu",
                new Rate(
                    ASSUMED_INDEX_DOCS_PER_S * threads,
                    false,
                    "Lucene indexing, "
                        + (long) ASSUMED_INDEX_DOCS_PER_S
                        + " documents/s a thread"),
                null));
      }
      for (Source s : config.sources()) {
        stages.addAll(priced(s, s.setupWork(c.sizes(), config.device()), t, c));
        int makes = s.seedDependent() ? config.seeds().size() : 1;
        for (int k = 0; k < makes; k++) {
          stages.addAll(priced(s, s.work(c.sizes(), config.device()), t, c));
        }
      }
      for (Source s : config.sources()) {
        for (int k = 0; k < trainedPerSource; k++) {
          stages.add(train(s, t, c));
        }
      }
    }
    for (ExperimentConfig.DatasetRef d : evaluated) {
      Counts c = counts(d);
      long texts = c.documents + c.evalQueries;
      String device = config.evaluationDevice();
      if (config.evaluation().zeroShot()) {
        stages.add(
            stage(
                "encode",
                d,
                "zero-shot " + config.training().model(),
                texts,
                "texts",
                device,
                encodeRate(false, device),
                null));
      }
      long trained = (long) config.sources().size() * trainedPerSource;
      if (trained > 0) {
        Rate r = encodeRate(true, device);
        stages.add(
            stage(
                "evaluate",
                d,
                trained + " checkpoints x corpus",
                trained * texts,
                "texts",
                device,
                r,
                null));
      }
    }
    double seconds = stages.stream().mapToDouble(Stage::seconds).sum();
    double usd = stages.stream().mapToDouble(Stage::usd).sum();
    return new Estimate(config.name(), stages, seconds, usd);
  }

  /** A source's work on one collection, each item priced at the rate its kind is measured at. */
  private List<Stage> priced(Source s, List<Work> work, ExperimentConfig.DatasetRef t, Counts c) {
    List<Stage> out = new ArrayList<>();
    for (Work w : work) {
      switch (w.kind()) {
        case BM25_QUERIES ->
            out.add(
                stage(
                    w.stage(),
                    t,
                    w.what(),
                    w.items(),
                    w.kind().unit(),
                    w.device(),
                    bm25Rate(c.documents),
                    null));
        case ENCODE_TEXTS -> {
          // The corpus embeddings are cached by model, length and device: evaluation's zero-shot
          // row shares them.
          boolean shared =
              config.evaluation().zeroShot()
                  && w.maxLength() == config.evaluation().maxLength()
                  && w.device().equals(config.evaluationDevice())
                  && modelRef(w.model()).equals(modelRef(config.training().model()))
                  && loaded.datasets().stream().anyMatch(d -> d.name().equals(t.name()));
          long items = shared ? w.items() - c.documents : w.items();
          out.add(
              stage(
                  w.stage(),
                  t,
                  w.what() + (shared ? " (corpus shared with zero-shot)" : ""),
                  items,
                  w.kind().unit(),
                  w.device(),
                  encodeRate(false, w.device()),
                  null));
        }
        case SCORE_PAIRS ->
            out.add(
                stage(
                    w.stage(),
                    t,
                    w.what(),
                    w.items(),
                    w.kind().unit(),
                    w.device(),
                    pairRate(w.model(), w.device()),
                    null));
        case TRAIN_PAIRS ->
            out.add(
                stage(
                    w.stage(),
                    t,
                    w.what(),
                    w.items(),
                    w.kind().unit(),
                    w.device(),
                    ceTrainRate(w.device()),
                    null));
        case GENERATE_REQUESTS -> {
          long tokens = (long) (w.items() * completionTokensPerRequest(w.model()));
          Double price = s.gpu() == null ? null : config.gpuPrices().get(s.gpu());
          out.add(
              stage(
                  w.stage(),
                  t,
                  w.what() + " (" + w.items() + " requests)",
                  tokens,
                  "tokens",
                  w.device(),
                  generationRate(w),
                  price));
        }
      }
    }
    return out;
  }

  private Stage train(Source s, ExperimentConfig.DatasetRef t, Counts c) {
    long triples = s.trainingTriples(c.sizes()) * config.training().epochs();
    long steps =
        (long) Math.ceil(s.trainingTriples(c.sizes()) / (double) config.training().batchSize())
            * config.training().epochs();
    String device = config.trainingDevice();
    Rate r = trainRate(device);
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
        r.basis());
  }

  private Stage stage(
      String stage,
      ExperimentConfig.DatasetRef d,
      String what,
      long items,
      String unit,
      String device,
      Rate r,
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
        r.basis());
  }

  private static double round(double v, double scale) {
    return Math.round(v * scale) / scale;
  }

  /**
   * Texts per second encoding a corpus: the median over earlier results' zero-shot rows (ONNX
   * Runtime) or trained rows (checkpoints), since a result written by a resumed run may have reused
   * its encoding and look far faster than encoding is.
   */
  private Rate encodeRate(boolean checkpoint, String device) {
    List<Rate> seen = new ArrayList<>();
    for (CellResult r : earlier) {
      JsonNode p = provenance.get(store.cellDir(r.experiment(), r.dataset(), r.source(), r.seed()));
      Counts c = countsOfDataset(r.dataset());
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
            new Rate(
                (c.documents + r.queryIds().size()) / seconds,
                true,
                String.format(
                    Locale.ROOT,
                    "%s %s/%s: %.1f texts/s%s",
                    r.experiment(),
                    r.dataset(),
                    r.source(),
                    (c.documents + r.queryIds().size()) / seconds,
                    trained ? " with its checkpoint, mining and hardness included" : "")));
      }
    }
    if (!seen.isEmpty()) {
      return median(seen);
    }
    double cpu = ASSUMED_ENCODE_TEXTS_PER_S_CPU * (checkpoint ? 0.6 : 1);
    return device.equals("cpu")
        ? new Rate(cpu, false, (long) cpu + " texts/s on 2 cores")
        : new Rate(
            cpu * ASSUMED_GPU_SPEEDUP,
            false,
            (long) (cpu * ASSUMED_GPU_SPEEDUP)
                + " texts/s on a GPU ("
                + (long) ASSUMED_GPU_SPEEDUP
                + "x 2 cores)");
  }

  /**
   * Pairs per second training a cross-encoder: an assumption (no result records a train-ce run's
   * time).
   */
  private static Rate ceTrainRate(String device) {
    double cpu = ASSUMED_CE_TRAIN_PAIRS_PER_S_CPU;
    return device.equals("cpu")
        ? new Rate(
            cpu,
            false,
            cpu + " pairs/s on 2 cores (train-ce, MiniLM, 256 tokens, README \"Training speed\")")
        : new Rate(
            cpu * ASSUMED_GPU_SPEEDUP, false, cpu * ASSUMED_GPU_SPEEDUP + " pairs/s on a GPU");
  }

  /**
   * Training triples per second: the median over earlier trained results of this model on this
   * device.
   */
  private Rate trainRate(String device) {
    List<Rate> seen = new ArrayList<>();
    for (CellResult r : earlier) {
      Map<String, Object> t = r.training();
      if (Boolean.TRUE.equals(t.get("trained"))
          && device.equals(t.get("device"))
          && t.get("seconds") instanceof Number s
          && s.doubleValue() > 0
          && t.get("triples") instanceof Number n
          && String.valueOf(t.get("model")).equals(config.training().model())) {
        double rate = n.doubleValue() / s.doubleValue();
        seen.add(
            new Rate(
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
    if (!seen.isEmpty()) {
      return median(seen);
    }
    return device.equals("cpu")
        ? new Rate(
            ASSUMED_TRIPLES_PER_S_CPU, false, ASSUMED_TRIPLES_PER_S_CPU + " triples/s on 2 cores")
        : new Rate(
            ASSUMED_TRIPLES_PER_S_CPU * ASSUMED_GPU_SPEEDUP,
            false,
            ASSUMED_TRIPLES_PER_S_CPU * ASSUMED_GPU_SPEEDUP + " triples/s on a GPU");
  }

  /** The middle rate (the lower middle of an even count), its basis saying of how many. */
  private static Rate median(List<Rate> rates) {
    List<Rate> sorted = new ArrayList<>(rates);
    sorted.sort(Comparator.comparingDouble(Rate::perSecond));
    Rate m = sorted.get((sorted.size() - 1) / 2);
    return sorted.size() == 1
        ? m
        : new Rate(
            m.perSecond(), m.measured(), "median of " + sorted.size() + " results, " + m.basis());
  }

  /**
   * BM25 queries per second: the mining kernel at the nearest corpus size and this thread count.
   */
  private Rate bm25Rate(long documents) {
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
      return new Rate(1_000, false, "1,000 queries/s");
    }
    return new Rate(
        best.score(),
        true,
        String.format(
            Locale.ROOT,
            "Bm25MiningBenchmark.mine docs=%s threads=%s: %.0f queries/s",
            best.params().get("docs"),
            best.params().get("threads"),
            best.score()));
  }

  private static double docs(JmhResults.Kernel k) {
    return Double.parseDouble(k.params().getOrDefault("docs", "10000"));
  }

  /**
   * Cross-encoder pairs per second: the bucketed kernel at the source's length, for a model of its
   * size.
   */
  private Rate pairRate(String model, String device) {
    String size = tinyModel(Path.of(modelRef(model))) ? "tiny" : "minilm";
    for (JmhResults.Kernel k : kernels) {
      if (k.benchmark().endsWith("CrossEncoderBenchmark.bucketed")
          && size.equals(k.params().get("model"))
          && device.equals(k.params().get("device"))
          && "512".equals(k.params().get("maxLength"))) { // the ce source's default length
        double batch = Double.parseDouble(k.params().getOrDefault("batchSize", "1"));
        double pairs = k.score() * batch * Math.min(threads, 2);
        return new Rate(
            pairs,
            true,
            String.format(
                Locale.ROOT,
                "CrossEncoderBenchmark.bucketed model=%s maxLength=%s batch=%s x %d threads: %.0f pairs/s",
                size,
                k.params().get("maxLength"),
                k.params().get("batchSize"),
                Math.min(threads, 2),
                pairs));
      }
    }
    double r =
        device.equals("cpu")
            ? ASSUMED_PAIRS_PER_S_CPU
            : ASSUMED_PAIRS_PER_S_CPU * ASSUMED_GPU_SPEEDUP;
    return new Rate(r, false, (long) r + " pairs/s");
  }

  private static boolean tinyModel(Path dir) {
    try {
      JsonNode c = Json.PLAIN.readTree(dir.resolve("config.json").toFile());
      return c.path("hidden_size").asInt(c.path("dim").asInt(384)) < 256;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Completion tokens per second: an earlier run of this generator, else a vLLM assumption. */
  private Rate generationRate(Work w) {
    for (GenerationSummary g : generations) {
      if (w.model().contains(g.generator())
          && g.seconds() > 0
          && g.completionTokens() > 0
          && "simulator".equals(w.device()) == g.simulated()) {
        return new Rate(
            g.tokensPerSecond(),
            true,
            String.format(
                Locale.ROOT,
                "earlier %s run%s: %.0f tokens/s",
                g.generator(),
                g.simulated() ? " (simulator)" : "",
                g.tokensPerSecond()));
      }
    }
    return new Rate(
        ASSUMED_TOKENS_PER_S_GPU,
        false,
        (long) ASSUMED_TOKENS_PER_S_GPU + " completion tokens/s a GPU (vLLM)");
  }

  private double completionTokensPerRequest(String generator) {
    for (GenerationSummary g : generations) {
      if (generator.contains(g.generator()) && g.requests() > 0) {
        return g.completionTokens() / (double) g.requests();
      }
    }
    return ASSUMED_COMPLETION_TOKENS;
  }

  /**
   * Sizes of a dataset: documents, training queries and (query, positive) pairs, evaluation
   * queries.
   */
  record Counts(long documents, long trainQueries, long trainPairs, long evalQueries) {
    Work.Sizes sizes() {
      return new Work.Sizes(documents, trainQueries, trainPairs);
    }
  }

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

  private final Map<String, Counts> counts = new LinkedHashMap<>();

  private Counts counts(ExperimentConfig.DatasetRef ref) {
    return counts.computeIfAbsent(
        ref.name(),
        k -> {
          if (ref.synthetic()) {
            return synthetic(ref.syntheticDocs());
          }
          BeirDataset ds = BeirDataset.open(ref.dir());
          long train = 0;
          long pairs = 0;
          if (ds.splits().contains(config.trainingSplit())) {
            Qrels q = ds.qrels(config.trainingSplit());
            for (String id : q.queryIds()) {
              int n = q.relevant(id).size();
              if (n > 0) {
                train++;
                pairs += n;
              }
            }
          }
          long eval =
              ds.splits().contains(config.evaluation().split())
                  ? ds.qrels(config.evaluation().split()).queryCount()
                  : 0;
          return new Counts(lines(ds.corpusFile()), train, pairs, eval);
        });
  }

  /**
   * A built-in synthetic dataset: DOCS/5 queries, one in five held out for test, one positive each.
   */
  private static Counts synthetic(int docs) {
    long queries = docs / 5;
    return new Counts(docs, queries * 4 / 5, queries * 4 / 5, queries / 5);
  }

  /**
   * Counts of a dataset of an earlier result, when this config names a dataset of that name (or a
   * synthetic one of known size).
   */
  private Counts countsOfDataset(String name) {
    Matcher m = Pattern.compile("synthetic-(\\d+)").matcher(name);
    if (m.matches()) {
      return synthetic(Integer.parseInt(m.group(1)));
    }
    for (ExperimentConfig.DatasetRef d : loaded.datasets()) {
      if (d.name().equals(name)) {
        return counts(d);
      }
    }
    return null;
  }

  private static long lines(Path file) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long n = 0;
      while (r.readLine() != null) {
        n++;
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
