package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.download.BeirZips;
import dev.negbench.io.Json;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce --plan}: no work, an estimate per stage from measured rates, close to what the
 * run took.
 */
class PlanCommandTest {
  @TempDir Path tmp;

  @Test
  void scifactsPlanIsWithinAFactorOfTwoOfItsMeasuredWallTime() throws IOException {
    assumeTrue(
        Files.isDirectory(Path.of("../shared/data/scifact")), "../shared/data/scifact is not here");
    CliTest.Outcome o =
        CliTest.run(
            "reproduce",
            "--plan",
            "--format",
            "json",
            "--config",
            "configs/scifact.yaml",
            "--results",
            "results",
            "--work",
            tmp.resolve("work").toString());
    assertEquals(0, o.code(), o.err());
    JsonNode plan = Json.PLAIN.readTree(o.out());
    double estimated = plan.path("total").path("seconds").asDouble();
    // A cell's wall_seconds holds the stages it ran itself (training, encoding, evaluation); a
    // source's negatives stage, shared by its seeds, and what it built (BM25 index, corpus
    // embeddings, cross-encoder rounds) are in each seed's cost.json: counted once per source.
    double measured = 0;
    Set<String> sources = new TreeSet<>();
    try (Stream<Path> cells = Files.walk(Path.of("results/scifact"))) {
      for (Path p : cells.filter(Files::isRegularFile).sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.equals("provenance.json")) {
          measured += Json.PLAIN.readTree(p.toFile()).path("wall_seconds").asDouble();
        } else if (name.equals("cost.json")) {
          JsonNode cost = Json.PLAIN.readTree(p.toFile());
          if (sources.add(cost.path("source").asText())) {
            for (JsonNode part : cost.path("parts")) {
              measured += part.path("seconds").asDouble();
            }
          }
        }
      }
    }
    assertTrue(sources.size() >= 3, "cost.json of the committed sources: " + sources);
    assertTrue(measured > 1000, "the committed SciFact run: " + measured + " s");
    assertTrue(
        estimated > measured / 2 && estimated < measured * 2,
        "estimated " + estimated + " s against measured " + measured + " s");
    assertTrue(plan.path("stages").size() >= 7, plan.toString());
    for (JsonNode s : plan.path("stages")) {
      assertTrue(
          s.has("stage")
              && s.has("items")
              && s.has("device")
              && s.has("seconds")
              && s.has("usd")
              && s.has("measured"),
          s.toString());
    }
    assertFalse(Files.exists(tmp.resolve("work")), "a plan does no work");
  }

  /**
   * The SciFact check above compares the plan with the very runs its rates were read from. Here the
   * plan is checked against a run whose rates it did not read: a config on a synthetic collection
   * of a size no committed result has (600 documents; the demo's is 1,000), planned from the
   * committed results/, then run from scratch; the plan's total lands within 2x of the run's wall
   * time.
   */
  @Test
  void aPlanForDataWithoutResultsIsWithinAFactorOfTwoOfItsRun() throws IOException {
    try (Stream<Path> committed = Files.walk(Path.of("results"))) {
      assertTrue(
          committed.noneMatch(p -> p.getFileName().toString().equals("synthetic-600")),
          "results/ has results for synthetic-600, so the plan would read its own run's rates");
    }
    Path config = tmp.resolve("unseen.yaml");
    Files.writeString(
        config,
        """
        name: plan-unseen
        datasets: [synthetic:600]
        sources:
          - {type: bm25, num_negatives: 1}
        seeds: [1]
        training: {model: minilm, epochs: 1, batch_size: 16, learning_rate: 2.0e-5,
                   max_query_length: 32, max_passage_length: 64, negatives_per_query: 1}
        evaluation: {split: test, metrics: [ndcg@10], top_k: 100, max_length: 64}
        """);
    CliTest.Outcome planned =
        CliTest.run(
            "reproduce",
            "--plan",
            "--format",
            "json",
            "--config",
            config.toString(),
            "--results",
            "results");
    assertEquals(0, planned.code(), planned.err());
    JsonNode plan = Json.PLAIN.readTree(planned.out());
    boolean measured = false;
    for (JsonNode s : plan.path("stages")) {
      measured |= s.path("measured").asBoolean();
    }
    assertTrue(measured, "no rate read from results/: " + planned.out());
    double estimated = plan.path("total").path("seconds").asDouble();

    long start = System.nanoTime();
    CliTest.Outcome run =
        CliTest.run(
            "reproduce",
            "--config",
            config.toString(),
            "--results",
            tmp.resolve("results").toString(),
            "--work",
            tmp.resolve("work").toString());
    double wall = (System.nanoTime() - start) / 1e9;
    assertEquals(0, run.code(), run.err());
    assertTrue(
        estimated > wall / 2 && estimated < wall * 2,
        "planned " + estimated + " s against a run of " + wall + " s: " + planned.out());
  }

  @Test
  void withNothingMeasuredEveryRateIsAnAssumptionAndGenerationIsPriced() throws IOException {
    Path config = tmp.resolve("exp.yaml");
    Files.writeString(
        config,
        """
        name: plan
        datasets: [synthetic:500]
        sources:
          - {type: bm25, num_negatives: 1}
          - {name: llm, type: llm, generator: qwen3-8b, endpoint: "http://127.0.0.1:9/v1", gpu: H100, num_negatives: 1}
        seeds: [1, 2]
        gpu_prices: {H100: 3.0}
        """);
    CliTest.Outcome o =
        CliTest.run(
            "reproduce",
            "--plan",
            "--format",
            "json",
            "--config",
            config.toString(),
            "--results",
            tmp.resolve("none").toString());
    assertEquals(0, o.code(), o.err());
    JsonNode plan = Json.PLAIN.readTree(o.out());
    double usd = 0;
    int generate = 0;
    for (JsonNode s : plan.path("stages")) {
      assertFalse(s.path("measured").asBoolean(), s.toString());
      if (s.path("stage").asText().equals("generate")) {
        generate++;
        assertTrue(s.path("usd").asDouble() > 0, s.toString());
      }
      usd += s.path("usd").asDouble();
    }
    assertEquals(1, generate, "the llm source generates once, shared by both seeds");
    assertEquals(usd, plan.path("total").path("usd").asDouble(), 0.01);
    CliTest.Outcome text =
        CliTest.run(
            "reproduce",
            "--plan",
            "--config",
            config.toString(),
            "--results",
            tmp.resolve("none").toString());
    assertTrue(text.out().contains("total:") && text.out().contains("assumed"), text.out());
  }

  /**
   * Without --results a plan reads its measured rates from the committed results/ (reading it is
   * harmless), not from the work folder that reproduce now writes to by default.
   */
  @Test
  void withoutResultsAPlanReadsTheCommittedMeasurements() throws IOException {
    Path config = tmp.resolve("exp.yaml");
    Files.writeString(
        config,
        "name: plan\ndatasets: [synthetic:500]\nsources: [{type: bm25, num_negatives: 1}]\n");
    CliTest.Outcome byDefault =
        CliTest.run("reproduce", "--plan", "--format", "json", "--config", config.toString());
    CliTest.Outcome committed =
        CliTest.run(
            "reproduce",
            "--plan",
            "--format",
            "json",
            "--config",
            config.toString(),
            "--results",
            "results");
    assertEquals(0, byDefault.code(), byDefault.err());
    assertEquals(committed.out(), byDefault.out());
    boolean measured = false;
    for (JsonNode s : Json.PLAIN.readTree(byDefault.out()).path("stages")) {
      measured |= s.path("measured").asBoolean();
    }
    assertTrue(measured, "a rate measured in results/: " + byDefault.out());
  }

  /**
   * A ce source's training rounds are planned once for all seeds: each round's BM25 candidates and
   * its pairs times epochs. A second source with the same rounds (int8 mining with the same
   * reranker) shares them, as the run does; one with another learning rate does not.
   */
  @Test
  void aCeSourcesTrainingRoundsArePlannedOnce() throws IOException {
    Path config = tmp.resolve("ce.yaml");
    Files.writeString(
        config,
        """
        name: plan-ce
        datasets: [synthetic:500]
        sources:
          - {type: ce, model: minilm, num_negatives: 1,
             train: {negatives: 3, epochs: 2, then: {negatives: 3}}}
          - {name: ce-int8, type: ce, model: minilm, num_negatives: 1, quantize: int8,
             train: {negatives: 3, epochs: 2, then: {negatives: 3}}}
          - {name: ce-lr, type: ce, model: minilm, num_negatives: 1,
             train: {negatives: 3, epochs: 2, learning_rate: 3.0e-5, then: {negatives: 3}}}
        seeds: [1, 2, 3]
        """);
    CliTest.Outcome o =
        CliTest.run(
            "reproduce",
            "--plan",
            "--format",
            "json",
            "--config",
            config.toString(),
            "--results",
            tmp.resolve("none").toString());
    assertEquals(0, o.code(), o.err());
    List<JsonNode> rounds = new ArrayList<>();
    long trainQueries = -1;
    for (JsonNode s : Json.PLAIN.readTree(o.out()).path("stages")) {
      if (s.path("stage").asText().equals("train-ce")) {
        rounds.add(s);
        assertTrue(
            s.path("seconds").asDouble() > 0 && !s.path("measured").asBoolean(), s.toString());
      }
      if (s.path("what").asText().equals("ce reranker, round 1 BM25 candidates")) {
        trainQueries = s.path("items").asLong();
      }
    }
    assertEquals(
        List.of("ce reranker, round 1", "ce reranker, round 2", "ce-lr reranker, round 1"),
        rounds.stream().map(r -> r.path("what").asText()).toList().subList(0, 3),
        "one train-ce stage a round, not a seed, and ce-int8's are ce's: " + rounds);
    assertEquals(4, rounds.size(), rounds.toString());
    long pairs1 = rounds.get(0).path("items").asLong();
    long pairs2 = rounds.get(1).path("items").asLong();
    assertTrue(trainQueries > 0 && pairs1 > 0, o.out());
    // (1 + 3 negatives) x 2 epochs against x 1 epoch over the same (query, positive) pairs.
    assertEquals(2 * pairs2, pairs1, "round 1 has two epochs");
    assertEquals(0, pairs2 % 4, "whole groups of 4 pairs");
  }

  /**
   * The paper's config before any of its datasets or models is here: a plan from the catalogue's
   * counts (MS MARCO's 8,841,823 documents, 502,939 training queries with 532,751 positives), every
   * row marked, and --check still names the download command.
   */
  @Test
  void thePaperConfigIsPlannedFromTheCatalogueBeforeItsDataIsHere() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("data"));
    try (AutoCloseable home = BeirZips.dataHome(empty);
        AutoCloseable hub = Fixtures.hubCache(Files.createDirectories(tmp.resolve("hub")))) {
      CliTest.Outcome json =
          CliTest.run("reproduce", "--plan", "--format", "json", "--config", "configs/paper.yaml");
      assertEquals(0, json.code(), json.err());
      JsonNode plan = Json.PLAIN.readTree(json.out());
      Set<String> datasets = new TreeSet<>();
      for (JsonNode s : plan.path("stages")) {
        assertTrue(s.path("from_catalogue").asBoolean(), s.toString());
        datasets.add(s.path("dataset").asText());
        if (s.path("stage").asText().equals("index")) {
          assertEquals(8_841_823, s.path("items").asLong(), s.toString());
        }
        if (s.path("what").asText().equals("bm25")) {
          assertEquals(502_939, s.path("items").asLong(), s.toString());
        }
        if (s.path("stage").asText().equals("train")) {
          assertEquals(532_751, s.path("items").asLong(), s.toString());
        }
      }
      assertEquals(11, datasets.size(), datasets.toString());
      assertTrue(plan.path("total").path("seconds").asDouble() > 0);

      CliTest.Outcome text = CliTest.run("reproduce", "--plan", "--config", "configs/paper.yaml");
      assertEquals(0, text.code(), text.err());
      assertTrue(
          text.out()
              .lines()
              .filter(l -> l.startsWith("index "))
              .allMatch(l -> l.endsWith("items from the catalogue")),
          text.out());
      assertTrue(
          text.out().contains("items from the catalogue: msmarco, arguana, climate-fever"),
          text.out());

      CliTest.Outcome check = CliTest.run("reproduce", "--check", "--config", "configs/paper.yaml");
      assertEquals(2, check.code(), check.err());
      assertTrue(
          check
                  .err()
                  .contains(
                      "configs/paper.yaml:13: field 'train_on.dataset': beir:msmarco is not downloaded")
              && check.err().contains("fetch it with: bin/negbench download beir msmarco"),
          check.err());
    }
  }

  /** --workers adds the wall time on N workers to a plan, and is refused without --plan. */
  @Test
  void workersPlanTheWallTimeAndNeedPlan() throws IOException {
    Path config = tmp.resolve("w.yaml");
    Files.writeString(
        config,
        """
        name: w
        datasets: [synthetic:500]
        sources: [{type: bm25, num_negatives: 1}, {type: dense, num_negatives: 1}]
        seeds: [1, 2]
        """);
    CliTest.Outcome o =
        CliTest.run(
            "reproduce",
            "--plan",
            "--workers",
            "3",
            "--config",
            config.toString(),
            "--format",
            "json");
    assertEquals(0, o.code(), o.err());
    JsonNode plan = Json.PLAIN.readTree(o.out());
    double wall = plan.path("workers").path("seconds").asDouble();
    assertEquals(3, plan.path("workers").path("workers").asInt());
    assertTrue(
        wall > 0
            && wall < plan.path("total").path("seconds").asDouble()
            && wall >= plan.path("workers").path("critical_path_seconds").asDouble(),
        o.out());
    CliTest.Outcome run = CliTest.run("reproduce", "--workers", "3", "--config", config.toString());
    assertEquals(2, run.code(), run.err());
    assertTrue(
        run.err().contains("--workers plans a run on N workers and needs --plan"), run.err());
  }
}
