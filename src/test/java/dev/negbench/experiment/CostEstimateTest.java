package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two forms {@code reproduce --plan} prints an estimate in: a table and one JSON object. */
class CostEstimateTest {
  private static final CostEstimate ESTIMATE =
      new CostEstimate(
          "demo",
          List.of(
              new CostEstimate.Stage(
                  "index",
                  "synthetic-1000",
                  "BM25 index",
                  1000,
                  "documents",
                  "cpu",
                  0.1,
                  0,
                  false,
                  "Lucene indexing, 5000 documents/s a thread"),
              new CostEstimate.Stage(
                  "generate",
                  "synthetic-1000",
                  "llm (160 requests)",
                  24_000,
                  "tokens",
                  "simulator",
                  9.6,
                  0.008,
                  true,
                  "earlier qwen3-4b run: 2500 tokens/s")),
          9.7,
          0.008);

  @Test
  void theTableHasAStageALineAndTheTotal() {
    assertEquals(
        String.join(
            "\n",
            "stage     dataset                what                                                      items unit      device       seconds       US$  rate",
            "index     synthetic-1000         BM25 index                                                1,000 documents cpu                0      0.00  assumed: Lucene indexing, 5000 documents/s a thread",
            "generate  synthetic-1000         llm (160 requests)                                       24,000 tokens    simulator         10      0.01  measured: earlier qwen3-4b run: 2500 tokens/s",
            "total: 10 s (0.0 h), US$ 0.01, for demo in a fresh work folder",
            ""),
        ESTIMATE.toText().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void theJsonHasTheStagesAndTheRoundedTotal() throws IOException {
    JsonNode json = Json.PLAIN.readTree(ESTIMATE.toJson());
    assertEquals("demo", json.path("experiment").asText());
    assertEquals(2, json.path("stages").size());
    JsonNode generate = json.path("stages").get(1);
    assertEquals("generate", generate.path("stage").asText());
    assertEquals(24_000, generate.path("items").asLong());
    assertEquals(0.008, generate.path("usd").asDouble());
    assertEquals(true, generate.path("measured").asBoolean());
    assertEquals(9.7, json.path("total").path("seconds").asDouble());
    assertEquals(0.01, json.path("total").path("usd").asDouble());
  }
}
