package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.experiment.sources.Work;
import dev.negbench.io.AtomicFiles;
import dev.negbench.model.Fixtures;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.Provenance;
import dev.negbench.results.ResultsStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughputs read from a results store: earlier results, their provenance and generation
 * summaries, and JMH kernels. Covers {@link Throughput} too.
 */
class MeasuredRatesTest {
  @TempDir Path dir;

  private static final ExperimentConfig CONFIG =
      new ExperimentConfig("exp", null, null, null, null, null, null, null, null, null, null);

  /** A result of 40 queries on synthetic-1000 that took {@code wall} seconds. */
  private void result(
      ResultsStore store,
      String experiment,
      String source,
      Map<String, Object> training,
      double wall) {
    List<String> ids = new ArrayList<>();
    for (int q = 0; q < 40; q++) {
      ids.add("q" + q);
    }
    CellResult r =
        new CellResult(
            experiment,
            "synthetic-1000",
            source,
            source,
            1,
            "test",
            true,
            Map.of("ndcg@10", 0.5),
            ids,
            Map.of("ndcg@10", new double[40]),
            training);
    store.write(
        r, Provenance.of("abc", dir.resolve("exp.yaml"), "sha", Map.of(), "cpu", wall, null));
  }

  private MeasuredRates rates(int threads) {
    return new MeasuredRates(
        dir.resolve("results"),
        CONFIG,
        threads,
        name -> name.equals("synthetic-1000") ? DatasetCounts.synthetic(1000) : null);
  }

  private void writeStore() {
    ResultsStore store = new ResultsStore(dir.resolve("results"));
    result(store, "exp", CellResult.ZERO_SHOT, Map.of("trained", false), 104);
    Map<String, Object> trained =
        Map.of("trained", true, "seconds", 50, "triples", 160, "device", "cpu", "model", "minilm");
    result(store, "exp", "bm25", trained, 154);
    result(
        store,
        "other",
        "bm25",
        Map.of("trained", true, "seconds", 20, "triples", 160, "device", "cpu", "model", "minilm"),
        0);
    new GenerationSummary(
            "qwen3-4b",
            "Qwen/Qwen3-4B",
            4.0,
            null,
            "H100",
            null,
            true,
            40,
            50,
            50,
            9000,
            5000,
            10,
            1,
            2,
            3,
            1)
        .write(store.cellDir("exp", "synthetic-1000", "bm25", 1).resolve(ResultsStore.GENERATION));
    AtomicFiles.writeString(
        dir.resolve("results/jmh/kernels.json"),
        "["
            + kernel("Bm25MiningBenchmark.mine", "{\"docs\": \"10000\", \"threads\": \"2\"}", 2000)
            + ","
            + kernel("Bm25MiningBenchmark.mine", "{\"docs\": \"1000000\", \"threads\": \"2\"}", 500)
            + ","
            + kernel("Bm25MiningBenchmark.mine", "{\"docs\": \"10000\", \"threads\": \"1\"}", 1200)
            + ","
            + kernel(
                "CrossEncoderBenchmark.bucketed",
                "{\"model\": \"tiny\", \"device\": \"cpu\", \"maxLength\": \"512\", \"batchSize\": \"16\"}",
                10)
            + "]");
  }

  private static String kernel(String name, String params, double score) {
    return "{\"benchmark\": \"dev.negbench.bench."
        + name
        + "\", \"params\": "
        + params
        + ", \"primaryMetric\": {\"score\": "
        + score
        + "}}";
  }

  @Test
  void encodingIsTimedByEarlierResultsOnTheCpu() {
    writeStore();
    MeasuredRates r = rates(2);
    // (1,000 documents + 40 queries) / 104 s.
    assertEquals(
        Optional.of(new Throughput(10, true, "exp synthetic-1000/zero-shot: 10.0 texts/s")),
        r.encode(false, "cpu"));
    // The trained row's wall time less its training: 154 - 50 s.
    assertEquals(
        Optional.of(
            new Throughput(
                10,
                true,
                "exp synthetic-1000/bm25: 10.0 texts/s with its checkpoint, mining and hardness"
                    + " included")),
        r.encode(true, "cpu"));
    assertEquals(Optional.empty(), r.encode(false, "cuda"), "nothing measured on a GPU");
  }

