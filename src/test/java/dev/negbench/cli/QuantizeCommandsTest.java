package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --quantize} on the command line: export-onnx writes an int8 folder, score quantizes on the
 * fly into its work folder and scores as that folder does, and a bad value exits 2 before any work.
 */
class QuantizeCommandsTest {
  @TempDir Path tmp;

  @Test
  void exportOnnxInt8AndScoreQuantizeAgree() throws IOException {
    Path ce = Fixtures.dir(Fixtures.CROSS_ENCODER);
    Path onnx = tmp.resolve("ce-int8");
    var export = CliTest.run("export-onnx", "--model=" + ce, "--quantize=int8", "--out=" + onnx);
    assertEquals(0, export.code(), export.err());
    assertTrue(export.err().contains("(int8)"), export.err());
    JsonNode marker = Json.read(onnx.resolve("export.json"), JsonNode.class);
    assertEquals("int8", marker.get("quantize").asText());

    Path pairs =
        Files.writeString(
            tmp.resolve("pairs.jsonl"),
            "{\"query\": \"roasting coffee beans\", \"passage\": \"how to roast coffee beans\"}\n"
                + "{\"query\": \"bicycle brakes\", \"passage\": \"green tea brewing\"}\n");
    Path work = tmp.resolve("work");
    var onTheFly =
        CliTest.run(
            "score",
            "--model=" + ce,
            "--quantize=int8",
            "--work-dir=" + work,
            "--pairs=" + pairs,
            "-q");
    assertEquals(0, onTheFly.code(), onTheFly.err());
    var exported = CliTest.run("score", "--model=" + onnx, "--pairs=" + pairs, "-q");
    // The same export, written twice: the same graph, so the same scores bit for bit.
    assertEquals(scores(exported.out()), scores(onTheFly.out()));
    try (var quantized = Files.list(work.resolve("quantized"))) {
      assertEquals(
          1, quantized.filter(d -> d.getFileName().toString().startsWith("int8-")).count());
    }
  }

  @Test
  void aBadQuantizeExitsTwoNamingTheValues() {
    Path out = tmp.resolve("out");
    var export =
        CliTest.run(
            "export-onnx",
            "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
            "--quantize=int4",
            "--out=" + out);
    assertEquals(2, export.code(), export.err());
    assertTrue(
        export.err().contains("quantize must be 'none' or 'int8', was 'int4'"), export.err());
    assertFalse(Files.exists(out));
    var score =
        CliTest.run(
            "score",
            "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
            "--quantize=fp16",
            "--pairs=" + tmp.resolve("missing.jsonl"));
    assertEquals(2, score.code(), score.err());
    assertTrue(score.err().contains("was 'fp16'"), score.err());
  }

  private static List<Double> scores(String jsonl) throws IOException {
    List<Double> out = new ArrayList<>();
    for (String line : jsonl.strip().split("\n")) {
      out.add(Json.PLAIN.readTree(line).get("score").asDouble());
    }
    return out;
  }
}
