package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.experiment.sources.Source;
import dev.negbench.experiment.sources.SourceContext;
import dev.negbench.experiment.sources.SourceTypes;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Searcher;
import dev.negbench.mine.HardNegativeMining;
import dev.negbench.model.Fixtures;
import dev.negbench.model.OnnxEncoder;
import dev.negbench.model.TextEncoder;
import dev.negbench.report.Report;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.HardnessSummary;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.ResultsStore;
import dev.negbench.train.TrainingData;
import dev.negbench.train.TrainingExample;
import dev.negbench.train.TrainingReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestration on a tiny synthetic dataset with the tiny fixture models. Training is not this
 * package's: the train stage here copies the base model unchanged (so the trained rows must equal
 * the zero-shot row), which is enough to test wiring, caching and resuming.
 *
 * <p>Covers {@link Pipeline} and, end to end, the classes it drives a dataset with: {@link
 * DatasetStages} (zero-shot, hardness, training), {@link EvaluationStages} (export and eval stages)
 * and {@link DatasetContext} (what the sources below see).
 */
class PipelineTest {
  @TempDir Path dir;

  static TextEncoder onnx(String model, int maxLength, int batchSize, int threads, String device) {
    return OnnxEncoder.open(Path.of(model), maxLength, batchSize, threads, device);
  }

  /** A train stage that "trains" by copying the base model: a checkpoint the encoder can open. */
  static final class CopyBaseModel implements TrainStep {
    final AtomicInteger calls = new AtomicInteger();
    final int failOnCall;

    /** The examples each call trained on, by the text of the negatives file it was given. */
    final Map<String, List<TrainingExample>> trained = new ConcurrentHashMap<>();

    CopyBaseModel(int failOnCall) {
      this.failOnCall = failOnCall;
    }

