package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingJsonTest {
  @Test
  void writesPrettyJsonWithALineEndAndReadsItBack(@TempDir Path tmp) throws IOException {
    ObjectNode node = Json.PLAIN.createObjectNode().put("step", 2).put("last_loss", Double.NaN);
    Path file = tmp.resolve("state.json");
    TrainingJson.write(file, node);
    // Jackson writes NaN (a loss before the first step) as a string, which asDouble reads back.
    assertEquals("{\n  \"step\" : 2,\n  \"last_loss\" : \"NaN\"\n}\n", Files.readString(file));
    assertEquals(2, TrainingJson.read(file).get("step").asInt());
    assertTrue(Double.isNaN(TrainingJson.read(file).get("last_loss").asDouble()));
  }

  @Test
  void aMissingOrUnreadableFileIsAbsent(@TempDir Path tmp) throws IOException {
    assertNull(TrainingJson.read(tmp.resolve("none.json")));
    Files.writeString(tmp.resolve("half.json"), "{\"step\": ");
    assertNull(TrainingJson.read(tmp.resolve("half.json")));
    assertNull(TrainingJson.read(tmp), "a folder");
  }
}
