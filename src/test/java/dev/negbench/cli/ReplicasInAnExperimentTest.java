package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import dev.negbench.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An experiment's {@code llm} source with {@code endpoints: [A, B]} (two simulator replicas serving
 * real HTTP) and its own {@code concurrency}: replica A is closed once a third of the pairs are
 * cached, and {@code reproduce} still completes, each (query, positive) pair once, at most 5% of
 * them failed, and B answered the rest.
 */
class ReplicasInAnExperimentTest {
  @TempDir Path tmp;

  @Test
  void aKilledReplicaLeavesTheRestToTheOther() throws Exception {
    SimProfile sim = SimProfile.instant().withTimings(5, 0.2);
    Path generator = Path.of("configs/generators/qwen3-4b.json").toAbsolutePath();
    try (Simulator a = Simulator.start(sim);
        Simulator b = Simulator.start(sim.withSeed(2))) {
      Path config = tmp.resolve("rep.yaml");
      Files.writeString(
          config,
          """
          name: rep
          datasets: [synthetic:600]
          sources:
            - name: llm
              type: llm
              generator: %s
              endpoints: ["%s", "%s"]
              concurrency: 8
              num_negatives: 1
          seeds: [1]
          training: {model: minilm}
          evaluation: {zero_shot: false}
          analysis: {hardness: false}
          """
              .formatted(generator, a.baseUrl(), b.baseUrl()));
      Path work = tmp.resolve("work");
      AtomicLong killedAt = new AtomicLong(-1);
      Thread killer =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try {
                      while (cachedLines(work) < 35) {
                        Thread.sleep(2);
                      }
                      killedAt.set(cachedLines(work));
                      a.close();
                    } catch (IOException | InterruptedException e) {
                      throw new IllegalStateException(e);
                    }
                  });
      CliTest.Outcome o =
          CliTest.run(
              "reproduce",
              "-q",
              "--config=" + config,
              "--work=" + work,
              "--results=" + tmp.resolve("results"),
              "--skip-training");
      killer.join(5_000);
      assertEquals(0, o.code(), o.err());
      List<JsonNode> rows = new ArrayList<>();
      Path negatives = stageNegatives(work);
      for (String line : Files.readAllLines(negatives)) {
        rows.add(Json.PLAIN.readTree(line));
      }
      Set<String> pairs = new HashSet<>();
      long failed = 0;
      for (JsonNode r : rows) {
        assertTrue(
            pairs.add(r.path("query_id").asText() + "/" + r.path("positive_id").asText()),
            "each pair once: " + r);
        failed += r.path("status").asText().equals("failed") ? 1 : 0;
      }
      assertTrue(rows.size() >= 100, rows.size() + " pairs");
      assertTrue(killedAt.get() >= 35 && killedAt.get() < rows.size() / 2, "killed at " + killedAt);
      assertTrue(failed <= rows.size() * 0.05, failed + " of " + rows.size() + " failed");
      assertTrue(b.requests() > rows.size() / 2, "B answered the rest: " + b.requests());
    }
  }

  /** Lines of the source's generation cache (0 before it exists). */
  private static long cachedLines(Path work) throws IOException {
    Path dir = work.resolve("generation");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      long n = 0;
      for (Path f : s.filter(p -> p.toString().endsWith(".cache.jsonl")).toList()) {
        n += Files.readString(f).chars().filter(c -> c == '\n').count();
      }
      return n;
    }
  }

  /** The negatives file of the one negatives stage. */
  private static Path stageNegatives(Path work) throws IOException {
    try (Stream<Path> s = Files.list(work.resolve("stages/negatives"))) {
      List<Path> done = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
      assertEquals(1, done.size(), done.toString());
      return done.get(0).resolve("negatives.jsonl");
    }
  }
}
