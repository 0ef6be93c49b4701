package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.negbench.results.HardnessSummary;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFolderTest {
  @TempDir Path results;

  @Test
  void seedFoldersInSeedOrderEachFileOrNull() throws IOException {
    Path bm25 = results.resolve("exp/scifact/bm25");
    Files.createDirectories(bm25.resolve("seed-10"));
    Files.createDirectories(bm25.resolve("seed-2"));
    Files.createDirectories(bm25.resolve("notes")); // not a seed folder
    new HardnessSummary("bm25", 10, 50, 0.5, 0.6, 0.7, 0.1, 0.8, 0.2, null, null, 0.3, 100, 120)
        .write(bm25.resolve("seed-10").resolve(ResultsStore.HARDNESS));
    new NegativesCost("bm25", "bm25", 50, List.of(), "test")
        .write(bm25.resolve("seed-2").resolve(ResultsStore.COST));
    Files.createDirectories(results.resolve("exp/scifact/empty")); // no seeds: not a source folder
    Files.createDirectories(results.resolve("exp/arguana/dense/seed-1"));

    List<SourceFolder> folders = SourceFolder.readAll(results);
    assertEquals(
        List.of("exp/arguana/dense", "exp/scifact/bm25"),
        folders.stream().map(f -> f.experiment() + "/" + f.dataset() + "/" + f.source()).toList());
    List<SourceFolder.Seed> seeds = folders.get(1).seeds();
    assertEquals(2, seeds.size());
    assertNotNull(seeds.get(0).cost(), "seed-2 before seed-10");
    assertNull(seeds.get(0).hardness());
    assertNull(seeds.get(0).generation());
    assertEquals(0.5, seeds.get(1).hardness().cosineToQuery());
    assertNull(seeds.get(1).cost());
    assertEquals(List.of(new SourceFolder.Seed(null, null, null)), folders.get(0).seeds());
  }

  @Test
  void noResultsFolderNoSourceFolders() {
    assertEquals(List.of(), SourceFolder.readAll(results.resolve("missing")));
  }
}
