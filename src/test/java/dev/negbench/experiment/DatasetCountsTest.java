package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.negbench.data.SyntheticDataset;
import dev.negbench.experiment.sources.Work;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sizes a run's work is counted from, from a dataset's files or a synthetic one's size. */
class DatasetCountsTest {
  @TempDir Path dir;

  /**
   * The formula's documents and queries are those of the files; its pairs assume one positive a
   * query, where the files also judge some related documents relevant (94 pairs here, not 80).
   */
  @Test
  void aSyntheticDatasetsDocumentsAndQueriesAreThoseOfItsFiles() {
    DatasetCounts formula = DatasetCounts.synthetic(500);
    assertEquals(new DatasetCounts(500, 80, 80, 20), formula);
    assertEquals(new Work.Sizes(500, 80, 80), formula.sizes());
    Path written = dir.resolve("synthetic");
    SyntheticDataset.write(
        new SyntheticDataset.Settings(500, 100, DatasetInputs.SYNTHETIC_SEED), written);
    DatasetCounts files =
        DatasetCounts.of(
            new ExperimentConfig.DatasetRef("synthetic", "synthetic", written, 0), "train", "test");
    assertEquals(new DatasetCounts(500, 80, 94, 20), files);
  }

  @Test
  void aSplitTheDatasetLacksCountsNoQueries() throws IOException {
    Path testOnly = dir.resolve("test-only");
    SyntheticDataset.write(new SyntheticDataset.Settings(50, 10, 7), testOnly);
    Files.delete(testOnly.resolve("qrels/train.tsv"));
    var ref = new ExperimentConfig.DatasetRef("test-only", "test-only", testOnly, 0);
    assertEquals(new DatasetCounts(50, 0, 0, 2), DatasetCounts.of(ref, "train", "test"));
    assertEquals(new DatasetCounts(50, 0, 0, 0), DatasetCounts.of(ref, "train", "dev"));
  }

  @Test
  void aResultsDatasetIsCountedWhenTheConfigNamesItOrItIsSynthetic() throws IOException {
    SyntheticDataset.write(new SyntheticDataset.Settings(50, 10, 7), dir.resolve("mine"));
    Path file = dir.resolve("exp.yaml");
    Files.writeString(
        file,
        """
        name: counts
        datasets: [mine]
        sources: [{type: bm25, num_negatives: 1}]
        training: {model: %s}
        """
            .formatted(Fixtures.dir(Fixtures.BI_ENCODER)));
    DatasetCounts.Counter counter = new DatasetCounts.Counter(ExperimentConfig.load(file));
    assertEquals(DatasetCounts.synthetic(300), counter.ofName("synthetic-300"));
    assertEquals(new DatasetCounts(50, 8, 9, 2), counter.ofName("mine"));
    assertNull(counter.ofName("scifact"), "a dataset the config does not name");
  }
}