    @Override
    public TrainingReport train(
        BeirDataset dataset,
        Path negatives,
        TrainingPlan plan,
        long seed,
        Path out,
        Progress.Factory progress) {
      if (calls.incrementAndGet() == failOnCall) {
        throw new IllegalStateException("simulated crash");
      }
      try {
        Path ckpt = Files.createDirectories(out.resolve("checkpoint"));
        for (String f : List.of("model.onnx", "tokenizer.json", "config.json")) {
          Files.copy(Path.of(plan.model()).resolve(f), ckpt.resolve(f));
        }
        // Triples as the trainer counts them: its examples (one per (query, positive)), every
        // epoch.
        List<TrainingExample> examples =
            TrainingData.load(dataset, plan.split(), negatives, plan.negativesPerQuery())
                .examples();
        trained.put(Files.readString(negatives), examples);
        long triples = (long) examples.size() * plan.epochs();
        return new TrainingReport(0, triples, 1.0, 1.0, 0.0, ckpt);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private ExperimentConfig.Loaded config() throws IOException {
    return config(64);
  }

  private ExperimentConfig.Loaded config(int evalMaxLength) throws IOException {
    String bi = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    String ce = Fixtures.dir(Fixtures.CROSS_ENCODER).toString();
    String yaml =
        """
        name: pipe
        datasets: [synthetic:200]
        sources:
          - {type: bm25, num_negatives: 2}
          - {name: bm25-random, type: bm25, num_negatives: 2, sampling: random, range_max: 20}
          - {type: dense, model: %s, num_negatives: 2, max_length: 64}
          - {type: ce, model: %s, num_negatives: 2, candidate_depth: 10, max_length: 64}
          - name: mix
            type: mix
            parts: [{from: bm25, count: 1}, {from: bm25-random, count: 1}]
        seeds: [1, 2]
        training: {model: %s}
        evaluation: {metrics: [ndcg@10, recall@100], top_k: 100, max_length: %d}
        analysis: {reference_model: %s, cross_encoder: %s, max_queries: 8}
        """
            .formatted(bi, ce, bi, evalMaxLength, bi, ce);
    Path file = dir.resolve("pipe-" + evalMaxLength + ".yaml");
    Files.writeString(file, yaml);
    return ExperimentConfig.load(file);
  }

  /**
   * A pipeline over {@code yaml}, written as {@code dir/exp.yaml}, with stages under {@code
   * dir/work} and results under {@code dir/results}: no training (the tests that use it look at
   * negatives and inputs), evaluation through {@link #onnx}, one thread.
   */
  static Pipeline offline(Path dir, String yaml, Consumer<String> log) throws IOException {
    Path file = dir.resolve("exp.yaml");
    Files.writeString(file, yaml);
    return new Pipeline(
        ExperimentConfig.load(file),
        dir.resolve("work"),
        new ResultsStore(dir.resolve("results")),
        new Pipeline.Steps(null, PipelineTest::onnx),
        true,
        1,
        Progress.Factory.NONE,
        log);
  }

  private Pipeline pipeline(ExperimentConfig.Loaded c, Path results, TrainStep train) {
    return pipeline(c, results, train, false);
  }

  private Pipeline pipeline(
      ExperimentConfig.Loaded c, Path results, TrainStep train, boolean skipTraining) {
    return new Pipeline(
        c,
        dir.resolve("work"),
        new ResultsStore(results),
        new Pipeline.Steps(train, PipelineTest::onnx),
        skipTraining,
        2,
        Progress.Factory.NONE,
        s -> {});
  }

  @Test
  void runsEveryCellCachesAndResumesAfterACrash() throws IOException {
    ExperimentConfig.Loaded c = config();
    // A crash in the third training: the first results exist, the rest do not.
    Path crashed = dir.resolve("results-a");
    assertThrows(
        IllegalStateException.class, () -> pipeline(c, crashed, new CopyBaseModel(3)).run());
    Pipeline.Summary resumed = pipeline(c, crashed, new CopyBaseModel(0)).run();
    assertTrue(resumed.stagesReused() > 0, "the rerun reuses what the crashed run finished");
    assertEquals(1 + 5 * 2, resumed.results().size());

    // Everything cached now: a full rerun into a fresh results folder runs nothing and writes the
    // same results.
    Path again = dir.resolve("results-b");
    Pipeline.Summary cached = pipeline(c, again, new CopyBaseModel(0)).run();
    assertEquals(0, cached.stagesRun());
    for (Path cell : new ResultsStore(crashed).cells()) {
      Path other = again.resolve(crashed.relativize(cell));
      for (String f : List.of(ResultsStore.METRICS, ResultsStore.PER_QUERY)) {
        assertArrayEquals(
            Files.readAllBytes(cell.resolve(f)),
            Files.readAllBytes(other.resolve(f)),
            cell + "/" + f);
      }
    }

    List<CellResult> all = new ResultsStore(crashed).readAll();
    assertEquals(11, all.size());
    CellResult zero =
        all.stream().filter(r -> r.source().equals(CellResult.ZERO_SHOT)).findFirst().orElseThrow();
    assertEquals(
        40 / 5,
        zero.queryIds().size(),
        "the test split of synthetic:200 (40 queries, one in five held out)");
    assertTrue(
        zero.metric("recall@100") > 0,
        "random tiny weights still find some positives in 200 documents");
    // Copying the base model leaves the retriever unchanged: every row equals the zero-shot row.
    for (CellResult r : all) {
      assertEquals(zero.metric("ndcg@10"), r.metric("ndcg@10"), 1e-12, r.source());
      assertArrayEquals(zero.perQuery().get("ndcg@10"), r.perQuery().get("ndcg@10"), 1e-12);
    }
    Path cell = crashed.resolve("pipe/synthetic-200/mix/seed-1");
    assertTrue(Files.isRegularFile(cell.resolve(ResultsStore.PROVENANCE)));
    // The fixtures are named as such wherever their results go: provenance and metrics.json.
    String ceProvenance =
        Files.readString(
            crashed.resolve("pipe/synthetic-200/ce/seed-1").resolve(ResultsStore.PROVENANCE));
    assertTrue(
        ceProvenance.contains("\"fixture_models\"")
            && ceProvenance.contains("source ce: ")
            && ceProvenance.contains("base model: "),
        ceProvenance);
    assertTrue(ceProvenance.contains("\"evaluation_engine\" : \"onnxruntime\""), ceProvenance);
    CellResult ceRow = all.stream().filter(r -> r.source().equals("ce")).findFirst().orElseThrow();
    assertTrue(
        String.valueOf(ceRow.training().get("fixture_models")).contains("source ce: "),
        ceRow.training().toString());
    assertFalse(
        String.valueOf(
                all.stream()
                    .filter(r -> r.source().equals("bm25"))
                    .findFirst()
                    .orElseThrow()
                    .training()
                    .get("fixture_models"))
            .contains("source"));
    // ... and the report built from these results marks them.
    Report report = Report.build(crashed);
    assertEquals("ce" + Report.FIXTURE_MARK, report.label("pipe", "synthetic-200", "ce"));
    assertTrue(
        report.fixtureModels("pipe", "synthetic-200", "ce").stream()
            .anyMatch(m -> m.startsWith("source ce: ")),
        report.fixtureNotes().toString());
    HardnessSummary h = HardnessSummary.read(cell.resolve(ResultsStore.HARDNESS));
    assertEquals("mix", h.source());
    assertTrue(h.negatives() > 0 && h.crossEncoderScore() != null, h.toString());
    assertTrue(h.jaccardWithPositive() > 0 && h.jaccardWithPositive() < 1, h.toString());

    // Every source's result carries what its negatives cost: its own part and what it needed first.
    NegativesCost bm25 =
        NegativesCost.read(
            crashed.resolve("pipe/synthetic-200/bm25/seed-1").resolve(ResultsStore.COST));
    assertEquals(
        bm25,
        NegativesCost.read(
            crashed.resolve("pipe/synthetic-200/bm25/seed-2").resolve(ResultsStore.COST)),
        "one stage for both seeds");
    assertEquals(200, bm25.work(NegativesCost.DOCUMENTS_INDEXED), bm25.toString());
    assertTrue(
        bm25.work(NegativesCost.QUERIES_SEARCHED) > 0 && bm25.seconds() > 0 && bm25.usd() > 0,
        bm25.toString());
    assertEquals("cpu", bm25.devices());
    NegativesCost ce =
        NegativesCost.read(
            crashed.resolve("pipe/synthetic-200/ce/seed-1").resolve(ResultsStore.COST));
    assertEquals(
        200,
        ce.work(NegativesCost.DOCUMENTS_INDEXED),
        "the ce source is charged the BM25 index too: " + ce);
    assertTrue(
        ce.work(NegativesCost.PAIRS_SCORED) >= ce.work(NegativesCost.QUERIES_SEARCHED) * 10,
        ce.toString());
    NegativesCost dense =
        NegativesCost.read(
            crashed.resolve("pipe/synthetic-200/dense/seed-1").resolve(ResultsStore.COST));
    assertEquals(
        200,
        dense.work(NegativesCost.DOCUMENTS_ENCODED),
        "dense mining is charged the corpus encoding: " + dense);
    NegativesCost mix = NegativesCost.read(cell.resolve(ResultsStore.COST));
    assertTrue(
        mix.parts().stream().anyMatch(x -> x.what().startsWith("bm25: "))
            && mix.parts().stream().anyMatch(x -> x.what().startsWith("bm25-random: ")),
        mix.toString());

    // Negatives: bm25, bm25-random x 2 seeds, dense, ce, and mix x 2 seeds (its random part makes
    // it per seed).
    List<List<HardNegatives>> files;
    try (Stream<Path> s = Files.list(dir.resolve("work/stages/negatives"))) {
      files =
          s.filter(p -> Files.isRegularFile(p.resolve("negatives.jsonl")))
              .map(p -> NegativesJsonl.read(p.resolve("negatives.jsonl")))
              .toList();
    }
    assertEquals(7, files.size());
    for (List<HardNegatives> rows : files) {
      assertFalse(rows.isEmpty());
      assertTrue(
          rows.stream().allMatch(x -> x.negatives().size() <= 2 && !x.negatives().isEmpty()));
    }
  }

  /**
   * A stand-in for LLM generation, registered as a source type of its own: one passage per query,
   * the query's text repeated, and a generation summary with the GPU the config prices.
   */
  @JsonTypeName("stand-in-generation")
  record StandInGeneration(String name, String generator, String gpu) implements Source {
    @Override
    public Source withName(String name) {
      return new StandInGeneration(name, generator, gpu);
    }

    @Override
    public int negativesPerQuery() {
      return 1;
    }

    @Override
    public boolean seedDependent() {
      return true;
    }

    @Override
    public void make(SourceContext context, long seed, Path out) throws IOException {
      List<String> lines = new ArrayList<>();
      long n = 0;
      for (var q : HardNegativeMining.queriesWithPositives(context.qrels(), context.queries())) {
        var neg = new Negative("gen:" + q.id() + ":0", 1, 0.0, q.text() + " " + q.text());
        lines.add(
            NegativesJsonl.toJson(
                new HardNegatives(
                    q.id(),
                    q.text(),
                    List.copyOf(context.qrels().relevant(q.id())),
                    List.of(neg))));
        n++;
      }
      Files.write(out.resolve(Source.NEGATIVES), lines);
      new GenerationSummary(
              generator,
              "sim",
              4.0,
              "simulator",
              null,
              null,
              true,
              n,
              n,
              n,
              10 * n,
              20 * n,
              100.0,
              5,
              9,
              12,
              null)
          .write(out.resolve(Source.GENERATION));
    }
  }

  @Test
  void generatedNegativesFlowIntoMixesHardnessAndPricedResults() throws IOException {
    SourceTypes.register(StandInGeneration.class);
    String bi = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    Path file = dir.resolve("llm.yaml");
    Files.writeString(
        file,
        """
        name: gen
        datasets: [synthetic:100]
        sources:
          - {type: bm25, num_negatives: 1}
          - {name: llm-sim, type: stand-in-generation, generator: qwen3-4b, gpu: H100}
          - name: mix
            type: mix
            parts: [{from: bm25, count: 1}, {from: llm-sim, count: 1}]
        seeds: [3]
        training: {model: %s}
        evaluation: {zero_shot: false, max_length: 32}
        analysis: {reference_model: %s}
        gpu_prices: {H100: 3.6}
        """
            .formatted(bi, bi));
    ExperimentConfig.Loaded c = ExperimentConfig.load(file);
    pipeline(c, dir.resolve("r"), null, true).run();
    Path llm = dir.resolve("r/gen/synthetic-100/llm-sim/seed-3");
    GenerationSummary g = GenerationSummary.read(llm.resolve(ResultsStore.GENERATION));
    assertEquals("H100", g.gpu());
    assertEquals(3.6, g.gpuHourUsd());
    assertEquals(3.6 * 100 / 3600 / g.negatives() * 1000, g.usdPer1000Negatives(), 1e-12);
    HardnessSummary h = HardnessSummary.read(llm.resolve(ResultsStore.HARDNESS));
    assertEquals(h.queries(), h.negatives());
    assertTrue(h.cosineToQuery() > 0.5, "a passage made of the query is close to it: " + h);
    HardnessSummary mix =
        HardnessSummary.read(
            dir.resolve("r/gen/synthetic-100/mix/seed-3").resolve(ResultsStore.HARDNESS));
    assertEquals(
        2 * mix.queries(), mix.negatives(), "one mined and one generated negative per query");
  }

  /**
   * The paper's arms train on the same (query, positive) pairs: generation per positive (the {@code
   * llm} source on the in-process simulator) yields as many triples as BM25 with one negative per
   * query, {@code positives: first} one per query, and a mix of BM25 and per-positive rows stays
   * per pair, each pair with its mined and its own generated negative.
   */
  @Test
  void generatedAndMinedArmsTrainOnTheSamePairs() throws IOException {
    String bi = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    Path generator = Path.of("configs/generators/qwen3-4b.json").toAbsolutePath();
    Path simulator = Path.of("configs/generators/sim/instant.json").toAbsolutePath();
    Path file = dir.resolve("pairs.yaml");
    Files.writeString(
        file,
        """
        name: pairs
        datasets: [synthetic:100]
        sources:
          - {type: bm25, num_negatives: 1}
          - {name: llm, type: llm, generator: %s, simulator: %s, num_negatives: 1}
          - {name: llm-first, type: llm, generator: %s, simulator: %s, num_negatives: 1, positives: first}
          - name: mix
            type: mix
            parts: [{from: bm25, count: 1}, {from: llm, count: 1}]
        seeds: [3]
        training: {model: %s}
        evaluation: {zero_shot: false, max_length: 32}
        analysis: {hardness: false}
        """
            .formatted(generator, simulator, generator, simulator, bi));
    CopyBaseModel train = new CopyBaseModel(0);
    pipeline(ExperimentConfig.load(file), dir.resolve("r"), train).run();
    // synthetic:100: 16 train queries with 20 positives.
    Map<String, Long> triples = new TreeMap<>();
    for (String source : List.of("bm25", "llm", "llm-first", "mix")) {
      CellResult r =
          ResultsStore.read(dir.resolve("r/pairs/synthetic-100").resolve(source).resolve("seed-3"));
      triples.put(source, ((Number) r.training().get("triples")).longValue());
    }
    assertEquals(Map.of("bm25", 20L, "llm", 20L, "llm-first", 16L, "mix", 20L), triples);

    List<HardNegatives> mix = negativesOf("\"mix\"");
    assertEquals(20, mix.size());
    long withBoth = 0;
    for (HardNegatives h : mix) {
      assertTrue(h.perPositive(), h.toString());
      assertFalse(h.negatives().get(0).inline(), "the BM25 negative first: " + h);
      if (h.negatives().size() == 2) {
        assertTrue(
            h.negatives()
                .get(1)
                .docId()
                .startsWith("gen:" + h.queryId() + ":" + h.positiveId() + ":"),
            h.toString());
        withBoth++;
      }
    }
    assertTrue(withBoth > 15, withBoth + " of 20 pairs have a generated negative of their own");

    // The mix trains on every negative of its parts: each pair's group holds its BM25 and its
    // generated negative, and all it trains on is exactly what bm25 and llm trained on.
    List<TrainingExample> mixed = train.trained.get(Files.readString(negativesFile("\"mix\"")));
    assertEquals(20, mixed.size(), "one example per (query, positive) pair, as every source");
    assertEquals(withBoth, mixed.stream().filter(e -> e.negatives().size() == 2).count());
    Set<String> parts = new TreeSet<>();
    for (Path part :
        List.of(
            negativesFile("\"type\":\"bm25\""),
            negativesFile("\"type\":\"llm\"", "\"positives\":\"all\""))) {
      for (TrainingExample e : train.trained.get(Files.readString(part))) {
        parts.addAll(e.negatives());
      }
    }
    Set<String> fromMix = new TreeSet<>();
    mixed.forEach(e -> fromMix.addAll(e.negatives()));
    assertEquals(parts, fromMix);
  }

  /**
   * A source type added by registering one class: for each query, the top BM25 hit of the next
   * query (in qrels order) that is not one of its own positives, i.e. a negative that is hard for a
   * different query. It runs through the whole pipeline, training included.
   */
  @JsonTypeName("bm25-other-query")
  record OtherQueryBm25Source(String name) implements Source {
    @Override
    public Source withName(String name) {
      return new OtherQueryBm25Source(name);
    }

    @Override
    public int negativesPerQuery() {
      return 1;
    }

    @Override
    public void make(SourceContext context, long seed, Path out) {
      var todo = HardNegativeMining.queriesWithPositives(context.qrels(), context.queries());
      var searcher = new Bm25Searcher(context.bm25());
      List<HardNegatives> rows = new ArrayList<>();
      for (int i = 0; i < todo.size(); i++) {
        var q = todo.get(i);
        var other = todo.get((i + 1) % todo.size());
        var positives = context.qrels().relevant(q.id());
        searcher.search(other.text(), 10, other.id()).stream()
            .filter(hit -> !positives.contains(hit.docId()))
            .findFirst()
            .ifPresent(
                hit ->
                    rows.add(
                        new HardNegatives(
                            q.id(),
                            q.text(),
                            List.copyOf(positives),
                            List.of(new Negative(hit.docId(), 1, hit.score())))));
      }
      NegativesJsonl.write(out.resolve(Source.NEGATIVES), rows);
    }
  }

  @Test
  void aSourceTypeIsOneRegisteredClass() throws IOException {
    SourceTypes.register(OtherQueryBm25Source.class);
    String bi = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    Path file = dir.resolve("other.yaml");
    Files.writeString(
        file,
        """
        name: other
        datasets: [synthetic:100]
        sources:
          - {type: bm25, num_negatives: 1}
          - {name: other-query, type: bm25-other-query}
        seeds: [5]
        training: {model: %s}
        evaluation: {zero_shot: false, max_length: 32}
        analysis: {hardness: false}
        """
            .formatted(bi));
    ExperimentConfig.Loaded c = ExperimentConfig.load(file);
    assertEquals("bm25-other-query", c.source("other-query").type());
    CopyBaseModel train = new CopyBaseModel(0);
    Pipeline.Summary s = pipeline(c, dir.resolve("r"), train).run();
    assertEquals(2, s.results().size(), "bm25 and the new source, one seed each");
    assertEquals(2, train.calls.get());
    CellResult r = ResultsStore.read(dir.resolve("r/other/synthetic-100/other-query/seed-5"));
    assertEquals("bm25-other-query", r.sourceType());
    assertTrue(
        r.training().get("triples") instanceof Number n && n.longValue() > 0,
        r.training().toString());

    // Its negatives: never a positive of the query, and mostly not what BM25 mines for the query
    // itself.
    Map<String, String> mined = firstNegatives(negativesOf("\"bm25\""));
    Map<String, String> other = firstNegatives(negativesOf("\"bm25-other-query\""));
    assertEquals(mined.keySet(), other.keySet(), "every query with a positive gets one");
    long differ =
        other.entrySet().stream().filter(x -> !x.getValue().equals(mined.get(x.getKey()))).count();
    assertTrue(
        differ > other.size() / 2,
        differ + " of " + other.size() + " differ from the query's own BM25 negative");

    // An unregistered type name is still an error naming the registered ones, this one among them.
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: x\ndatasets: [synthetic:100]\nsources: [{type: bm25-other}]\n");
    var e = assertThrows(DatasetFormatException.class, () -> ExperimentConfig.load(bad));
    assertTrue(e.getMessage().contains("bm25-other-query"), e.getMessage());
  }

  /**
   * The BEIR protocol: every source mines and trains once on the training collection, and each
   * checkpoint is evaluated on every dataset, one of which has only a test split.
   */
  @Test
  void trainOnOneCollectionEvaluateOnOthers() throws IOException {
    String bi = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    Path testOnly = dir.resolve("test-only");
    SyntheticDataset.write(new SyntheticDataset.Settings(150, 30, 7), testOnly);
    Files.delete(testOnly.resolve("qrels/train.tsv"));
    Path file = dir.resolve("beir.yaml");
    Files.writeString(
        file,
        """
        name: beir
        train_on: {dataset: synthetic:200, split: train}
        datasets: [synthetic:100, test-only]
        sources:
          - {type: bm25, num_negatives: 1}
          - {name: bm25-random, type: bm25, num_negatives: 1, sampling: random, range_max: 20}
        seeds: [1, 2]
        training: {model: %s}
        evaluation: {max_length: 32}
        analysis: {reference_model: %s, max_queries: 5}
        """
            .formatted(bi, bi));
    ExperimentConfig.Loaded c = ExperimentConfig.load(file);
    assertEquals("synthetic-200", c.trainOn().name());
    CopyBaseModel train = new CopyBaseModel(0);
    Pipeline.Summary s = pipeline(c, dir.resolve("r"), train).run();
    // Zero-shot on each of the two datasets, and 2 sources x 2 seeds trained once, evaluated on
    // both.
    assertEquals(2 + 2 * 2 * 2, s.results().size());
    assertEquals(2 * 2, train.calls.get(), "each (source, seed) trains once");
    for (String dataset : List.of("synthetic-100", "test-only")) {
      Path cell = dir.resolve("r/beir").resolve(dataset).resolve("bm25-random/seed-2");
      CellResult r = ResultsStore.read(cell);
      assertEquals(dataset, r.dataset());
      assertEquals("synthetic-200", r.training().get("trained_on"));
      assertTrue(
          Files.readString(cell.resolve(ResultsStore.PROVENANCE))
              .contains("\"trained_on\" : \"synthetic-200\""));
      assertTrue(
          Files.isRegularFile(cell.resolve(ResultsStore.HARDNESS)),
          "hardness of the training negatives beside each result");
    }
    // The negatives were mined on the training collection only: bm25 once, bm25-random per seed.
    assertEquals(3, countStages("negatives"));

    // A dataset only evaluated needs no training split; the training collection needs its split.
    Path noSplit = dir.resolve("no-split.yaml");
    Files.writeString(
        noSplit,
        "name: x\ntrain_on: {dataset: test-only, split: train}\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\n");
    var e = assertThrows(DatasetFormatException.class, () -> ExperimentConfig.load(noSplit));
    assertTrue(
        e.getMessage().contains("field 'train_on.dataset'")
            && e.getMessage().contains("no qrels/train.tsv"),
        e.getMessage());
    assertEquals(2, e.line(), e.getMessage());
  }

  /**
   * A model by Hugging Face name, from the local cache layout: the tiny DistilBERT fixture as
   * {@code huggingface-cli download} would leave it (safetensors, no ONNX), trained for real on DJL
   * and evaluated through its checkpoint.
   */
  @Test
  void trainsAModelNamedAsOnTheHub() throws Exception {
    Path hub = dir.resolve("hf/hub");
    Fixtures.hfCacheEntry(hub, "test-org/distilbert-tiny", Fixtures.BI_ENCODER);
    Path file = dir.resolve("hub.yaml");
    Files.writeString(
        file,
        """
        name: hub
        datasets: [synthetic:100]
        sources: [{type: bm25, num_negatives: 1}]
        seeds: [1]
        training: {model: test-org/distilbert-tiny, batch_size: 4, max_query_length: 16, max_passage_length: 32}
        evaluation: {zero_shot: false, max_length: 32, top_k: 100}
        analysis: {hardness: false}
        """);
    try (AutoCloseable hubCache = Fixtures.hubCache(hub)) {
      ExperimentConfig.Loaded c = ExperimentConfig.load(file);
      Pipeline p =
          new Pipeline(
              c,
              dir.resolve("work"),
              new ResultsStore(dir.resolve("r")),
              Pipeline.Steps.standard(dir.resolve("work")),
              false,
              2,
              Progress.Factory.NONE,
              s -> {});
      assertEquals(1, p.run().results().size());
      CellResult r = ResultsStore.read(dir.resolve("r/hub/synthetic-100/bm25/seed-1"));
      assertTrue(((Number) r.training().get("steps")).longValue() > 0, r.training().toString());
      assertTrue(r.metric("ndcg@10") >= 0, r.metrics().toString());

      // Without the cache entry, the config fails before any work, naming where it looked.
      System.setProperty("negbench.hf_hub_cache", dir.resolve("empty-hub").toString());
      var e = assertThrows(DatasetFormatException.class, () -> ExperimentConfig.load(file));
      assertTrue(
          e.getMessage().contains("field 'training.model'")
              && e.getMessage().contains("huggingface-cli download test-org/distilbert-tiny")
              && e.getMessage().contains("models--test-org--distilbert-tiny"),
          e.getMessage());
    }
  }

  /**
   * Hardness encodes with the evaluation's max length, so that length is part of its stage key: a
   * config that changes it must not reuse hardness measured at another length (it once did, and a
   * result depended on which embeddings an earlier run had left in the cache).
   */
  @Test
  void hardnessIsRecomputedWhenTheEncodingLengthChanges() throws IOException {
    Pipeline.Summary first = pipeline(config(64), dir.resolve("results-64"), null, true).run();
    long hardness64 = countStages("hardness");
    assertTrue(first.stagesRun() > 0 && hardness64 > 0);
    Pipeline.Summary again = pipeline(config(64), dir.resolve("results-64b"), null, true).run();
    assertEquals(0, again.stagesRun(), "same config, everything cached");
    pipeline(config(32), dir.resolve("results-32"), null, true).run();
    assertEquals(
        2 * hardness64, countStages("hardness"), "every hardness stage again at 32 tokens");
  }

  /** The negatives file of the one negatives stage whose key.json contains {@code marker}. */
  private List<HardNegatives> negativesOf(String marker) throws IOException {
    List<HardNegatives> rows = NegativesJsonl.read(negativesFile(marker));
    for (HardNegatives h : rows) {
      assertTrue(
          h.negatives().stream().noneMatch(n -> h.positiveIds().contains(n.docId())), h.toString());
    }
    return rows;
  }

  /**
   * The negatives file of the one negatives stage whose key contains every one of {@code marker}.
   */
  private Path negativesFile(String... marker) throws IOException {
    try (Stream<Path> st = Files.list(dir.resolve("work/stages/negatives"))) {
      List<Path> hits =
          st.filter(x -> Files.isRegularFile(x.resolve("key.json")))
              .filter(
                  x -> {
                    try {
                      String key = Files.readString(x.resolve("key.json")).replace(" ", "");
                      return Arrays.stream(marker).allMatch(key::contains);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  })
              .toList();
      assertEquals(1, hits.size(), Arrays.toString(marker) + " in " + hits);
      return hits.get(0).resolve(Source.NEGATIVES);
    }
  }

  private static Map<String, String> firstNegatives(List<HardNegatives> rows) {
    Map<String, String> m = new TreeMap<>();
    rows.forEach(h -> m.put(h.queryId(), h.negatives().get(0).docId()));
    return m;
  }

  private long countStages(String stage) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("work/stages").resolve(stage))) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
    }
  }

