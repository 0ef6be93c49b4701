package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.negbench.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimTimingsLogTest {
  @Test
  void appendsOneLineARecordAndCreatesTheFolder(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("logs/t.jsonl");
    try (SimTimingsLog log = SimTimingsLog.open(file)) {
      log.write(Json.PLAIN.createObjectNode().put("request_id", "a"));
      assertEquals(List.of("{\"request_id\":\"a\"}"), Files.readAllLines(file), "flushed at once");
    }
    try (SimTimingsLog log = SimTimingsLog.open(file)) {
      log.write(Json.PLAIN.createObjectNode().put("request_id", "b").put("status", 200));
    }
    assertEquals(
        List.of("{\"request_id\":\"a\"}", "{\"request_id\":\"b\",\"status\":200}"),
        Files.readAllLines(file));
  }

  @Test
  void withoutAFileDropsTheLines(@TempDir Path tmp) throws IOException {
    try (SimTimingsLog log = SimTimingsLog.open(null)) {
      log.write(Json.PLAIN.createObjectNode().put("request_id", "a"));
    }
    try (var left = Files.list(tmp)) {
      assertEquals(0, left.count());
    }
  }
}
