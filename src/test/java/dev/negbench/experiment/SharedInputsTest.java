package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.experiment.sources.Bm25Source;
import dev.negbench.experiment.sources.Source;
import dev.negbench.io.Json;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.model.Fixtures;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BM25 index and corpus embeddings of a dataset: built once, what each cost recorded, and
 * charged to the negatives stage that uses them.
 */
class SharedInputsTest {
  @TempDir Path dir;

  private static final Source BM25 = new Bm25Source("bm25", 1, null, null, null);
  private final List<String> log = new ArrayList<>();

  private Pipeline pipeline() throws IOException {
    return PipelineTest.offline(
        dir,
        """
        name: shared
        datasets: [synthetic:100]
        sources: [{type: bm25, num_negatives: 1}]
        training: {model: %s}
        cpu_hour_usd: 0.25
        """
            .formatted(Fixtures.dir(Fixtures.BI_ENCODER)),
        log::add);
  }

  /** What a negatives stage that only calls {@code use} is charged, after its own part. */
  private static List<NegativesCost.Part> charged(NegativesCostMeter meter, Path out, Runnable use)
      throws IOException {
    Files.createDirectories(out);
    meter.meter(
        BM25,
        out,
        Map.of(),
        o -> {
          use.run();
          NegativesJsonl.write(o.resolve(Source.NEGATIVES), List.<HardNegatives>of());
        });
    List<NegativesCost.Part> parts = NegativesCost.read(out.resolve(ResultsStore.COST)).parts();
    return parts.subList(1, parts.size());
  }

  @Test
  void theBm25IndexIsBuiltOnceAndItsBuildTimeKeptBesideIt() throws IOException {
    Pipeline p = pipeline();
    DatasetInputs inputs = DatasetInputs.open(p, p.loaded.datasets().get(0));
    Path record;
    NegativesCost.Part built;
    NegativesCostMeter meter = new NegativesCostMeter(p.config, p::modelRef);
    try (SharedInputs shared = new SharedInputs(p, inputs, meter)) {
      Bm25Index index = shared.bm25();
      assertSame(index, shared.bm25(), "held open");
      Path location = Bm25Index.defaultLocation(inputs.dataset(), p.work);
      record = location.resolveSibling(location.getFileName() + ".cost.json");
      built = Json.read(record, NegativesCost.Part.class);
      assertEquals("BM25 index", built.what());
      assertEquals(0.25, built.usdPerHour());
      assertEquals(Map.of(NegativesCost.DOCUMENTS_INDEXED, 100L), built.work());
      assertEquals(
          List.of(built), charged(meter, dir.resolve("a"), shared::bm25), "opened before, charged");
    }
    // A later run opens the index and is charged what building it took, from the record.
    NegativesCostMeter later = new NegativesCostMeter(p.config, p::modelRef);
    try (SharedInputs shared = new SharedInputs(p, inputs, later)) {
      assertEquals(List.of(built), charged(later, dir.resolve("b"), shared::bm25));
    }
    Files.delete(record);
    try (SharedInputs shared = new SharedInputs(p, inputs, later)) {
      List<NegativesCost.Part> parts = charged(later, dir.resolve("c"), shared::bm25);
      assertEquals(
          "BM25 index (opened; built before this run, build time not recorded)",
          parts.get(0).what());
    }
  }

  @Test
  void theCorpusIsEncodedOnceAModelAndChargedWithItsRecordedCost() throws IOException {
    Pipeline p = pipeline();
    DatasetInputs inputs = DatasetInputs.open(p, p.loaded.datasets().get(0));
    NegativesCostMeter meter = new NegativesCostMeter(p.config, p::modelRef);
    String model = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    try (SharedInputs shared = new SharedInputs(p, inputs, meter)) {
      DenseEmbeddings first = shared.embeddings(model, 32, "cpu");
      assertEquals(100, first.size());
      List<NegativesCost.Part> parts =
          charged(meter, dir.resolve("a"), () -> shared.embeddings(model, 32, "cpu"));
      assertEquals(1, parts.size(), parts.toString());
      NegativesCost.Part part = parts.get(0);
      assertEquals("corpus encoded with distilbert-tiny", part.what());
      assertEquals(0.25, part.usdPerHour());
      assertEquals(Map.of(NegativesCost.DOCUMENTS_ENCODED, 100L), part.work());
      assertTrue(part.seconds() > 0, part.toString());
    }
    assertEquals(2, log.stream().filter(l -> l.startsWith("embed")).count(), log.toString());
    assertTrue(log.getLast().contains("reused"), log.toString());
  }
}
