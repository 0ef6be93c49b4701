package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import dev.negbench.model.DjlModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinishedTrainingTest {
  private static final ObjectNode IDENTITY = Json.PLAIN.createObjectNode().put("model", "m");

  private static void write(Path out) {
    TrainingData.Loaded data =
        new TrainingData.Loaded(List.of(new TrainingExample("q", "p", List.of("n"))), 3, 2);
    FinishedTraining.write(
        new TrainingReport(4, 8, 1.5, 0.5, 2.0, out), 5.0, IDENTITY, data, null, "cpu");
  }

  @Test
  void recordsTheRunAndReportsTheWholeRunsSeconds(@TempDir Path tmp) throws IOException {
    write(tmp);
    JsonNode done = Json.PLAIN.readTree(tmp.resolve(FinishedTraining.FILE).toFile());
    assertEquals(IDENTITY, done.get("inputs"));
    assertEquals(1, done.get("examples").asInt());
    assertEquals(2, done.get("rows_outside_split").asInt());
    assertEquals(2.0, done.get("seconds_this_process").asDouble());
    assertEquals("cpu", done.get("device").asText());
    assertEquals(new TrainingReport(4, 8, 1.5, 0.5, 5.0, tmp), FinishedTraining.recorded(tmp));

    // A run written before "seconds" existed reports its last process's.
    ((ObjectNode) done).remove("seconds");
    Files.writeString(tmp.resolve(FinishedTraining.FILE), done.toString());
    assertEquals(2.0, FinishedTraining.recorded(tmp).seconds());
    assertNull(FinishedTraining.recorded(tmp.resolve("none")));
  }

  @Test
  void countsAsFinishedOnlyForTheSameIdentityWithItsWeights(@TempDir Path tmp) throws IOException {
    write(tmp);
    assertNull(FinishedTraining.of(tmp, IDENTITY), "no weights");
    Files.writeString(tmp.resolve(DjlModel.WEIGHTS), "");
    TrainingReport same = FinishedTraining.of(tmp, IDENTITY);
    assertNotNull(same);
    assertEquals(0, same.seconds(), "nothing run now");
    assertEquals(4, same.steps());
    assertNull(FinishedTraining.of(tmp, Json.PLAIN.createObjectNode().put("model", "other")));
  }
}