  /**
   * A config of one ce source training its reranker from the DistilBERT fixture; {@code more} ends
   * the train block.
   */
  private ExperimentConfig.Loaded ceTrainConfig(String name, String more, String seeds)
      throws IOException {
    String bi = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    String yaml =
        """
        name: %s
        datasets: [synthetic:200]
        sources:
          - {type: ce, model: %s, num_negatives: 1, candidate_depth: 10, max_length: 32,
             train: {negatives: 2, candidate_range: 10, batch_size: 4, learning_rate: 1.0e-3, max_length: 32%s}}
        seeds: %s
        training: {model: %s}
        evaluation: {metrics: [ndcg@10], top_k: 10, max_length: 32, zero_shot: false}
        analysis: {hardness: false}
        """
            .formatted(name, bi, more, seeds, bi);
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return ExperimentConfig.load(file);
  }

  /**
   * A ce source with a train block fine-tunes its reranker once (here from the DistilBERT fixture),
   * mines with it, and reuses it.
   */
  @Test
  void aCeSourceTrainsItsRerankerOnceAndMinesWithIt() throws IOException {
    ExperimentConfig.Loaded c = ceTrainConfig("ce-train", "", "[1, 2]");
    pipeline(c, dir.resolve("r"), null, true).run();
    List<Path> trained;
    try (Stream<Path> s = Files.list(dir.resolve("work/training-ce"))) {
      trained = s.toList();
    }
    assertEquals(1, trained.size(), "one reranker for both seeds");
    Path onnx = trained.get(0).resolve("onnx");
    assertTrue(
        Files.isRegularFile(onnx.resolve("model.onnx"))
            && Files.isRegularFile(trained.get(0).resolve("model/training.json")));
    List<List<HardNegatives>> files;
    try (Stream<Path> s = Files.list(dir.resolve("work/stages/negatives"))) {
      files =
          s.filter(p -> Files.isRegularFile(p.resolve("negatives.jsonl")))
              .map(p -> NegativesJsonl.read(p.resolve("negatives.jsonl")))
              .toList();
    }
    assertEquals(1, files.size(), "top sampling: one negatives stage for both seeds");
    assertFalse(files.get(0).isEmpty());
    long modified = Files.getLastModifiedTime(onnx.resolve("model.onnx")).toMillis();
    assertEquals(
        0, pipeline(c, dir.resolve("r"), null, true).run().stagesRun(), "everything reused");
    assertEquals(modified, Files.getLastModifiedTime(onnx.resolve("model.onnx")).toMillis());
  }

