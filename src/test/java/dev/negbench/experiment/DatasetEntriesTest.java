package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.TinyDatasets;
import dev.negbench.download.BeirZips;
import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code beir:NAME} datasets in a config: resolved in the data home, an error naming the download
 * command when absent, counted from the catalogue when read to plan.
 */
class DatasetEntriesTest {
  @TempDir Path dir;

  private Path config(String datasets) throws IOException {
    Path file = dir.resolve("configs/exp.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "name: x\n"
            + datasets
            + "sources: [{type: bm25}]\ntraining: {model: minilm}\nevaluation: {split: test}\n");
    return file;
  }

  private DatasetFormatException fails(Path config) throws Exception {
    try (AutoCloseable home = BeirZips.dataHome(dir.resolve("data"))) {
      return assertThrows(DatasetFormatException.class, () -> ExperimentConfig.load(config));
    }
  }

  @Test
  void aBeirDatasetIsTheFolderOfItsNameInTheDataHome() throws Exception {
    TinyDatasets.small(dir.resolve("data/scifact"));
    Path config = config("datasets: [beir:scifact, optional:beir:nfcorpus]\n");
    try (AutoCloseable home = BeirZips.dataHome(dir.resolve("data"))) {
      ExperimentConfig.Loaded l = ExperimentConfig.load(config);
      assertEquals(1, l.datasets().size(), "the optional one that is not here is left out");
      ExperimentConfig.DatasetRef ref = l.datasets().get(0);
      assertEquals("scifact", ref.name());
      assertEquals("scifact", ref.beir());
      assertEquals(dir.resolve("data/scifact").toAbsolutePath(), ref.dir().toAbsolutePath());
      assertFalse(ref.notDownloaded());
    }
  }

  @Test
  void aMissingBeirDatasetNamesTheLineAndTheCommandThatFetchesIt() throws Exception {
    Path config = config("datasets:\n  - synthetic:100\n  - beir:nfcorpus\n");
    DatasetFormatException e = fails(config);
    assertEquals(4, e.line(), e.getMessage());
    assertTrue(
        e.getMessage().contains("field 'datasets[1]': beir:nfcorpus is not downloaded")
            && e.getMessage().contains("fetch it with: bin/negbench download beir nfcorpus")
            && e.getMessage().contains("bin/negbench download --config " + config),
        e.getMessage());
  }

  @Test
  void namesThatCannotBeFetchedSayWhy() throws Exception {
    assertTrue(
        fails(config("datasets: [beir:../../etc]\n")).getMessage().contains("expected beir:NAME"));
    assertTrue(
        fails(config("datasets: [beir:nosuch]\n"))
            .getMessage()
            .contains("'nosuch' is not a BEIR dataset negbench can fetch; known: [msmarco"));
    assertTrue(
        fails(config("datasets: [beir:bioasq]\n"))
            .getMessage()
            .contains("BEIR publishes no zip of bioasq"));
    assertTrue(
        fails(config("datasets: [beir:cqadupstack/android]\n"))
            .getMessage()
            .contains("fetch it with: bin/negbench download beir cqadupstack"));
  }

  /**
   * Read to plan or download, a missing beir: dataset is kept for the catalogue and a missing model
   * is listed; a split the catalogue does not know is still an error.
   */
  @Test
  void beforeADownloadMissingDatasetsAndModelsAreAccepted() throws Exception {
    Path config = dir.resolve("configs/plan.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(
        config,
        """
        name: x
        train_on: {dataset: beir:scifact, split: train}
        datasets: [beir:arguana]
        sources: [{type: ce, model: org/not-downloaded-yet}]
        training: {model: minilm}
        """);
    try (AutoCloseable home = BeirZips.dataHome(dir.resolve("data"))) {
      ExperimentConfig.Loaded l = ExperimentConfig.loadBeforeDownload(config);
      assertTrue(l.trainOn().notDownloaded() && l.datasets().get(0).notDownloaded());
      assertEquals("arguana", l.datasets().get(0).name());
      assertEquals(List.of("org/not-downloaded-yet", "minilm"), l.models());
      assertEquals(
          new DatasetCounts(5183, 809, 919, 300, true),
          DatasetCounts.of(l.trainOn(), "train", "test"));
      assertEquals(
          new DatasetCounts(8674, 0, 0, 1406, true),
          DatasetCounts.of(l.datasets().get(0), "train", "test"));
      assertThrows(DatasetFormatException.class, () -> ExperimentConfig.load(config));

      Files.writeString(config, Files.readString(config).replace("split: train", "split: dev"));
      DatasetFormatException e =
          assertThrows(
              DatasetFormatException.class, () -> ExperimentConfig.loadBeforeDownload(config));
      assertTrue(
          e.getMessage()
              .contains("beir:scifact has no split 'dev' (BEIR's splits of it: [train, test])"),
          e.getMessage());
    }
  }
}
