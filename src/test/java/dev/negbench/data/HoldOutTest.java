package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development split carved out of a training split (issue 31). */
class HoldOutTest {
  /** TinyDatasets.small with twenty train queries, t00 to t19, each relevant to d2. */
  private static BeirDataset twenty(Path dir) throws IOException {
    TinyDatasets.small(dir);
    String rows =
        IntStream.range(0, 20)
            .mapToObj(i -> String.format("t%02d\td2\t1\n", i))
            .collect(Collectors.joining());
    Files.writeString(
        dir.resolve("queries.jsonl"),
        IntStream.range(0, 20)
            .mapToObj(i -> String.format("{\"_id\": \"t%02d\", \"text\": \"coffee %d\"}\n", i, i))
            .collect(Collectors.joining()),
        StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("qrels/train.tsv"),
        "query-id\tcorpus-id\tscore\n" + rows,
        StandardCharsets.UTF_8);
    return BeirDataset.open(dir);
  }

  @Test
  void theSameSeedDrawsTheSameSplitAndAnotherSeedAnother(@TempDir Path tmp) throws IOException {
    BeirDataset ds = twenty(tmp.resolve("data"));
    List<String> a = HoldOut.draw(ds, "train", 5, 1);
    assertEquals(5, a.size());
    assertEquals(5, new HashSet<>(a).size());
    assertEquals(a, HoldOut.draw(ds, "train", 5, 1));
    assertNotEquals(Set.copyOf(a), Set.copyOf(HoldOut.draw(ds, "train", 5, 2)));
  }

  @Test
  void theCarvePartitionsTheQrelsAndLinksTheRest(@TempDir Path tmp) throws IOException {
    BeirDataset ds = twenty(tmp.resolve("data"));
    Path out = tmp.resolve("carve");
    HoldOut.Manifest m = HoldOut.carve(ds, "train", 5, 1, out);
    assertEquals(HoldOut.draw(ds, "train", 5, 1), m.devQueries());
    assertEquals(15, m.trainQueries());

    BeirDataset carve = BeirDataset.open(out);
    assertEquals(List.of("dev", "test", "train-minus-dev"), carve.splits());
    Set<String> dev = carve.qrels("dev").queryIds();
    Set<String> train = carve.qrels("train-minus-dev").queryIds();
    assertEquals(Set.copyOf(m.devQueries()), dev);
    assertEquals(15, train.size());
    assertTrue(train.stream().noneMatch(dev::contains), "disjoint");
    Set<String> all = new HashSet<>(train);
    all.addAll(dev);
    assertEquals(ds.qrels("train").queryIds(), all);
    assertTrue(Files.isSymbolicLink(out.resolve("corpus.jsonl")));
    assertEquals(ds.corpusChecksum(), carve.corpusChecksum());
    assertEquals(m.devQueries(), HoldOut.heldOutOf(out, "train-minus-dev"));
    assertNull(HoldOut.heldOutOf(out, "test"));
    assertNull(HoldOut.heldOutOf(tmp.resolve("data"), "train"));

    // The same carve again is a no-op; another carve into the folder is refused.
    assertEquals(m, HoldOut.carve(ds, "train", 5, 1, out));
    var other =
        assertThrows(DatasetFormatException.class, () -> HoldOut.carve(ds, "train", 6, 1, out));
    assertTrue(other.getMessage().contains("hold-out.json"), other.getMessage());
    assertTrue(other.getMessage().contains("expected a new folder"), other.getMessage());
  }

  @Test
  void heldOutQueriesNeverReachTheTrainingSplit(@TempDir Path tmp) throws IOException {
    BeirDataset ds = twenty(tmp.resolve("data"));
    HoldOut.Manifest m = HoldOut.carve(ds, "train", 4, 3, tmp.resolve("carve"));
    BeirDataset carve = BeirDataset.open(tmp.resolve("carve"));
    List<Query> trained = carve.queries(carve.qrels("train-minus-dev"), carve.queries());
    assertEquals(16, trained.size());
    for (Query q : trained) {
      assertFalse(m.devQueries().contains(q.id()), q.id());
    }
  }

  @Test
  void badCountsAreRefusedNamingTheQrels(@TempDir Path tmp) throws IOException {
    BeirDataset ds = twenty(tmp.resolve("data"));
    for (int n : new int[] {0, -1, 20, 21}) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> HoldOut.carve(ds, "train", n, 1, tmp.resolve("c" + n)));
      assertTrue(e.getMessage().contains("expected 1 to 19 queries"), e.getMessage());
      assertTrue(e.getMessage().contains("train.tsv has 20"), e.getMessage());
      assertFalse(Files.exists(tmp.resolve("c" + n)));
    }
  }
}
