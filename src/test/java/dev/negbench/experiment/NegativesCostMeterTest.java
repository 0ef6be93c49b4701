package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.experiment.sources.Bm25Source;
import dev.negbench.experiment.sources.LlmSource;
import dev.negbench.experiment.sources.MixSource;
import dev.negbench.experiment.sources.Source;
import dev.negbench.io.Json;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cost of a negatives stage: its own part, the shared inputs charged to it, a mix's parts. */
class NegativesCostMeterTest {
  @TempDir Path dir;

  private static final ExperimentConfig CONFIG =
      new ExperimentConfig(
          "cost", null, null, null, null, null, null, Map.of("H100", 3.0), null, null, 0.5);

  private final NegativesCostMeter meter = new NegativesCostMeter(CONFIG, UnaryOperator.identity());

  private static final Source BM25 = new Bm25Source("bm25", 2, null, null, null);

  /** Two queries with two corpus negatives each. */
  private static void writeNegatives(Path out) {
    NegativesJsonl.write(
        out.resolve(Source.NEGATIVES),
        List.of(
            new HardNegatives(
                "q1",
                "a",
                List.of("d1"),
                List.of(new Negative("d2", 1, 2), new Negative("d3", 2, 1))),
            new HardNegatives(
                "q2",
                "b",
                List.of("d4"),
                List.of(new Negative("d5", 1, 2), new Negative("d6", 2, 1)))));
  }

  private NegativesCost.Part part(String what) {
    return new NegativesCost.Part(what, 12.5, "cpu", 0.5, 1, Map.of("documents_indexed", 7L));
  }

  @Test
  void aMinedSourcesOwnPartIsItsTimeLessTheSharedInputsItBuilt() throws IOException {
    Path out = Files.createDirectories(dir.resolve("bm25"));
    meter.meter(
        BM25,
        out,
        Map.of(),
        o -> {
          // Built inside the stage: 1,000 s that are the index's, not the miner's.
          meter.charge("bm25", () -> part("BM25 index"), 1_000);
          meter.charge("bm25", () -> part("charged twice"), 0);
          Json.write(o.resolve(Source.SUMMARY), Map.of("queries", 2, "work", Map.of("hits", 9)));
          writeNegatives(o);
        });
    NegativesCost cost = NegativesCost.read(out.resolve(ResultsStore.COST));
    assertEquals("bm25", cost.source());
    assertEquals("bm25", cost.sourceType());
    assertEquals(4, cost.negatives());
    assertEquals(2, cost.parts().size(), cost.toString());
    NegativesCost.Part own = cost.parts().get(0);
    assertEquals("mine (bm25)", own.what());
    assertEquals(0, own.seconds(), "the wall time less the 1,000 s of the index, at least 0");
    assertEquals("cpu", own.device());
    assertEquals(0.5, own.usdPerHour());
    assertEquals(Map.of(NegativesCost.QUERIES_SEARCHED, 2L, "hits", 9L), own.work());
    assertEquals(part("BM25 index"), cost.parts().get(1), "a shared input is charged once");
  }

  @Test
  void outsideANegativesStageNothingIsCharged() throws IOException {
    meter.charge("bm25", () -> part("BM25 index"), 1_000);
    Path out = Files.createDirectories(dir.resolve("after"));
    meter.meter(BM25, out, Map.of(), NegativesCostMeterTest::writeNegatives);
    NegativesCost cost = NegativesCost.read(out.resolve(ResultsStore.COST));
    assertEquals(1, cost.parts().size(), cost.toString());
    assertFalse(cost.parts().get(0).seconds() > 60, "the charge before the stage is not taken off");
  }

  @Test
  void aMixListsItsPartsCostsUnderTheirNames() throws IOException {
    Path bm25 = Files.createDirectories(dir.resolve("part"));
    meter.meter(
        BM25,
        bm25,
        Map.of(),
        o -> {
          meter.charge("bm25", () -> part("BM25 index"), 0);
          writeNegatives(o);
        });
    Source mix =
        new MixSource("mix", List.of(new MixSource.Part("bm25", 1), new MixSource.Part("bm25", 1)));
    Path out = Files.createDirectories(dir.resolve("mix"));
    meter.meter(mix, out, Map.of("bm25", bm25), NegativesCostMeterTest::writeNegatives);
    List<String> what =
        NegativesCost.read(out.resolve(ResultsStore.COST)).parts().stream()
            .map(NegativesCost.Part::what)
            .toList();
    assertEquals(
        List.of(
            "mix",
            "bm25: mine (bm25)",
            "bm25: BM25 index",
            "bm25: mine (bm25)",
            "bm25: BM25 index"),
        what,
        "each input as often as the mix lists it");
  }

  @Test
  void generatedNegativesCostTheGenerationsTimeOnTheSourcesPricedGpu() throws IOException {
    Source llm =
        new LlmSource(
            "llm", "qwen3-8b", null, null, "H100", 1, null, null, null, null, null, null, null);
    Path out = Files.createDirectories(dir.resolve("llm"));
    meter.meter(
        llm,
        out,
        Map.of(),
        o -> {
          generation(null, null).write(o.resolve(Source.GENERATION));
          writeNegatives(o);
        });
    NegativesCost.Part own = NegativesCost.read(out.resolve(ResultsStore.COST)).parts().get(0);
    assertEquals("generate (qwen3-8b)", own.what());
    assertEquals(360, own.seconds());
    assertEquals("1x H100", own.device());
    assertEquals(3.0, own.usdPerHour(), "the config's price of the source's GPU");
    assertEquals(Map.of("tokens_generated", 3000L, "requests", 20L), own.work());
  }

  @Test
  void pricesComeFromTheConfigWhereTheGeneratorLeftThemOut() {
    Source llm =
        new LlmSource(
            "llm", "qwen3-8b", null, null, "H100", 1, null, null, null, null, null, null, null);
    assertEquals(3.0, meter.priced(generation(null, null), llm).gpuHourUsd());
    assertEquals(9.0, meter.priced(generation("H100", 9.0), llm).gpuHourUsd(), "its own wins");
    assertNull(meter.priced(generation("A100", null), llm).gpuHourUsd(), "no price for an A100");
    assertEquals(0.5, meter.cpuPrice("cpu"));
    assertNull(meter.cpuPrice("cuda"));
  }

  @Test
  void aStageThatWritesNoNegativesFails() {
    Path out = dir.resolve("none");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> meter.meter(BM25, out, Map.of(), o -> {}));
    assertEquals("source bm25 wrote no negatives.jsonl", e.getMessage());
    assertFalse(Files.exists(out.resolve(ResultsStore.COST)));
  }

  private static GenerationSummary generation(String gpu, Double price) {
    return new GenerationSummary(
        "qwen3-8b",
        "Qwen/Qwen3-8B",
        8.0,
        null,
        gpu,
        price,
        false,
        10,
        20,
        20,
        5000,
        3000,
        360,
        1,
        2,
        3,
        1);
  }
}
