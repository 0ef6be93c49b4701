package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.SyntheticDataset;
import dev.negbench.io.AtomicFiles;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a dataset: a synthetic one written once as a stage, and its files' checksums. */
class DatasetInputsTest {
  @TempDir Path dir;

  private final List<String> log = new ArrayList<>();

  private Pipeline pipeline(String datasets) throws IOException {
    return PipelineTest.offline(
        dir,
        """
        name: inputs
        %s
        sources: [{type: bm25, num_negatives: 1}]
        training: {model: %s}
        """
            .formatted(datasets, Fixtures.dir(Fixtures.BI_ENCODER)),
        log::add);
  }

  @Test
  void aSyntheticDatasetIsWrittenOnceAndChecksummed() throws IOException {
    Pipeline p = pipeline("datasets: [synthetic:100]");
    ExperimentConfig.DatasetRef ref = p.loaded.datasets().get(0);
    DatasetInputs first = DatasetInputs.open(p, ref);
    assertEquals("synthetic-100", first.name());
    assertEquals(20, first.queries().size(), "DOCS/5 queries");
    assertEquals(
        List.of("corpus", "eval_qrels", "queries", "train_qrels"),
        List.copyOf(first.checksums().keySet()));
    assertEquals(AtomicFiles.sha256(first.dataset().queriesFile()), first.checksum("queries"));
    DatasetInputs again = DatasetInputs.open(p, ref);
    assertEquals(first.checksums(), again.checksums(), "same seed, same files");
    assertEquals(2, log.size(), log.toString());
    assertTrue(log.get(0).startsWith("synthetic synthetic:100: done in "), log.get(0));
    assertTrue(log.get(1).startsWith("synthetic synthetic:100: reused "), log.get(1));
  }

  @Test
  void aDatasetWithoutATrainingSplitHasNoTrainingQrelsChecksum() throws IOException {
    Path testOnly = dir.resolve("test-only");
    SyntheticDataset.write(new SyntheticDataset.Settings(50, 10, 7), testOnly);
    Files.delete(testOnly.resolve("qrels/train.tsv"));
    Pipeline p = pipeline("train_on: {dataset: synthetic:100}\ndatasets: [test-only]");
    DatasetInputs inputs = DatasetInputs.open(p, p.loaded.datasets().get(0));
    assertEquals(
        List.of("corpus", "eval_qrels", "queries"), List.copyOf(inputs.checksums().keySet()));
    assertNull(inputs.checksum("train_qrels"));
    assertTrue(log.isEmpty(), "a BEIR folder is read, not written: " + log);
    // Evaluated only: the training collection is the one with a training split.
    DatasetInputs training = DatasetInputs.open(p, p.loaded.trainOn());
    assertEquals(4, training.checksums().size(), training.checksums().toString());
  }
}