  /**
   * A train block's {@code then} trains the first round's model again on negatives mined afresh
   * with its own seed, in a folder of its own; only the last round is exported, and a second run
   * reuses both.
   */
  @Test
  void aSecondRoundTrainsTheFirstRoundsModelFurther() throws IOException {
    ExperimentConfig.Loaded c =
        ceTrainConfig(
            "ce-rounds",
            ",\n         then: {negatives: 2, candidate_range: 10, batch_size: 4, learning_rate: 5.0e-4, max_length: 32, seed: 2}",
            "[1]");
    pipeline(c, dir.resolve("r"), null, true).run();
    List<Path> rounds;
    try (Stream<Path> s = Files.list(dir.resolve("work/training-ce"))) {
      rounds = s.sorted().toList();
    }
    assertEquals(2, rounds.size(), "one folder a round");
    Path first =
        rounds.stream().filter(r -> !Files.exists(r.resolve("onnx"))).findFirst().orElseThrow();
    Path second =
        rounds.stream()
            .filter(r -> Files.exists(r.resolve("onnx/model.onnx")))
            .findFirst()
            .orElseThrow();
    assertNotEquals(first, second, "only the last round is exported");
    JsonNode inputs =
        Json.MAPPER.readTree(second.resolve("model/training.json").toFile()).get("inputs");
    assertEquals(
        first.resolve("model").toString(),
        inputs.get("model").asText(),
        "the second round starts from the first's model");
    assertNotEquals(
        Files.readString(first.resolve("bm25-negatives.jsonl")),
        Files.readString(second.resolve("bm25-negatives.jsonl")),
        "each round mines with its own seed");
    // The source's cost holds both rounds' training, each at the seconds its training.json records.
    NegativesCost cost =
        NegativesCost.read(
            dir.resolve("r/ce-rounds/synthetic-200/ce/seed-1").resolve(ResultsStore.COST));
    List<String> parts = cost.parts().stream().map(NegativesCost.Part::what).toList();
    int[] at = {
      parts.indexOf("cross-encoder trained, round 1 (" + steps(first) + " steps)"),
      parts.indexOf("cross-encoder trained, round 2 (" + steps(second) + " steps)")
    };
    assertTrue(at[0] > 0 && at[1] > at[0], parts.toString());
    for (int i = 0; i < 2; i++) {
      Path run = (i == 0 ? first : second).resolve("model/training.json");
      JsonNode done = Json.MAPPER.readTree(run.toFile());
      NegativesCost.Part part = cost.parts().get(at[i]);
      assertEquals(done.get("seconds").asDouble(), part.seconds(), 0, run.toString());
      assertTrue(part.seconds() > 0 && part.usdPerHour() != null);
      assertEquals(
          done.get("triples").asLong() * 3,
          part.work().get(NegativesCost.PAIRS_TRAINED),
          "groups of a positive and 2 negatives");
    }
    long modified = Files.getLastModifiedTime(second.resolve("onnx/model.onnx")).toMillis();
    assertEquals(
        0, pipeline(c, dir.resolve("r"), null, true).run().stagesRun(), "everything reused");
    assertEquals(modified, Files.getLastModifiedTime(second.resolve("onnx/model.onnx")).toMillis());
  }

