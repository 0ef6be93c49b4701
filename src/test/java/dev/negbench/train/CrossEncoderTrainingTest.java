package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.TinyDatasets;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.model.DjlCrossEncoder;
import dev.negbench.model.DjlModel;
import dev.negbench.model.Fixtures;
import dev.negbench.model.QueryPassage;
import dev.negbench.model.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-encoder training from the tiny DistilBERT and BERT fixtures: head, checkpoint, learning,
 * resume, bad input.
 */
class CrossEncoderTrainingTest {
  private static final String DISTILBERT = Fixtures.dir(Fixtures.BI_ENCODER).toString();
  private static final Objective SOFTMAX = new CrossEncoderObjective(CrossEncoderLoss.Kind.SOFTMAX);

  static Path negatives(Path dir) throws IOException {
    Path file = dir.resolve("ce-negatives.jsonl");
    Files.write(
        file,
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
                    List.of("d4"),
                    List.of(new Negative("d3", 1, 2.0), new Negative("d2", 2, 1.0)))),
            NegativesJsonl.toJson(
                new HardNegatives(
                    "q3",
                    "bicycle brakes",
                    List.of("d6"),
                    List.of(new Negative("d5", 1, 2.0), new Negative("d2", 2, 1.0))))));
    return file;
  }

  static TrainingSettings settings(int epochs) {
    // A pair is one input: both lengths are the pair's; scale is MNRL's and unused.
    // The fixtures' logits start near 0.01 (random weights of std 0.02): a large rate moves them in
    // a few steps.
    return new TrainingSettings(epochs, 2, 1e-2, 0.01, 0.25, 1.0, 48, 48, 2, 20, 7, "cpu");
  }

  /**
   * Sum over the three training queries of score(query, positive) - mean score(query, its
   * negatives).
   */
  static double margin(String model) {
    List<QueryPassage> pairs = new ArrayList<>();
    String[][] groups = {
      {
        "roasting coffee beans",
        "Roasting coffee how to roast coffee beans at home",
        "Tea green tea leaves and black tea brewing",
        "Bicycles bicycle chain maintenance and coffee stops"
      },
      {
        "green tea brewing",
        "Brewing tea tea brewing temperature for green tea",
        "Tea green tea leaves and black tea brewing",
        "Roasting coffee how to roast coffee beans at home"
      },
      {
        "bicycle brakes",
        " mountain bicycle tyres and bicycle brakes",
        "Bicycles bicycle chain maintenance and coffee stops",
        "Roasting coffee how to roast coffee beans at home"
      }
    };
    for (String[] g : groups) {
      for (int i = 1; i < g.length; i++) {
        pairs.add(new QueryPassage(g[0], g[i]));
      }
    }
    try (DjlCrossEncoder ce = DjlCrossEncoder.open(model, 48, 8, 1, "cpu")) {
      float[] s = ce.score(pairs, Progress.NONE);
      double m = 0;
      for (int q = 0; q < 3; q++) {
        m += s[3 * q] - (s[3 * q + 1] + s[3 * q + 2]) / 2;
      }
      return m;
    }
  }

  @Test
  void trainsADistilbertCrossEncoderThatRanksPositivesHigherAndResumes(@TempDir Path tmp)
      throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    Path negs = negatives(tmp);
    Path whole = tmp.resolve("whole");
    TrainingReport report =
        Trainer.train(
            ds,
            "train",
            negs,
            DISTILBERT,
            settings(10),
            SOFTMAX,
            whole,
            Progress.Factory.NONE,
            100,
            Trainer.Listener.NONE);
    assertEquals(30, report.triples(), "3 groups x 10 epochs");
    assertTrue(
        report.lastLoss() < report.firstLoss(), report.firstLoss() + " -> " + report.lastLoss());

    JsonNode config = Json.PLAIN.readTree(whole.resolve("config.json").toFile());
    assertEquals(
        "DistilBertForSequenceClassification", config.get("architectures").get(0).asText());
    assertEquals(1, config.get("id2label").size());
    assertFalse(
        Files.exists(whole.resolve("modules.json")),
        "a cross-encoder is no sentence-transformers bi-encoder");
    assertTrue(
        Files.isRegularFile(whole.resolve("tokenizer.json"))
            && Files.isRegularFile(whole.resolve("training.json")));
    Map<String, SafeTensors.Tensor> w = SafeTensors.read(whole.resolve("model.safetensors"));
    assertArrayEquals(new long[] {1, 32}, w.get("classifier.weight").shape());
    assertArrayEquals(new long[] {1}, w.get("classifier.bias").shape());
    assertArrayEquals(new long[] {32, 32}, w.get("pre_classifier.weight").shape());
    assertTrue(w.containsKey("distilbert.transformer.layer.1.ffn.lin2.weight"));

    // The trained model separates positives from the negatives it was trained on; the same model
    // with its new head before training (same seed) does not.
    Path initial = tmp.resolve("initial");
    try (var m = DjlModel.openCrossEncoder(DISTILBERT, Device.cpu(), 7)) {
      m.save(initial, 48);
    }
    double before = margin(initial.toString());
    double trained = margin(whole.toString());
    assertTrue(trained > before + 0.1, "margin " + before + " -> " + trained);

    // A run stopped after step 3 resumes at the checkpoint of step 2 and ends with the same
    // weights.
    Path partial = tmp.resolve("partial");
    assertThrows(
        IllegalStateException.class,
        () ->
            Trainer.train(
                ds,
                "train",
                negs,
                DISTILBERT,
                settings(10),
                SOFTMAX,
                partial,
                Progress.Factory.NONE,
                2,
                (s, t, l, lr, sps) -> {
                  if (s == 3) {
                    throw new IllegalStateException("crash after step 3");
                  }
                }));
    List<Long> steps = new ArrayList<>();
    Trainer.train(
        ds,
        "train",
        negs,
        DISTILBERT,
        settings(10),
        SOFTMAX,
        partial,
        Progress.Factory.NONE,
        2,
        (s, t, l, lr, sps) -> steps.add(s));
    assertEquals(3L, steps.get(0));
    Map<String, SafeTensors.Tensor> again = SafeTensors.read(partial.resolve("model.safetensors"));
    for (var e : w.entrySet()) {
      assertArrayEquals(e.getValue().data(), again.get(e.getKey()).data(), 1e-5f, e.getKey());
    }
    // The bi-encoder objective over the same folder is another run: it refuses the partial one.
    Path other = tmp.resolve("other");
    assertThrows(
        IllegalStateException.class,
        () ->
            Trainer.train(
                ds,
                "train",
                negs,
                DISTILBERT,
                settings(10),
                SOFTMAX,
                other,
                Progress.Factory.NONE,
                2,
                (s, t, l, lr, sps) -> {
                  if (s == 3) {
                    throw new IllegalStateException("stop");
                  }
                }));
    var mismatch =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Trainer.train(
                    ds, "train", negs, DISTILBERT, settings(10), other, Progress.Factory.NONE));
    assertTrue(
        mismatch.getMessage().contains("partial run with other inputs"), mismatch.getMessage());
  }

  @Test
  void bceTrainsABertCrossEncoderFurther(@TempDir Path tmp) throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    String bert = Fixtures.dir(Fixtures.CROSS_ENCODER).toString();
    double before = margin(bert);
    Path out = tmp.resolve("bce");
    Objective bce = new CrossEncoderObjective(CrossEncoderLoss.Kind.BCE);
    TrainingReport r =
        Trainer.train(
            ds,
            "train",
            negatives(tmp),
            bert,
            settings(10),
            bce,
            out,
            Progress.Factory.NONE,
            100,
            Trainer.Listener.NONE);
    assertTrue(
        Double.isFinite(r.lastLoss()) && r.lastLoss() < r.firstLoss(),
        r.firstLoss() + " -> " + r.lastLoss());
    assertTrue(margin(out.toString()) > before + 0.1, before + " -> " + margin(out.toString()));
    JsonNode config = Json.PLAIN.readTree(out.resolve("config.json").toFile());
    assertEquals("BertForSequenceClassification", config.get("architectures").get(0).asText());
    assertTrue(
        SafeTensors.read(out.resolve("model.safetensors")).containsKey("bert.pooler.dense.weight"));
  }

  @Test
  void aQueryWithoutAPositiveIsBadInputNamingFileAndLine(@TempDir Path tmp) throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    Path bad = tmp.resolve("bad.jsonl");
    // q4's only judgment is 0: nothing to label a group with.
    Files.write(
        bad,
        List.of(
            NegativesJsonl.toJson(
                new HardNegatives(
                    "q1",
                    "roasting coffee beans",
                    List.of("d2"),
                    List.of(new Negative("d3", 1, 2.0)))),
            NegativesJsonl.toJson(
                new HardNegatives(
                    "q4", "coffee", List.of("d3"), List.of(new Negative("d2", 1, 2.0))))));
    Path out = tmp.resolve("o");
    var e =
        assertThrows(
            DatasetFormatException.class,
            () ->
                Trainer.train(
                    ds,
                    "train",
                    bad,
                    DISTILBERT,
                    settings(1),
                    SOFTMAX,
                    out,
                    Progress.Factory.NONE,
                    100,
                    Trainer.Listener.NONE));
    assertTrue(
        e.getMessage().contains("bad.jsonl:2")
            && e.getMessage().contains("query q4 has no positive"),
        e.getMessage());
    assertFalse(Files.exists(out));
    // A positive the qrels judge 0 is no label either.
    Files.write(
        bad,
        List.of(
            NegativesJsonl.toJson(
                new HardNegatives(
                    "q2",
                    "green tea brewing",
                    List.of("d4", "d5"),
                    List.of(new Negative("d3", 1, 2.0))))));
    e =
        assertThrows(
            DatasetFormatException.class,
            () ->
                Trainer.train(
                    ds,
                    "train",
                    bad,
                    DISTILBERT,
                    settings(1),
                    SOFTMAX,
                    out,
                    Progress.Factory.NONE,
                    100,
                    Trainer.Listener.NONE));
    assertTrue(
        e.getMessage().contains("bad.jsonl:1")
            && e.getMessage().contains("positive 'd5' of query q2 is not relevant"),
        e.getMessage());
    assertFalse(Files.exists(out));
  }
}
