package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Query;
import dev.negbench.data.RunEntry;
import dev.negbench.data.TinyDatasets;
import dev.negbench.data.TrecRun;
import dev.negbench.io.Progress;
import dev.negbench.model.Scorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rerank fusion (issue 31) worked by hand on four hits, and its limits W = 1 and W = 0. */
class ScoreFusionTest {
  // q1's first-stage run: d2 10, d3 8, d4 6, d5 2, then d6 1 below the depth of 4.
  private static final String RUN =
      """
      q1 Q0 d2 1 10.0 bm25
      q1 Q0 d3 2 8.0 bm25
      q1 Q0 d4 3 6.0 bm25
      q1 Q0 d5 4 2.0 bm25
      q1 Q0 d6 5 1.0 bm25
      """;

  // Cross-encoder logits by document title: d2 0, d3 1, d4 4, d5 2.
  private static final Scorer CE =
      fixed(Map.of("Roasting", 0f, "Tea", 1f, "Brewing", 4f, "Bic", 2f));

  private static Scorer fixed(Map<String, Float> byTitle) {
    return pairs -> {
      float[] out = new float[pairs.size()];
      for (int i = 0; i < out.length; i++) {
        String passage = pairs.get(i).passage();
        out[i] =
            byTitle.entrySet().stream()
                .filter(e -> passage.startsWith(e.getKey()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("unexpected passage " + passage))
                .getValue();
      }
      return out;
    };
  }

  private static List<RunEntry> rerank(Path tmp, Scorer scorer, ScoreFusion fusion)
      throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    Path runFile = Files.writeString(tmp.resolve("bm25.run"), RUN);
    List<Query> queries = List.of(ds.queries().get("q1"));
    return Reranker.rerank(
            ds,
            queries,
            TrecRun.read(runFile),
            runFile,
            scorer,
            4,
            List.of(new Reranker.Ranking(fusion, "t")),
            Progress.Factory.NONE)
        .run()
        .get("q1");
  }

  private static List<String> docs(List<RunEntry> entries) {
    return entries.stream().map(RunEntry::docId).toList();
  }

  @Test
  void halfAndHalfWorkedByHand(@TempDir Path tmp) throws IOException {
    // Normalised over the four reranked hits (d6 is below the depth):
    //   first stage (10, 8, 6, 2): (10-2)/8 = 1, 0.75, 0.5, 0
    //   cross-encoder (0, 1, 4, 2): 0, 0.25, 1, 0.5
    // W = 0.5: d2 0.5, d3 0.5, d4 0.75, d5 0.25; d2 and d3 tie and keep the run's order.
    List<RunEntry> fused = rerank(tmp, CE, new ScoreFusion(0.5));
    assertEquals(List.of("d4", "d2", "d3", "d5"), docs(fused));
    assertArrayEquals(
        new double[] {0.75, 0.5, 0.5, 0.25},
        fused.stream().mapToDouble(RunEntry::score).toArray(),
        0);
    assertEquals(List.of(1, 2, 3, 4), fused.stream().map(RunEntry::rank).toList());
  }

  @Test
  void weightOneIsThePlainRerankAndZeroTheFirstStage(@TempDir Path tmp) throws IOException {
    List<RunEntry> plain = rerank(tmp.resolve("a"), CE, null);
    assertEquals(List.of("d4", "d5", "d3", "d2"), docs(plain));
    assertEquals(docs(plain), docs(rerank(tmp.resolve("b"), CE, new ScoreFusion(1))));
    assertEquals(
        List.of("d2", "d3", "d4", "d5"), docs(rerank(tmp.resolve("c"), CE, new ScoreFusion(0))));
  }

  @Test
  void severalRankingsShareOneScoringAndEachIsItsOwnRerank(@TempDir Path tmp) throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    Path runFile = Files.writeString(tmp.resolve("bm25.run"), RUN);
    List<Query> queries = List.of(ds.queries().get("q1"));
    int[] calls = {0};
    Scorer counting =
        pairs -> {
          calls[0]++;
          return CE.score(pairs);
        };
    List<Reranker.Ranking> rankings =
        List.of(
            new Reranker.Ranking(null, "alone"),
            new Reranker.Ranking(new ScoreFusion(0.5), "half"),
            new Reranker.Ranking(new ScoreFusion(0), "first"));
    Reranker.Result all =
        Reranker.rerank(
            ds,
            queries,
            TrecRun.read(runFile),
            runFile,
            counting,
            4,
            rankings,
            Progress.Factory.NONE);
    assertEquals(1, calls[0], "the pairs are scored once");
    assertEquals(4, all.pairsScored());
    assertEquals(3, all.runs().size());
    for (int i = 0; i < rankings.size(); i++) {
      List<RunEntry> alone = rerank(tmp.resolve("r" + i), CE, rankings.get(i).fusion());
      List<RunEntry> shared = all.runs().get(i).get("q1");
      assertEquals(docs(alone), docs(shared), rankings.get(i).tag());
      assertArrayEquals(
          alone.stream().mapToDouble(RunEntry::score).toArray(),
          shared.stream().mapToDouble(RunEntry::score).toArray(),
          0);
      String tag = rankings.get(i).tag();
      assertTrue(shared.stream().allMatch(e -> e.tag().equals(tag)), tag);
    }
    assertEquals(List.of("d4", "d2", "d3", "d5"), docs(all.runs().get(1).get("q1")));
  }

  @Test
  void aConstantListNormalisesToZero(@TempDir Path tmp) throws IOException {
    assertArrayEquals(new double[] {0, 0, 0}, ScoreFusion.minMax(new double[] {3, 3, 3}), 0);
    // A cross-encoder scoring every hit alike adds nothing: the first stage's order remains.
    Scorer flat = fixed(Map.of("Roasting", 2f, "Tea", 2f, "Brewing", 2f, "Bic", 2f));
    List<RunEntry> fused = rerank(tmp, flat, new ScoreFusion(0.7));
    assertEquals(List.of("d2", "d3", "d4", "d5"), docs(fused));
    assertEquals(0.3 * 0.75, fused.get(1).score(), 1e-12);
  }

  @Test
  void parseTakesRunColonWeightAndRefusesAnythingElse() {
    assertEquals(0.7, ScoreFusion.parse("run:0.7").weight());
    assertEquals(1, ScoreFusion.parse("run:1").weight());
    for (String bad : List.of("run:1.5", "run:-0.1", "run:NaN", "run:", "foo:0.5", "0.5")) {
      var e = assertThrows(IllegalArgumentException.class, () -> ScoreFusion.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("run:W, W in [0, 1]"), e.getMessage());
    }
  }
}
