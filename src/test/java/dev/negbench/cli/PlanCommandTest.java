package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reproduce --plan}: no work, an estimate per stage from measured rates, close to what the run took. */
class PlanCommandTest {
  @TempDir Path tmp;

  @Test
  void scifactsPlanIsWithinAFactorOfTwoOfItsMeasuredWallTime() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("../shared/data/scifact")), "../shared/data/scifact is not here");
    CliTest.Outcome o = CliTest.run("reproduce", "--plan", "--format", "json", "--config", "configs/scifact.yaml", "--results", "results",
        "--work", tmp.resolve("work").toString());
    assertEquals(0, o.code(), o.err());
    JsonNode plan = Json.PLAIN.readTree(o.out());
    double estimated = plan.path("total").path("seconds").asDouble();
    double measured = 0;
    try (Stream<Path> cells = Files.walk(Path.of("results/scifact"))) {
      for (Path p : cells.filter(p -> p.getFileName().toString().equals("provenance.json")).toList()) {
        measured += Json.PLAIN.readTree(p.toFile()).path("wall_seconds").asDouble();
      }
    }
    assertTrue(measured > 1000, "the committed SciFact run: " + measured + " s");
    assertTrue(estimated > measured / 2 && estimated < measured * 2, "estimated " + estimated + " s against measured " + measured + " s");
    assertTrue(plan.path("stages").size() >= 7, plan.toString());
    for (JsonNode s : plan.path("stages")) {
      assertTrue(s.has("stage") && s.has("items") && s.has("device") && s.has("seconds") && s.has("usd") && s.has("measured"), s.toString());
    }
    assertFalse(Files.exists(tmp.resolve("work")), "a plan does no work");
  }

  @Test
  void withNothingMeasuredEveryRateIsAnAssumptionAndGenerationIsPriced() throws IOException {
    Path config = tmp.resolve("exp.yaml");
    Files.writeString(config, """
        name: plan
        datasets: [synthetic:500]
        sources:
          - {type: bm25, num_negatives: 1}
          - {name: llm, type: llm, generator: qwen3-8b, endpoint: "http://127.0.0.1:9/v1", gpu: H100, num_negatives: 1}
        seeds: [1, 2]
        gpu_prices: {H100: 3.0}
        """);
    CliTest.Outcome o = CliTest.run("reproduce", "--plan", "--format", "json", "--config", config.toString(), "--results", tmp.resolve("none").toString());
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
    assertEquals(2, generate, "the llm source generates once per seed");
    assertEquals(usd, plan.path("total").path("usd").asDouble(), 0.01);
    CliTest.Outcome text = CliTest.run("reproduce", "--plan", "--config", config.toString(), "--results", tmp.resolve("none").toString());
    assertTrue(text.out().contains("total:") && text.out().contains("assumed"), text.out());
  }
}
