package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The same client against servers that omit usage, send no [DONE] or use CRLF line ends. */
class ServerQuirksTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "omitUsage={0} noDone={1} crlf={2} stream={3}")
  @CsvSource({
    "false,false,false,true",
    "true,false,false,true",
    "false,true,false,true",
    "false,false,true,true",
    "true,true,true,true",
    "true,false,false,false"
  })
  void everyQueryIsAcceptedWhateverTheQuirks(
      boolean omitUsage, boolean noDone, boolean crlf, boolean stream) throws IOException {
    BeirDataset ds = GenerationTest.synthetic(tmp.resolve("data"), 30);
    Path out = tmp.resolve("gen.jsonl");
    SimProfile sim =
        SimProfile.instant()
            .withQuirks(new SimProfile.Quirks(omitUsage, noDone, crlf))
            .withTimingsLog(tmp.resolve("t.jsonl"));
    GenerationOutcome s;
    try (Simulator server = Simulator.start(sim)) {
      s =
          Generation.run(
              ds,
              "train",
              GenerationTest.fastProfile().withStream(stream),
              List.of(server.baseUrl()),
              GenerationTest.fastSettings(4),
              out,
              Progress.Factory.NONE);
    }
    assertEquals(s.row().queries(), s.row().accepted());
    assertEquals(s.row().queries(), s.row().requests(), "no retries were needed");
    var applied = new HashMap<String, JsonNode>();
    GenerationTest.lines(tmp.resolve("t.jsonl"))
        .forEach(r -> applied.put(r.get("request_id").asText(), r));
    for (JsonNode row : GenerationTest.lines(out)) {
      JsonNode m = row.get("metrics");
      String expectedSource = !omitUsage ? "usage" : stream ? "chunks" : "none";
      assertEquals(expectedSource, m.get("token_source").asText());
      if (!expectedSource.equals("none")) {
        // The simulator streams one token a chunk, so counting chunks gives its usage.
        assertEquals(
            applied.get(m.get("request_id").asText()).get("completion_tokens").asLong(),
            m.get("completion_tokens").asLong());
      }
    }
  }

  @Test
  void withoutUsageTheProfilesTokenizerCountsTokens() throws IOException {
    Path tokenizer =
        Path.of(
            System.getProperty("negbench.shared", "../shared"),
            "fixtures",
            "distilbert-tiny",
            "tokenizer.json");
    assumeTrue(Files.isRegularFile(tokenizer), "fixture tokenizer missing: " + tokenizer);
    Path profile = tmp.resolve("p.json");
    Files.writeString(
        profile,
        "{\"model\": \"m\", \"tokenizer\": "
            + Json.PLAIN.writeValueAsString(tokenizer.toAbsolutePath().toString())
            + "}");
    BeirDataset ds = GenerationTest.synthetic(tmp.resolve("data"), 20);
    Path out = tmp.resolve("gen.jsonl");
    try (Simulator server =
        Simulator.start(
            SimProfile.instant().withQuirks(new SimProfile.Quirks(true, false, false)))) {
      Generation.run(
          ds,
          "train",
          GeneratorProfile.load(profile),
          List.of(server.baseUrl()),
          GenerationTest.fastSettings(4),
          out,
          Progress.Factory.NONE);
    }
    try (TokenCounter counter = TokenCounter.of(GeneratorProfile.load(profile))) {
      for (JsonNode row : GenerationTest.lines(out)) {
        JsonNode m = row.get("metrics");
        assertEquals("tokenizer", m.get("token_source").asText());
        assertTrue(m.get("completion_tokens").asLong() > 10);
        assertTrue(m.get("prompt_tokens").asLong() > 10);
      }
      assertEquals(2, counter.count("hello world"));
    }
  }
}
