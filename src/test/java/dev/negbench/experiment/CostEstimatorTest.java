package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The work a config's run does, counted stage by stage and priced at the assumed rates (an empty
 * results store measures nothing).
 */
class CostEstimatorTest {
  @TempDir Path dir;

  private CostEstimate estimate(String yaml) throws IOException {
    Path file = dir.resolve("exp.yaml");
    Files.writeString(file, yaml);
    return new CostEstimator(ExperimentConfig.load(file), dir.resolve("no-results"), 2).estimate();
  }

  /** "stage dataset what: items unit on device, seconds s, US$". */
  private static List<String> lines(CostEstimate e) {
    return e.stages().stream()
        .map(
            s ->
                s.stage()
                    + " "
                    + s.dataset()
                    + " "
                    + s.what()
                    + ": "
                    + s.items()
                    + " "
                    + s.unit()
                    + " on "
                    + s.device()
                    + ", "
                    + s.seconds()
                    + " s, "
                    + s.usd())
        .toList();
  }

  @Test
  void everyStageIsCountedAndPricedAtTheAssumedRates() throws IOException {
    CostEstimate e =
        estimate(
            """
            name: plan
            datasets: [synthetic:500]
            sources:
              - {type: bm25, num_negatives: 1}
              - {name: llm, type: llm, generator: qwen3-8b, endpoint: "http://127.0.0.1:9/v1", gpu: H100, num_negatives: 1}
            seeds: [1, 2]
            gpu_prices: {H100: 3.0}
            """);
    // 500 documents, 100 queries: 80 training queries with one positive each, 20 test queries.
    assertEquals(
        List.of(
            "index synthetic-500 BM25 index: 500 documents on cpu, 0.1 s, 0.0",
            "mine synthetic-500 bm25: 80 queries on cpu, 0.1 s, 0.0",
            // 150 completion tokens a request at 2,500 tokens/s, on an H100 at US$ 3 an hour;
            // generated once for both seeds.
            "generate synthetic-500 llm (80 requests, shared by 2 seeds): 12000 tokens on gpu, 4.8"
                + " s, 0.004",
            "train synthetic-500 bm25 (3 steps): 80 triples on cpu, 40.0 s, 0.0",
            "train synthetic-500 bm25 (3 steps): 80 triples on cpu, 40.0 s, 0.0",
            "train synthetic-500 llm (3 steps): 80 triples on cpu, 40.0 s, 0.0",
            "train synthetic-500 llm (3 steps): 80 triples on cpu, 40.0 s, 0.0",
            "encode synthetic-500 zero-shot minilm: 520 texts on cpu, 34.7 s, 0.0",
            "evaluate synthetic-500 4 checkpoints x corpus: 2080 texts on cpu, 231.1 s, 0.0"),
        lines(e));
    assertEquals("plan", e.experiment());
    assertEquals(430.8, e.seconds(), 1e-9);
    assertEquals(0.004, e.usd(), 1e-12);
    assertFalse(e.stages().stream().anyMatch(CostEstimate.Stage::measured));
  }

  @Test
  void generatorsAreCountedWithReplicasTheirGpusAndSharedOrPerSeedGeneration() throws IOException {
    String yaml =
        """
        name: gens
        datasets: [synthetic:500]
        sources:
          - {name: g14, type: llm, generator: %s, endpoints: ["http://a:1/v1", "http://b:1/v1"], gpu: H100, num_negatives: 1%s}
        seeds: [1, 2, 3]
        gpu_prices: {H100: 3.0}
        analysis: {hardness: false}
        """;
    Path profile = Path.of("configs/generators/qwen3-14b.json").toAbsolutePath();
    CostEstimate.Generator shared = estimate(yaml.formatted(profile, "")).generators().get(0);
    // 80 pairs, 150 completion and 280 prompt tokens each, 2,500 tokens/s a GPU: 4.8 GPU-s;
    // two replicas of two GPUs (tensor parallel 2) work in parallel.
    assertEquals(
        new CostEstimate.Generator(
            "g14",
            "qwen3-14b",
            "synthetic-500",
            1,
            80,
            22_400,
            12_000,
            2,
            2,
            0.0013,
            1.2,
            0.004,
            false,
            "2500 completion tokens/s a GPU (vLLM); 280 prompt and 150 completion tokens a request"
                + " (assumed)"),
        shared);
    CostEstimate perSeed = estimate(yaml.formatted(profile, ", per_seed: true"));
    CostEstimate.Generator g = perSeed.generators().get(0);
    assertEquals(3, g.generations());
    assertEquals(240, g.requests());
    assertEquals(36_000, g.completionTokens());
    assertEquals(0.012, g.usd(), 1e-12);
    assertEquals(3, perSeed.stages().stream().filter(s -> s.stage().equals("generate")).count());
    String text = perSeed.toText();
    assertTrue(text.contains("3 (per seed)"), text);
    assertTrue(text.contains("generators: 240 requests"), text);
    assertTrue(
        perSeed.toJson().contains("\"generators\" : [ {\n    \"source\" : \"g14\""),
        perSeed.toJson());
    CostEstimate capped = estimate(yaml.formatted(profile, ", max_requests: 30"));
    assertEquals(30, capped.generators().get(0).requests());
  }

  @Test
  void aDenseSourceSharesTheZeroShotRowsCorpusEmbeddingsOnlyAtItsLength() throws IOException {
    String yaml =
        """
        name: dense
        datasets: [synthetic:500]
        sources:
          - {type: dense, model: minilm, num_negatives: 1, max_length: %d}
        seeds: [1]
        evaluation: {max_length: 128}
        analysis: {hardness: false}
        """;
    assertEquals(
        "encode synthetic-500 dense corpus and queries (corpus shared with zero-shot): 80 texts"
            + " on cpu, 5.3 s, 0.0",
        lines(estimate(yaml.formatted(128))).get(0));
    assertEquals(
        "encode synthetic-500 dense corpus and queries: 580 texts on cpu, 38.7 s, 0.0",
        lines(estimate(yaml.formatted(64))).get(0));
  }

  @Test
  void withTrainOnTheSourcesRunOnceAndEveryDatasetIsEvaluated() throws IOException {
    CostEstimate e =
        estimate(
            """
            name: beir
            train_on: {dataset: synthetic:500}
            datasets: [synthetic:100, synthetic:200]
            sources: [{type: bm25, num_negatives: 1}]
            seeds: [1]
            """);
    assertEquals(
        List.of(
            "index synthetic-500 BM25 index: 500 documents on cpu, 0.1 s, 0.0",
            "mine synthetic-500 bm25: 80 queries on cpu, 0.1 s, 0.0",
            "train synthetic-500 bm25 (3 steps): 80 triples on cpu, 40.0 s, 0.0",
            "encode synthetic-100 zero-shot minilm: 104 texts on cpu, 6.9 s, 0.0",
            "evaluate synthetic-100 1 checkpoints x corpus: 104 texts on cpu, 11.6 s, 0.0",
            "encode synthetic-200 zero-shot minilm: 208 texts on cpu, 13.9 s, 0.0",
            "evaluate synthetic-200 1 checkpoints x corpus: 208 texts on cpu, 23.1 s, 0.0"),
        lines(e));
  }
}
