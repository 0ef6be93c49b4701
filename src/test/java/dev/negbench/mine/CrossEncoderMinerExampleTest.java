package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import dev.negbench.model.Scorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The margins on a worked example computed by hand: one query, its positive and five candidates,
 * all retrieved by BM25, with logits set by a scorer that reads them off the passage.
 *
 * <pre>
 *   doc   logit   sigmoid     cross-encoder rank
 *   c1     1.00   0.731059    1
 *   c2    -0.49   0.379894    2   (scores above the positive on both scales)
 *   pos   -0.50   0.377541    3   the positive
 *   c4    -0.55   0.365864    4
 *   c3    -0.65   0.342990    5
 *   c5    -2.00   0.119203    6
 * </pre>
 *
 * Sigmoid, relative margin 0.05: bound 0.95 x 0.377541 = 0.358664, so c3 and c5 stay (c1, c2, c4
 * dropped). Sigmoid, absolute margin 0.1: bound 0.277541, so only c5 stays. On raw logits the
 * relative bound is 0.95 x -0.5 = -0.475, above the positive's -0.5: c2, which outscores the
 * positive, stays; that is what the sigmoid fixes.
 */
class CrossEncoderMinerExampleTest {
  @TempDir static Path tmp;
  static BeirDataset dataset;
  static Bm25Index index;

  static final Map<String, Float> LOGITS =
      Map.of("pos", -0.5f, "c1", 1.0f, "c2", -0.49f, "c3", -0.65f, "c4", -0.55f, "c5", -2.0f);

  /** Every passage is "apple ID": the logit is looked up by the id after "apple ". */
  static final Scorer SCORER =
      pairs -> {
        float[] s = new float[pairs.size()];
        for (int i = 0; i < s.length; i++) {
          s[i] = LOGITS.get(pairs.get(i).passage().substring("apple ".length()));
        }
        return s;
      };

  /**
   * What the code before {@code --activation} existed wrote for this example with no margin, a
   * relative margin of 0.05 and an absolute one of 0.1 (printed at 7552a82 and pasted here): {@link
   * ScoreActivation#NONE} must write the same bytes.
   */
  static final List<String> RAW_LOGIT_ROWS =
      List.of(
          "{\"query_id\":\"q1\",\"query\":\"apple\",\"positive_ids\":[\"pos\"],\"negatives\":[{\"doc_id\":\"c1\",\"rank\":1,\"score\":1.0},{\"doc_id\":\"c2\",\"rank\":2,\"score\":-0.49000000953674316},{\"doc_id\":\"c4\",\"rank\":4,\"score\":-0.550000011920929},{\"doc_id\":\"c3\",\"rank\":5,\"score\":-0.6499999761581421},{\"doc_id\":\"c5\",\"rank\":6,\"score\":-2.0}],\"positive_scores\":{\"pos\":-0.5}}",
          "{\"query_id\":\"q1\",\"query\":\"apple\",\"positive_ids\":[\"pos\"],\"negatives\":[{\"doc_id\":\"c2\",\"rank\":2,\"score\":-0.49000000953674316},{\"doc_id\":\"c4\",\"rank\":4,\"score\":-0.550000011920929},{\"doc_id\":\"c3\",\"rank\":5,\"score\":-0.6499999761581421},{\"doc_id\":\"c5\",\"rank\":6,\"score\":-2.0}],\"positive_scores\":{\"pos\":-0.5}}",
          "{\"query_id\":\"q1\",\"query\":\"apple\",\"positive_ids\":[\"pos\"],\"negatives\":[{\"doc_id\":\"c3\",\"rank\":5,\"score\":-0.6499999761581421},{\"doc_id\":\"c5\",\"rank\":6,\"score\":-2.0}],\"positive_scores\":{\"pos\":-0.5}}");

  /** Candidates each margin dropped in the old code, row for row with {@link #RAW_LOGIT_ROWS}. */
  static final List<Long> RAW_LOGIT_DROPPED = List.of(0L, 1L, 3L);

  @BeforeAll
  static void setUp() throws Exception {
    Path dir = tmp.resolve("example");
    Files.createDirectories(dir.resolve("qrels"));
    StringBuilder corpus = new StringBuilder();
    for (String id : List.of("c1", "c2", "c3", "pos", "c4", "c5")) {
      corpus.append("{\"_id\": \"").append(id).append("\", \"text\": \"apple ").append(id);
      corpus.append("\"}\n");
    }
    Files.writeString(dir.resolve("corpus.jsonl"), corpus);
    Files.writeString(dir.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"apple\"}\n");
    Files.writeString(dir.resolve("qrels/train.tsv"), "query-id\tcorpus-id\tscore\nq1\tpos\t1\n");
    dataset = BeirDataset.open(dir);
    index =
        Bm25Index.openOrBuild(
            dataset,
            tmp.resolve("index"),
            Bm25Index.Parameters.ANSERINI,
            1,
            Progress.Factory.NONE,
            new AtomicReference<>());
  }