  @Test
  void trainingIsTheMedianOverEarlierTrainedResultsOfTheModel() {
    writeStore();
    // This experiment's result alone (160 triples in 50 s), since it has one: another
    // experiment may train at other lengths.
    assertEquals(
        Optional.of(new Throughput(3.2, true, "exp synthetic-1000/bm25: 3.20 triples/s")),
        rates(2).training("cpu"));
    assertEquals(Optional.empty(), rates(2).training("cuda"));
    // A new experiment reads every one: 160 triples in 50 s and in 20 s, the lower middle.
    ExperimentConfig fresh =
        new ExperimentConfig("new", null, null, null, null, null, null, null, null, null, null);
    assertEquals(
        Optional.of(
            new Throughput(
                3.2, true, "median of 2 results, exp synthetic-1000/bm25: 3.20 triples/s")),
        new MeasuredRates(dir.resolve("results"), fresh, 2, name -> null).training("cpu"));
  }

  @Test
  void kernelsGiveBm25AndCrossEncoderRatesAtTheNearestSize() {
    writeStore();
    MeasuredRates two = rates(8);
    assertEquals(
        "Bm25MiningBenchmark.mine docs=10000 threads=2: 2000 queries/s",
        two.bm25(1000).orElseThrow().basis());
    assertEquals(500, two.bm25(500_000).orElseThrow().perSecond());
    assertEquals(1200, rates(1).bm25(1000).orElseThrow().perSecond(), "the kernel's thread count");
    Path tiny = Fixtures.dir(Fixtures.CROSS_ENCODER);
    Throughput pairs = two.pairs(tiny, "cpu").orElseThrow();
    assertEquals(10 * 16 * 2, pairs.perSecond(), "calls/s x batch x min(threads, 2)");
    assertTrue(pairs.measured() && pairs.basis().startsWith("CrossEncoderBenchmark.bucketed"));
    assertEquals(Optional.empty(), two.pairs(dir.resolve("no-model"), "cpu"), "a MiniLM-sized one");
    assertEquals(Optional.empty(), two.pairs(tiny, "cuda"));
  }

  @Test
  void generationIsTimedByAnEarlierRunOfTheGenerator() {
    writeStore();
    MeasuredRates r = rates(2);
    Work simulated =
        new Work(
            "generate", "llm", 100, Work.Kind.GENERATE_REQUESTS, "simulator", "gen/qwen3-4b.json");
    assertEquals(
        Optional.of(
            new Throughput(500, true, "earlier qwen3-4b run (simulator): 500 tokens/s on 1 GPU")),
        r.generation(simulated));
    Work real =
        new Work("generate", "llm", 100, Work.Kind.GENERATE_REQUESTS, "H100", "gen/qwen3-4b.json");
    assertEquals(Optional.empty(), r.generation(real), "a simulated run does not time a real one");
    assertEquals(OptionalDouble.of(100), r.completionTokensPerRequest(simulated));
    assertEquals(OptionalDouble.of(180), r.promptTokensPerRequest(simulated));
    assertEquals(
        OptionalDouble.empty(),
        r.completionTokensPerRequest(real),
        "a simulator's token counts do not stand for a real server's");
    Work other =
        new Work(
            "generate", "llm", 100, Work.Kind.GENERATE_REQUESTS, "simulator", "gen/qwen3-8b.json");
    assertEquals(OptionalDouble.empty(), r.completionTokensPerRequest(other));
  }

  @Test
  void anEmptyStoreMeasuresNothing() {
    MeasuredRates r = rates(2);
    assertTrue(
        r.encode(false, "cpu").isEmpty()
            && r.training("cpu").isEmpty()
            && r.bm25(1000).isEmpty()
            && r.pairs(Fixtures.dir(Fixtures.CROSS_ENCODER), "cpu").isEmpty()
            && r.completionTokensPerRequest(
                    new Work(
                        "generate", "llm", 1, Work.Kind.GENERATE_REQUESTS, "simulator", "qwen3-4b"))
                .isEmpty());
  }
}
