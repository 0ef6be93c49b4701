package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetTest {
  @TempDir Path tmp;

  @Test
  void sameSettingsGiveSameBytes() throws IOException {
    var settings = new SyntheticDataset.Settings(500, 60, 7);
    SyntheticDataset.write(settings, tmp.resolve("a"));
    SyntheticDataset.write(settings, tmp.resolve("b"));
    for (String f :
        List.of(
            "corpus.jsonl",
            "queries.jsonl",
            "qrels/train.tsv",
            "qrels/test.tsv",
            "synthetic.json")) {
      assertArrayEquals(
          Files.readAllBytes(tmp.resolve("a").resolve(f)),
          Files.readAllBytes(tmp.resolve("b").resolve(f)),
          f);
    }
    SyntheticDataset.write(new SyntheticDataset.Settings(500, 60, 8), tmp.resolve("c"));
    assertFalse(
        Arrays.equals(
            Files.readAllBytes(tmp.resolve("a/corpus.jsonl")),
            Files.readAllBytes(tmp.resolve("c/corpus.jsonl"))),
        "another seed, another corpus");
  }

  @Test
  void writesAValidLabelledBeirDatasetWithGradedQrels() {
    SyntheticDataset.write(new SyntheticDataset.Settings(2000, 200, 42), tmp.resolve("d"));
    BeirDataset ds = BeirDataset.open(tmp.resolve("d"));
    assertTrue(ds.isSynthetic());
    List<Document> docs = new ArrayList<>();
    assertEquals(2000, ds.forEachDocument(docs::add));
    assertTrue(docs.stream().allMatch(d -> d.id().startsWith("syn-d") && !d.title().isEmpty()));
    Set<String> ids = new HashSet<>();
    docs.forEach(d -> ids.add(d.id()));
    var queries = ds.queries();
    assertEquals(200, queries.size());
    Qrels train = ds.qrels("train");
    Qrels test = ds.qrels("test");
    assertEquals(160, train.queryCount());
    assertEquals(40, test.queryCount());
    assertTrue(BeirDataset.checkReferences(train, queries.keySet(), ids::contains).clean());
    assertTrue(BeirDataset.checkReferences(test, queries.keySet(), ids::contains).clean());
    Set<Integer> grades = new HashSet<>();
    for (String q : train.queryIds()) {
      assertEquals(
          1,
          train.judgments(q).values().stream().filter(g -> g == 2).count(),
          "one target per query");
      grades.addAll(train.judgments(q).values());
    }
    assertEquals(Set.of(0, 1, 2), grades, "graded qrels with judged distractors");
  }

  @Test
  void refusesANonEmptyOutputFolderAndBadSettings() throws IOException {
    Files.createDirectories(tmp.resolve("full"));
    Files.writeString(tmp.resolve("full/keep.txt"), "mine");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SyntheticDataset.write(
                    new SyntheticDataset.Settings(100, 10, 1), tmp.resolve("full")));
    assertTrue(e.getMessage().contains("not empty"));
    assertEquals("mine", Files.readString(tmp.resolve("full/keep.txt")));
    assertThrows(IllegalArgumentException.class, () -> new SyntheticDataset.Settings(100, 200, 1));
    assertThrows(IllegalArgumentException.class, () -> new SyntheticDataset.Settings(5, 2, 1));
  }
}
