package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.TinyDatasets;
import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows for one (query, positive) pair beside rows for a whole query. */
class TrainingDataTest {
  @TempDir Path tmp;

  /**
   * The small dataset with q1 given a second positive, d3; q2's d5 stays judged non-relevant (0).
   */
  private BeirDataset twoPositives() throws IOException {
    Path dir = TinyDatasets.small(tmp.resolve("data"));
    Files.writeString(
        dir.resolve("qrels/train.tsv"),
        "query-id\tcorpus-id\tscore\nq1\td2\t2\nq1\td3\t1\nq2\td4\t1\nq2\td5\t0\n");
    return BeirDataset.open(dir);
  }

  /** A generator's row: one passage made against {@code positiveId}. */
  private static HardNegatives pair(String queryId, String query, String positiveId, String text) {
    return HardNegatives.forPositive(
        queryId,
        query,
        positiveId,
        List.of(new Negative("gen:" + queryId + ":" + positiveId + ":1", 0, 0, text)));
  }

  @Test
  void eachPairRowTrainsItsOwnPositiveAndWholeQueryRowsAsBefore() throws IOException {
    BeirDataset ds = twoPositives();
    Path file = tmp.resolve("negatives.jsonl");
    HardNegatives mined =
        new HardNegatives(
            "q2",
            "green tea brewing",
            List.of("d4"),
            List.of(new Negative("d6", 1, 2.0), new Negative("d3", 2, 1.0)));
    NegativesJsonl.write(
        file,
        List.of(
            pair("q1", "roasting coffee beans", "d3", "made against d3"),
            mined,
            pair("q1", "roasting coffee beans", "d2", "made against d2")));
    TrainingData.Loaded loaded = TrainingData.load(ds, "train", file, 1);
    assertEquals(3, loaded.rows());
    assertEquals(
        List.of(
            new TrainingExample(
                "roasting coffee beans",
                "Tea green tea leaves and black tea brewing",
                List.of("made against d3")),
            new TrainingExample(
                "green tea brewing",
                "Brewing tea tea brewing temperature for green tea",
                List.of("mountain bicycle tyres and bicycle brakes")),
            new TrainingExample(
                "roasting coffee beans",
                "Roasting coffee how to roast coffee beans at home",
                List.of("made against d2"))),
        loaded.examples());
  }

  @Test
  void aPairWhosePositiveIsNotRelevantNamesFileAndLine() throws IOException {
    BeirDataset ds = twoPositives();
    Path file = tmp.resolve("bad.jsonl");
    NegativesJsonl.write(
        file,
        List.of(
            pair("q1", "roasting coffee beans", "d2", "a"),
            pair("q2", "green tea brewing", "d5", "b")));
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> TrainingData.load(ds, "train", file, 1));
    assertTrue(
        e.getMessage()
                .startsWith(
                    file
                        + ":2: positive_id 'd5' is not a positive of query q2 in "
                        + ds.qrelsFile("train"))
            && e.getMessage().contains("[d4]"),
        e.getMessage());
  }
}
