package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
  @TempDir Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The golden pairs in a shuffled order, with extra fields, and the golden logit of each. */
  private Path pairs(JsonNode golden, int... order) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i : order) {
      JsonNode p = golden.get("pairs").get(i);
      s.append(
          JSON.writeValueAsString(
              JSON.createObjectNode()
                  .put("id", "row" + i)
                  .put("query", p.get(0).asText())
                  .put("passage", p.get(1).asText())
                  .put("label", i % 2)));
      s.append(i == order[0] ? "\r\n\n" : "\n"); // a CRLF and a blank line are accepted
    }
    Path file = tmp.resolve("pairs.jsonl");
    Files.writeString(file, s);
    return file;
  }

  @Test
  void scoresInInputOrderKeepingEveryField() throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.CROSS_ENCODER);
    int[] order = {2, 0, 1};
    Path in = pairs(g, order);
    Path out = tmp.resolve("out/scored.jsonl");
    var o =
        CliTest.run(
            "score",
            "-q",
            "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
            "--pairs=" + in,
            "--out=" + out,
            "--batch-size=2",
            "--threads=1");
    assertEquals(0, o.code(), o.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(3, lines.size());
    for (int k = 0; k < order.length; k++) {
      JsonNode row = JSON.readTree(lines.get(k));
      int i = order[k];
      assertEquals("row" + i, row.get("id").asText());
      assertEquals(i % 2, row.get("label").asInt());
      assertEquals(g.get("pairs").get(i).get(1).asText(), row.get("passage").asText());
      assertEquals(g.get("logits").get(i).get(0).asDouble(), row.get("score").asDouble(), 1e-4);
    }
    // Without --out the rows go to stdout.
    var stdout =
        CliTest.run(
            "score", "-q", "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER), "--pairs=" + in);
    assertEquals(0, stdout.code(), stdout.err());
    assertEquals(String.join("\n", lines) + "\n", stdout.out());
  }

  @Test
  void malformedLineExitsTwoNamingItAndWritesNothing() throws IOException {
    Path in = tmp.resolve("pairs.jsonl");
    Files.writeString(
        in, "{\"query\": \"q\", \"passage\": \"p\"}\n{\"query\": \"q\", \"passage\": \n");
    Path out = tmp.resolve("scored.jsonl");
    var o =
        CliTest.run(
            "score",
            "-q",
            "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
            "--pairs=" + in,
            "--out=" + out);
    assertEquals(2, o.code());
    assertTrue(o.err().contains(in + ":2: expected one JSON object per line"), o.err());
    assertFalse(Files.exists(out));

    Files.writeString(in, "{\"query\": \"q\", \"passage\": 3}\n");
    o =
        CliTest.run(
            "score",
            "-q",
            "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
            "--pairs=" + in,
            "--out=" + out);
    assertEquals(2, o.code());
    assertTrue(o.err().contains(in + ":1: expected a string field \"passage\""), o.err());
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(in), left.toList(), "no output and no temporary file left");
    }
  }

  @Test
  void cudaWithoutTheGpuBuildIsAClearInputError() throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.CROSS_ENCODER);
    Path in = pairs(g, 0, 1);
    Path out = tmp.resolve("scored.jsonl");
    // The test class path has the CPU build of ONNX Runtime (the default); with -Pcuda it has the
    // GPU build, and this machine may still lack CUDA: either way no silent CPU fallback.
    var o =
        CliTest.run(
            "score",
            "-q",
            "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
            "--pairs=" + in,
            "--out=" + out,
            "--device=cuda");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--device cuda") && o.err().contains("CUDA"), o.err());
    assertFalse(Files.exists(out));

    o =
        CliTest.run(
            "score",
            "-q",
            "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
            "--pairs=" + in,
            "--out=" + out,
            "--device=tpu");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("unknown device 'tpu': expected cpu or cuda[:N]"), o.err());
  }

  @Test
  void missingModelExitsTwo() throws IOException {
    Path model = Fixtures.copy(Fixtures.CROSS_ENCODER, tmp.resolve("model"));
    Files.delete(model.resolve("model.onnx"));
    Path in = tmp.resolve("pairs.jsonl");
    Files.writeString(in, "{\"query\": \"q\", \"passage\": \"p\"}\n");
    Path out = tmp.resolve("scored.jsonl");
    var o = CliTest.run("score", "-q", "--model=" + model, "--pairs=" + in, "--out=" + out);
    assertEquals(2, o.code());
    assertTrue(o.err().contains(model.resolve("model.onnx") + ": file not found"), o.err());
    assertFalse(Files.exists(out));
  }
}