  private static long steps(Path round) throws IOException {
    return Json.MAPPER
        .readTree(round.resolve("model/training.json").toFile())
        .get("steps")
        .asLong();
  }

  @Test
  void unwiredTrainingFailsBeforeAnyWork() throws IOException {
    ExperimentConfig.Loaded c = config();
    Pipeline p = pipeline(c, dir.resolve("r"), null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p::run);
    assertTrue(e.getMessage().contains("no training step"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("work")));
  }

  @Test
  void stageCacheSkipsFinishedStagesAndClearsCrashedOnes() throws IOException {
    StageCache cache = new StageCache(dir.resolve("cache"));
    AtomicInteger runs = new AtomicInteger();
    Map<String, Object> key = Map.of("b", 2, "a", 1);
    assertThrows(
        UncheckedIOException.class,
        () ->
            cache.run(
                "s",
                key,
                out -> {
                  Files.writeString(out.resolve("half"), "x");
                  throw new IOException("crash");
                }));
    StageCache.Entry first =
        cache.run(
            "s",
            key,
            out -> {
              runs.incrementAndGet();
              Files.writeString(out.resolve("f"), "ok");
            });
    assertFalse(first.reused());
    assertFalse(Files.exists(first.dir().resolve("half")));
    StageCache.Entry second = cache.run("s", Map.of("a", 1, "b", 2), out -> runs.incrementAndGet());
    assertTrue(second.reused());
    assertEquals(first.dir(), second.dir());
    assertEquals(1, runs.get());
    assertTrue(Files.isRegularFile(first.dir().resolve(StageCache.DONE)));
    try (Stream<Path> s = Files.list(dir.resolve("cache/s"))) {
      assertEquals(1, s.count(), "no temporary folders left");
    }
    StageCache.Entry other = cache.run("s", Map.of("a", 1, "b", 3), out -> {});
    assertFalse(other.dir().equals(first.dir()));
  }
}
