package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.experiment.sources.CrossEncoderSource;
import dev.negbench.experiment.sources.DenseSource;
import dev.negbench.experiment.sources.Source;
import dev.negbench.model.Fixtures;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The negatives stages of one dataset (through {@link DatasetStages}, which wires them): made once
 * per run, shared across seeds unless the source depends on the seed, keyed without the source's
 * name, and metered.
 */
class NegativesStagesTest {
  @TempDir Path dir;

  private final List<String> log = new ArrayList<>();

  private Pipeline pipeline() throws IOException {
    return PipelineTest.offline(
        dir,
        """
        name: negatives
        datasets: [synthetic:100]
        sources:
          - {type: bm25, num_negatives: 1}
          - {name: random, type: bm25, num_negatives: 1, sampling: random, range_max: 20}
          - name: mix
            type: mix
            parts: [{from: bm25, count: 1}, {from: random, count: 1}]
        seeds: [1, 2]
        training: {model: %s}
        """
            .formatted(Fixtures.dir(Fixtures.BI_ENCODER)),
        log::add);
  }

  private List<String> negativesLog() {
    return log.stream().filter(l -> l.startsWith("negatives")).map(l -> l.split(":")[0]).toList();
  }

  @Test
  void eachSourceIsMadeOnceASeedOnlyWhereItDependsOnTheSeed() throws IOException {
    Pipeline p = pipeline();
    Source bm25 = p.loaded.source("bm25");
    Source mix = p.loaded.source("mix");
    try (DatasetStages d = DatasetStages.open(p, p.loaded.datasets().get(0))) {
      StageCache.Entry first = d.negativesStage(bm25, 1);
      assertSame(first, d.negativesStage(bm25, 2), "bm25 top-k does not depend on the seed");
      StageCache.Entry mix1 = d.negativesStage(mix, 1);
      StageCache.Entry mix2 = d.negativesStage(mix, 2);
      assertNotEquals(mix1.hash(), mix2.hash(), "a mix of a random part depends on the seed");
      assertSame(mix1, d.negativesStage(mix, 1));
    }
    assertEquals(
        List.of(
            "negatives synthetic-100/bm25",
            "negatives synthetic-100/random/seed-1",
            "negatives synthetic-100/mix/seed-1",
            "negatives synthetic-100/random/seed-2",
            "negatives synthetic-100/mix/seed-2"),
        negativesLog().stream().map(String::strip).toList());
    // The BM25 index is charged to the first stage that built it, and to every later one that
    // used it.
    try (DatasetStages again = DatasetStages.open(p, p.loaded.datasets().get(0))) {
      StageCache.Entry e = again.negativesStage(bm25, 1);
      assertTrue(e.reused() && log.getLast().contains("reused"), "a second run reuses it: " + log);
      NegativesCost cost = NegativesCost.read(e.dir().resolve(ResultsStore.COST));
      assertEquals(
          List.of("mine (bm25)", "BM25 index"),
          cost.parts().stream().map(NegativesCost.Part::what).toList());
    }
  }

  @Test
  void quantizeAndFuseArePartOfASourcesKeyOnlyWhenSet() {
    DenseSource dense =
        new DenseSource("d", null, 1, null, null, null, null, null, null, null, null);
    Map<String, Object> unset = NegativesStages.sourceKey(dense);
    // Unset: the key every float source had before quantize existed.
    assertEquals(Map.of("num_negatives", 1, "type", "dense"), unset);
    Map<String, Object> int8 =
        NegativesStages.sourceKey(
            new DenseSource("d", null, 1, null, null, null, null, null, null, null, "int8"));
    assertEquals("int8", int8.get("quantize"));
    assertNotEquals(unset, int8);
    CrossEncoderSource ce =
        new CrossEncoderSource(
            "c", "m", 1, null, null, null, null, null, null, null, null, null, null, null, null,
            null);
    assertTrue(!NegativesStages.sourceKey(ce).containsKey("quantize"));
    assertTrue(!NegativesStages.sourceKey(ce).containsKey("fuse"));
    assertNotEquals(
        NegativesStages.sourceKey(ce),
        NegativesStages.sourceKey(
            new CrossEncoderSource(
                "c", "m", 1, null, null, null, null, null, null, null, null, null, null, null,
                "int8", null)));
    Map<String, Object> fused =
        NegativesStages.sourceKey(
            new CrossEncoderSource(
                "c", "m", 1, null, null, null, null, null, null, null, null, null, null, null, null,
                0.5));
    assertEquals(0.5, fused.get("fuse"));
    assertNotEquals(NegativesStages.sourceKey(ce), fused);
  }

  @Test
  void aSourcesNameIsNotPartOfItsKey() throws IOException {
    Source bm25 = pipeline().loaded.source("bm25");
    Map<String, Object> key = NegativesStages.sourceKey(bm25);
    assertEquals(key, NegativesStages.sourceKey(bm25.withName("renamed")));
    assertEquals("bm25", key.get("type"));
    assertTrue(!key.containsKey("name") && !key.containsValue(null), key.toString());
  }
}
