package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MineCeCommandTest {
  @TempDir static Path shared;
  @TempDir Path tmp;
  static Path data;

  @BeforeAll
  static void synth() {
    data = shared.resolve("synth");
    SyntheticDataset.write(new SyntheticDataset.Settings(300, 30, 3), data);
  }

  private CliTest.Outcome mineCe(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "mine-ce",
                "-q",
                "--work-dir=" + shared.resolve("work"),
                "--dataset=" + data,
                "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
                "--candidate-depth=30",
                "--num-negatives=4",
                "--batch-size=8",
                "--out=" + out));
    args.addAll(List.of(extra));
    return CliTest.run(args.toArray(String[]::new));
  }

  @Test
  void writesNegativesWithCrossEncoderScoresAndASummary() throws IOException {
    Path out = tmp.resolve("out/ce.jsonl");
    var o = mineCe(out, "--absolute-margin=0", "--threads=2");
    assertEquals(0, o.code(), o.err());
    List<HardNegatives> rows = NegativesJsonl.read(out);
    JsonNode summary =
        new ObjectMapper().readTree(Files.readString(Path.of(out + ".summary.json")));
    assertEquals("cross-encoder", summary.get("source").asText());
    assertEquals(rows.size(), summary.get("queries").asInt());
    assertEquals(
        rows.stream().mapToLong(h -> h.negatives().size()).sum(),
        summary.get("negatives_found").asLong());
    assertEquals(
        rows.stream().filter(h -> h.negatives().size() < 4).count(),
        summary.get("queries_short_of_n").asLong());
    assertEquals("absolute", summary.get("margin").asText());
    assertEquals("sigmoid", summary.get("score_scale").asText());
    assertEquals(30, summary.get("range_max").asInt(), "--range-max defaults to --candidate-depth");
    assertTrue(summary.get("dropped_by_margin").asLong() > 0, summary.toString());
    for (HardNegatives h : rows) {
      assertEquals(
          h.positiveIds(),
          List.copyOf(h.positiveScores().keySet()),
          "every positive scored, in order");
      double minPositive =
          h.positiveScores().values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      for (Negative n : h.negatives()) {
        assertTrue(n.score() <= minPositive, n + " scores above a positive of " + h.queryId());
        assertFalse(h.positiveIds().contains(n.docId()) || n.docId().equals(h.queryId()));
      }
    }
    // The same run without a margin drops nothing and finds at least as many negatives.
    Path plain = tmp.resolve("plain.jsonl");
    var p = mineCe(plain, "--threads=1");
    assertEquals(0, p.code(), p.err());
    JsonNode plainSummary =
        new ObjectMapper().readTree(Files.readString(Path.of(plain + ".summary.json")));
    assertEquals(0, plainSummary.get("dropped_by_margin").asLong());
    assertTrue(plainSummary.get("margin").isNull());
    assertTrue(plainSummary.get("fuse_weight").isNull());
    // Fused with BM25 at W = 0 the ranks are BM25's; the summary names the weight.
    Path fused = tmp.resolve("fused.jsonl");
    var f = mineCe(fused, "--threads=1", "--fuse=bm25:0");
    assertEquals(0, f.code(), f.err());
    JsonNode fusedSummary =
        new ObjectMapper().readTree(Files.readString(Path.of(fused + ".summary.json")));
    assertEquals(0.0, fusedSummary.get("fuse_weight").asDouble());
    assertNotEquals(NegativesJsonl.read(plain), NegativesJsonl.read(fused));
    assertTrue(
        plainSummary.get("negatives_found").asLong() >= summary.get("negatives_found").asLong());
  }

  @Test
  void scoresAreSigmoidsByDefaultAndRawLogitsWithActivationNone() throws IOException {
    Path sigmoid = tmp.resolve("sigmoid.jsonl");
    var s = mineCe(sigmoid, "--threads=2");
    assertEquals(0, s.code(), s.err());
    Path raw = tmp.resolve("raw.jsonl");
    var r = mineCe(raw, "--threads=2", "--activation=none");
    assertEquals(0, r.code(), r.err());
    ObjectMapper json = new ObjectMapper();
    assertEquals(
        "sigmoid",
        json.readTree(Files.readString(Path.of(sigmoid + ".summary.json")))
            .get("score_scale")
            .asText());
    assertEquals(
        "none",
        json.readTree(Files.readString(Path.of(raw + ".summary.json")))
            .get("score_scale")
            .asText());
    // Without a margin the sigmoid, being monotone, picks the same negatives at the same ranks;
    // only the scores change scale.
    List<HardNegatives> sigmoidRows = NegativesJsonl.read(sigmoid);
    List<HardNegatives> rawRows = NegativesJsonl.read(raw);
    assertEquals(rawRows.size(), sigmoidRows.size());
    for (int i = 0; i < rawRows.size(); i++) {
      List<Negative> a = rawRows.get(i).negatives();
      List<Negative> b = sigmoidRows.get(i).negatives();
      assertEquals(a.size(), b.size());
      for (int j = 0; j < a.size(); j++) {
        assertEquals(a.get(j).docId(), b.get(j).docId());
        assertEquals(a.get(j).rank(), b.get(j).rank());
        assertEquals(1 / (1 + Math.exp(-a.get(j).score())), b.get(j).score(), 1e-15);
      }
      for (var e : rawRows.get(i).positiveScores().entrySet()) {
        assertEquals(
            1 / (1 + Math.exp(-e.getValue())),
            sigmoidRows.get(i).positiveScores().get(e.getKey()),
            1e-15);
      }
    }
  }

  @Test
  void exclusiveMarginsAndBadValuesExitTwoWritingNothing() {
    Path out = tmp.resolve("ce.jsonl");
    var both = mineCe(out, "--relative-margin=0.05", "--absolute-margin=0.1");
    assertEquals(2, both.code());
    assertTrue(both.err().contains("mutually exclusive"), both.err());
    var relative = mineCe(out, "--relative-margin=1.5");
    assertEquals(2, relative.code());
    assertTrue(
        relative.err().contains("--relative-margin must be between 0 and 1"), relative.err());
    var tanh = mineCe(out, "--activation=tanh");
    assertEquals(2, tanh.code());
    assertTrue(
        tanh.err().contains("--activation must be 'sigmoid' or 'none', was 'tanh'"), tanh.err());
    for (String fuse : List.of("bm25:1.5", "run:0.5")) {
      var bad = mineCe(out, "--fuse=" + fuse);
      assertEquals(2, bad.code(), bad.err());
      assertTrue(
          bad.err().contains("--fuse '" + fuse + "'")
              && bad.err().contains("expected --fuse bm25:W, W in [0, 1]"),
          bad.err());
    }
    assertEquals(2, mineCe(out, "--candidate-depth=0").code());
    assertEquals(2, mineCe(out, "--sampling=best").code());
    assertFalse(Files.exists(out));
  }

  @Test
  void missingModelExitsTwoWithNoOutput() throws IOException {
    Path model = Fixtures.copy(Fixtures.CROSS_ENCODER, tmp.resolve("model"));
    Files.delete(model.resolve("model.onnx"));
    Path out = tmp.resolve("ce.jsonl");
    var o =
        CliTest.run(
            "mine-ce",
            "-q",
            "--work-dir=" + shared.resolve("work"),
            "--dataset=" + data,
            "--model=" + model,
            "--out=" + out);
    assertEquals(2, o.code());
    assertTrue(o.err().contains(model.resolve("model.onnx") + ": file not found"), o.err());
    assertFalse(Files.exists(out));
    assertFalse(Files.exists(Path.of(out + ".summary.json")));
  }

  @Test
  void helpListsTheCommandAndItsDefaults() {
    assertTrue(CliTest.run("--help").out().contains("mine-ce"));
    var help = CliTest.run("mine-ce", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--relative-margin=R"), help.out());
    assertTrue(help.out().contains("--candidate-depth=K"), help.out());
    assertTrue(help.out().contains("--activation=sigmoid|none"), help.out());
    assertTrue(help.out().contains("(default sigmoid)"), help.out());
    assertTrue(help.out().contains("(default 100)"), help.out());
  }
}