  @AfterAll
  static void tearDown() {
    index.close();
  }

  private static CrossEncoderMiner miner(
      CrossEncoderMiner.Margin margin, ScoreActivation activation) {
    return new CrossEncoderMiner(
        new Bm25Searcher(index),
        SCORER,
        10,
        new MiningSettings(5, 1, 10, MiningSettings.Sampling.TOP, 1),
        margin,
        activation,
        null);
  }

  private static HardNegatives mine(CrossEncoderMiner miner) {
    return miner.mine(dataset.queries().get("q1"), Set.of("pos"));
  }

  private static void assertNegatives(
      HardNegatives row, List<String> ids, List<Integer> ranks, List<Double> scores) {
    List<Negative> n = row.negatives();
    assertEquals(ids, n.stream().map(Negative::docId).toList());
    assertEquals(ranks, n.stream().map(Negative::rank).toList());
    for (int i = 0; i < scores.size(); i++) {
      assertEquals(scores.get(i), n.get(i).score(), 1e-6, ids.get(i));
    }
  }

  @Test
  void sigmoidMarginsKeepWhatTheHandComputedBoundsKeep() {
    CrossEncoderMiner none = miner(null, ScoreActivation.SIGMOID);
    HardNegatives all = mine(none);
    assertNegatives(
        all,
        List.of("c1", "c2", "c4", "c3", "c5"),
        List.of(1, 2, 4, 5, 6),
        List.of(0.731059, 0.379894, 0.365864, 0.342990, 0.119203));
    assertEquals(0.377541, all.positiveScores().get("pos"), 1e-6);
    assertEquals("sigmoid", none.scoreScale());

    CrossEncoderMiner relative =
        miner(CrossEncoderMiner.Margin.relative(0.05), ScoreActivation.SIGMOID);
    assertEquals(0.358664, relative.margin().bound(0.377541), 1e-6);
    assertNegatives(
        mine(relative), List.of("c3", "c5"), List.of(5, 6), List.of(0.342990, 0.119203));
    assertEquals(3, relative.droppedByMargin(), "c1, c2 and c4");

    CrossEncoderMiner absolute =
        miner(CrossEncoderMiner.Margin.absolute(0.1), ScoreActivation.SIGMOID);
    assertNegatives(mine(absolute), List.of("c5"), List.of(6), List.of(0.119203));
    assertEquals(4, absolute.droppedByMargin(), "all but c5");
  }

  @Test
  void rawLogitsWriteTheBytesTheOldCodeWrote() {
    List<CrossEncoderMiner.Margin> margins =
        Arrays.asList(
            null, CrossEncoderMiner.Margin.relative(0.05), CrossEncoderMiner.Margin.absolute(0.1));
    for (int i = 0; i < margins.size(); i++) {
      CrossEncoderMiner miner = miner(margins.get(i), ScoreActivation.NONE);
      assertEquals(RAW_LOGIT_ROWS.get(i), NegativesJsonl.toJson(mine(miner)), "" + margins.get(i));
      assertEquals(RAW_LOGIT_DROPPED.get(i), miner.droppedByMargin(), "" + margins.get(i));
      assertEquals("none", miner.scoreScale());
    }
    // The relative bound on a negative logit lies above the positive: c2 (-0.49) outscores the
    // positive (-0.5) and is still kept.
    assertTrue(RAW_LOGIT_ROWS.get(1).contains("\"doc_id\":\"c2\""));
  }

  @Test
  void activationsParseByNameAndTheSigmoidNeedsOneLogit() {
    assertEquals(ScoreActivation.SIGMOID, ScoreActivation.parse("Sigmoid"));
    assertEquals(ScoreActivation.NONE, ScoreActivation.parse("none"));
    var bad = assertThrows(IllegalArgumentException.class, () -> ScoreActivation.parse("tanh"));
    assertEquals("--activation must be 'sigmoid' or 'none', was 'tanh'", bad.getMessage());
    Path model = Path.of("models", "two-label");
    var two =
        assertThrows(DatasetFormatException.class, () -> ScoreActivation.SIGMOID.check(2, model));
    assertTrue(
        two.getMessage().startsWith(model + ": a cross-encoder with 2 labels"), two.getMessage());
    assertTrue(two.getMessage().contains("--activation none"), two.getMessage());
    ScoreActivation.SIGMOID.check(1, model);
    ScoreActivation.NONE.check(2, model);
    assertEquals(0.5, ScoreActivation.SIGMOID.apply(0f), 0);
    assertEquals(-0.49000000953674316, ScoreActivation.NONE.apply(-0.49f), 0);
  }
}
