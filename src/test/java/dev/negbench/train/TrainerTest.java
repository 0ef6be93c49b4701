package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.TinyDatasets;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.model.Encoders;
import dev.negbench.model.Fixtures;
import dev.negbench.model.SafeTensors;
import dev.negbench.model.TextEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training the distilbert-tiny fixture on a six-document dataset: output, resume, bad input. */
class TrainerTest {
  private static final String MODEL = Fixtures.dir(Fixtures.BI_ENCODER).toString();

  private static Path negatives(Path dir) throws IOException {
    Path file = dir.resolve("negatives.jsonl");
    List<String> rows =
        List.of(
            NegativesJsonl.toJson(
                new HardNegatives(
                    "q1",
                    "roasting coffee beans",
                    List.of("d2"),
                    List.of(new Negative("d3", 1, 2.0), new Negative("d5", 2, 1.0)))),
            NegativesJsonl.toJson(
                new HardNegatives(
                    "q2",
                    "green tea brewing",
                    List.of("d4", "d5"),
                    List.of(new Negative("d3", 1, 2.0)))),
            NegativesJsonl.toJson(
                new HardNegatives(
                    "q3",
                    "bicycle brakes",
                    List.of("d6"),
                    List.of(
                        new Negative("gen:q3:0", 0, 0, "a generated passage about car brakes")))));
    Files.write(file, rows);
    return file;
  }

  private static TrainingSettings settings(int epochs) {
    return new TrainingSettings(epochs, 2, 1e-3, 0.01, 0.25, 1.0, 16, 32, 1, 20, 7, "cpu");
  }

  @Test
  void trainsWritesAHuggingFaceCheckpointAndResumesToTheSameWeights(@TempDir Path tmp)
      throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    Path negs = negatives(tmp);
    Path whole = tmp.resolve("whole");
    TrainingReport report =
        Trainer.train(ds, "train", negs, MODEL, settings(2), whole, Progress.Factory.NONE);
    // 4 examples (q2 has two positives) in batches of 2 (no duplicates: q2's two examples share
    // their query), 2 epochs.
    assertTrue(report.steps() >= 4, "steps " + report.steps());
    assertEquals(8, report.triples());
    // The trained model separates the trained positives from their negatives better than before.
    assertTrue(
        margin(whole.toString()) > margin(MODEL) + 0.01,
        margin(MODEL) + " -> " + margin(whole.toString()));
    assertTrue(
        Files.isRegularFile(whole.resolve("model.safetensors"))
            && Files.isRegularFile(whole.resolve("training.json")));
    assertFalse(Files.exists(whole.resolve("checkpoint")));
    Map<String, SafeTensors.Tensor> trained = SafeTensors.read(whole.resolve("model.safetensors"));
    Map<String, SafeTensors.Tensor> initial =
        SafeTensors.read(Fixtures.dir(Fixtures.BI_ENCODER).resolve("model.safetensors"));
    assertEquals(initial.keySet(), trained.keySet());
    assertFalse(
        Arrays.equals(
            initial.get("transformer.layer.0.attention.q_lin.weight").data(),
            trained.get("transformer.layer.0.attention.q_lin.weight").data()));

