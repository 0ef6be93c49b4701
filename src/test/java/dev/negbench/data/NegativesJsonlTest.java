package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NegativesJsonlTest {
  @TempDir Path tmp;

  @Test
  void minedAndGeneratedNegativesRoundTrip() throws IOException {
    HardNegatives row =
        new HardNegatives(
            "q1",
            "what roasts coffee",
            List.of("d1"),
            List.of(
                new Negative("d7", 2, 11.5),
                new Negative("gen:q1:0", 0, 0, "Tea leaves are dried, not roasted.")),
            Map.of("d1", 3.25));
    String json = NegativesJsonl.toJson(row);
    assertTrue(json.contains("\"text\":\"Tea leaves are dried, not roasted.\""), json);
    assertFalse(
        json.contains("\"doc_id\":\"d7\",\"rank\":2,\"score\":11.5,\"text\""),
        "mined negatives carry no text: " + json);
    HardNegatives plain = new HardNegatives("q2", "how is tea made", List.of("d2"), List.of());
    Path file = tmp.resolve("negatives.jsonl");
    NegativesJsonl.write(file, List.of(row, plain));
    assertEquals(
        json
            + "\n{\"query_id\":\"q2\",\"query\":\"how is tea made\",\"positive_ids\":[\"d2\"],\"negatives\":[]}\n",
        Files.readString(file, StandardCharsets.UTF_8));
    List<HardNegatives> read = NegativesJsonl.read(file);
    assertEquals(List.of(row, plain), read);
    assertFalse(read.get(0).negatives().get(0).inline());
    assertTrue(read.get(0).negatives().get(1).inline());
  }

  /** The error reading a file of {@code lines}. */
  private DatasetFormatException readBad(String... lines) throws IOException {
    Path file = tmp.resolve("bad.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return assertThrows(DatasetFormatException.class, () -> NegativesJsonl.read(file));
  }

  @Test
  void aNonStringTextNamesTheLine() throws IOException {
    DatasetFormatException e =
        readBad(
            "{\"query_id\":\"q1\",\"query\":\"x\",\"positive_ids\":[\"d1\"],\"negatives\":[]}",
            "{\"query_id\":\"q2\",\"query\":\"y\",\"positive_ids\":[\"d1\"],\"negatives\":[{\"doc_id\":\"gen:q2:0\",\"text\":7}]}");
    assertTrue(
        e.getMessage().contains(":2") && e.getMessage().contains("\"text\""), e.getMessage());
  }

  @Test
  void nanStaysAnErrorInNegbenchsOwnFiles() throws IOException {
    // Only BEIR's files, which Python writes, may hold NaN; negbench writes strict JSON.
    DatasetFormatException e =
        readBad(
            "{\"query_id\":\"q1\",\"query\":\"x\",\"positive_ids\":[\"d1\"],\"negatives\":[{\"doc_id\":\"d2\",\"rank\":1,\"score\":NaN}]}");
    assertTrue(e.getMessage().contains(":1: expected one JSON object per line"), e.getMessage());
  }

  @Test
  void aRowForOnePositiveNamesItAndOldRowsStillRead() throws IOException {
    HardNegatives pair =
        HardNegatives.forPositive(
            "q1",
            "what roasts coffee",
            "d2",
            List.of(new Negative("gen:q1:d2:1", 0, 0, "Tea is dried.")));
    String json = NegativesJsonl.toJson(pair);
    assertEquals(
        "{\"query_id\":\"q1\",\"query\":\"what roasts coffee\",\"positive_ids\":[\"d2\"],\"positive_id\":\"d2\","
            + "\"negatives\":[{\"doc_id\":\"gen:q1:d2:1\",\"rank\":0,\"score\":0.0,\"text\":\"Tea is dried.\"}]}",
        json);
    // A file written before positive_id existed: rows for the whole query.
    String old =
        "{\"query_id\":\"q1\",\"query\":\"what roasts coffee\",\"positive_ids\":[\"d1\",\"d2\"],\"negatives\":[{\"doc_id\":\"gen:q1:1\",\"text\":\"x\"}]}";
    Path file = tmp.resolve("negatives.jsonl");
    Files.writeString(file, json + "\n" + old + "\n", StandardCharsets.UTF_8);
    List<HardNegatives> read = NegativesJsonl.read(file);
    assertEquals(pair, read.get(0));
    assertTrue(read.get(0).perPositive());
    assertFalse(read.get(1).perPositive());
    assertEquals(List.of("d1", "d2"), read.get(1).positiveIds());
  }

  @Test
  void aPositiveIdThatIsNotThePositiveListedNamesTheLine() throws IOException {
    Path file = tmp.resolve("bad.jsonl");
    DatasetFormatException e =
        readBad(
            "{\"query_id\":\"q1\",\"query\":\"x\",\"positive_ids\":[\"d1\"],\"positive_id\":\"d1\",\"negatives\":[]}",
            "{\"query_id\":\"q1\",\"query\":\"x\",\"positive_ids\":[\"d1\",\"d2\"],\"positive_id\":\"d2\",\"negatives\":[]}");
    assertTrue(
        e.getMessage().startsWith(file + ":2: ") && e.getMessage().contains("[\"d2\"]"),
        e.getMessage());
    e =
        readBad(
            "{\"query_id\":\"q1\",\"query\":\"x\",\"positive_ids\":[\"1\"],\"positive_id\":1,\"negatives\":[]}");
    assertTrue(
        e.getMessage().startsWith(file + ":1: ")
            && e.getMessage().contains("\"positive_id\" to be a string"),
        e.getMessage());
  }
}
