package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import dev.negbench.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code llm} source in an experiment with three seeds, counted at a simulator serving real
 * HTTP: by default each (query, positive) pair is requested once and its negatives are shared by
 * the seeds; with {@code per_seed: true} each seed asks again (three times in all), with its own
 * sampling seed, so the seeds' negatives differ; {@code max_requests: N} asks for the first N pairs
 * only.
 */
class SharedGenerationTest {
  @TempDir Path tmp;

  private record Run(long requests, List<Path> negatives) {}

  private Run run(String name, String extra) throws Exception {
    Path generator = Path.of("configs/generators/qwen3-4b.json").toAbsolutePath();
    try (Simulator sim = Simulator.start(SimProfile.instant())) {
      Path config = tmp.resolve(name + ".yaml");
      Files.writeString(
          config,
          """
          name: %s
          datasets: [synthetic:300]
          sources:
            - {name: llm, type: llm, generator: %s, endpoint: "%s", num_negatives: 1%s}
          seeds: [1, 2, 3]
          training: {model: minilm}
          evaluation: {zero_shot: false}
          analysis: {hardness: false}
          """
              .formatted(name, generator, sim.baseUrl(), extra));
      Path work = tmp.resolve(name + "-work");
      CliTest.Outcome o =
          CliTest.run(
              "reproduce",
              "-q",
              "--no-probe",
              "--config=" + config,
              "--work=" + work,
              "--results=" + tmp.resolve(name + "-results"),
              "--skip-training");
      assertEquals(0, o.code(), o.err());
      try (Stream<Path> s = Files.list(work.resolve("stages/negatives"))) {
        List<Path> done =
            s.filter(p -> !p.getFileName().toString().startsWith("."))
                .map(p -> p.resolve("negatives.jsonl"))
                .sorted()
                .toList();
        return new Run(sim.requests(), done);
      }
    }
  }

  private static List<JsonNode> rows(Path negatives) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(negatives)) {
      rows.add(Json.PLAIN.readTree(line));
    }
    return rows;
  }

  private static Set<String> pairs(List<JsonNode> rows) {
    Set<String> pairs = new HashSet<>();
    rows.forEach(
        r -> pairs.add(r.path("query_id").asText() + "/" + r.path("positive_id").asText()));
    return pairs;
  }

  @Test
  void oneRequestPerPairSharedBySeedsThreeWithPerSeed() throws Exception {
    Run shared = run("shared", "");
    assertEquals(1, shared.negatives().size(), "one negatives stage for three seeds");
    List<JsonNode> rows = rows(shared.negatives().get(0));
    int pairs = pairs(rows).size();
    assertTrue(pairs >= 40, pairs + " pairs");
    assertEquals(rows.size(), pairs, "each pair once");
    assertEquals(pairs, shared.requests(), "each pair requested once, counted at the server");

    Run perSeed = run("perseed", ", per_seed: true");
    assertEquals(3, perSeed.negatives().size(), "one negatives stage a seed");
    assertEquals(3L * pairs, perSeed.requests(), "each pair requested three times");
    List<String> texts = new ArrayList<>();
    for (Path p : perSeed.negatives()) {
      List<JsonNode> r = rows(p);
      assertEquals(pairs, pairs(r).size());
      texts.add(r.toString());
    }
    assertNotEquals(texts.get(0), texts.get(1), "each seed samples with its own seed");
  }

  @Test
  void maxRequestsAsksForTheFirstPairsOnly() throws Exception {
    Run capped = run("capped", ", max_requests: 25");
    assertEquals(25, capped.requests());
    assertEquals(25, pairs(rows(capped.negatives().get(0))).size());
  }
}