    // A run stopped after its first checkpoint (simulated: the final files removed) resumes there.
    Path partial = tmp.resolve("partial");
    List<Long> steps = new ArrayList<>();
    assertThrows(
        IllegalStateException.class,
        () ->
            Trainer.train(
                ds,
                "train",
                negs,
                MODEL,
                settings(2),
                partial,
                Progress.Factory.NONE,
                2,
                (s, t, l, lr, sps) -> {
                  steps.add(s);
                  if (s == 3) {
                    throw new IllegalStateException("crash after step 3");
                  }
                }));
    assertTrue(Files.isRegularFile(partial.resolve("checkpoint/state.json")));
    double checkpointed =
        Json.MAPPER
            .readTree(partial.resolve("checkpoint/state.json").toFile())
            .get("seconds")
            .asDouble();
    assertTrue(checkpointed > 0, "the checkpoint records the run's seconds so far");
    steps.clear();
    TrainingReport resumed =
        Trainer.train(
            ds,
            "train",
            negs,
            MODEL,
            settings(2),
            partial,
            Progress.Factory.NONE,
            2,
            (s, t, l, lr, sps) -> steps.add(s));
    // training.json's seconds are the whole run's: the first process's up to its checkpoint, then
    // this one's.
    assertEquals(checkpointed + resumed.seconds(), Trainer.recorded(partial).seconds(), 1e-9);
    assertEquals(
        report.seconds(),
        Trainer.recorded(whole).seconds(),
        1e-9,
        "a run in one process: its own seconds");
    assertEquals(3L, steps.get(0), "resumed after the checkpoint of step 2");
    assertEquals(report.steps(), resumed.steps());
    assertEquals(report.lastLoss(), resumed.lastLoss(), 1e-5);
    Map<String, SafeTensors.Tensor> again = SafeTensors.read(partial.resolve("model.safetensors"));
    for (var e : trained.entrySet()) {
      assertArrayEquals(e.getValue().data(), again.get(e.getKey()).data(), 1e-5f, e.getKey());
    }
    // Done runs are not repeated.
    assertEquals(
        0,
        Trainer.train(ds, "train", negs, MODEL, settings(2), partial, Progress.Factory.NONE)
            .seconds());

    try (TextEncoder encoder = Encoders.open(whole.toString(), 32, 4, 1)) {
      assertEquals(32, encoder.encode(List.of("coffee"), true, Progress.NONE)[0].length);
    }
  }

  /** Sum over q1 and q3 of cos(query, positive) - cos(query, hard negative). */
  private static double margin(String model) {
    try (TextEncoder e = Encoders.open(model, 32, 8, 1)) {
      float[][] v =
          e.encode(
              List.of(
                  "roasting coffee beans",
                  "Roasting coffee how to roast coffee beans at home",
                  "Tea green tea leaves and black tea brewing",
                  "bicycle brakes",
                  " mountain bicycle tyres and bicycle brakes",
                  "a generated passage about car brakes"),
              true,
              Progress.NONE);
      return dot(v[0], v[1]) - dot(v[0], v[2]) + dot(v[3], v[4]) - dot(v[3], v[5]);
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void unknownIdsAndOtherSettingsAreBadInput(@TempDir Path tmp) throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    Path bad = tmp.resolve("bad.jsonl");
    Files.writeString(
        bad,
        NegativesJsonl.toJson(
                new HardNegatives(
                    "q1",
                    "roasting coffee beans",
                    List.of("d2"),
                    List.of(new Negative("d3", 1, 2.0))))
            + "\n\n"
            + NegativesJsonl.toJson(
                new HardNegatives(
                    "q3", "bicycle brakes", List.of("d6"), List.of(new Negative("nope", 1, 2.0))))
            + "\n");
    var e =
        assertThrows(
            DatasetFormatException.class,
            () ->
                Trainer.train(
                    ds, "train", bad, MODEL, settings(1), tmp.resolve("o"), Progress.Factory.NONE));
    assertTrue(
        e.getMessage().contains("bad.jsonl:3") && e.getMessage().contains("'nope'"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> settings(0).validate());
  }

  @Test
  void batchesHoldNoTextTwiceAndFollowTheSeed() {
    List<TrainingExample> examples = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // Four queries with ten positives each, and shared negatives.
      examples.add(
          new TrainingExample("query " + (i % 4), "positive " + i, List.of("negative " + (i % 7))));
    }
    List<int[]> batches = TrainingData.epochBatches(examples, 4, 1, 0);
    assertEquals(
        batches.stream().map(b -> Arrays.toString(b)).toList(),
        TrainingData.epochBatches(examples, 4, 1, 0).stream()
            .map(b -> Arrays.toString(b))
            .toList());
    Set<Integer> all = new HashSet<>();
    for (int[] b : batches) {
      Set<String> texts = new HashSet<>();
      for (int i : b) {
        assertTrue(all.add(i), "example " + i + " twice");
        TrainingExample x = examples.get(i);
        assertTrue(
            texts.add(x.query()) & texts.add(x.positive()) & texts.add(x.negatives().get(0)),
            "duplicate text in a batch");
      }
    }
    assertEquals(40, all.size());
  }
}
