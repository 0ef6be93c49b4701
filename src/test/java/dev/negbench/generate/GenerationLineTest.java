package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.Query;
import dev.negbench.io.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link GenerationLine}: the line of a pair and the JSON of an attempt, on made-up answers. */
class GenerationLineTest {
  private static final String POSITIVE =
      "Zinc uptake in roots is limited by soil pH and by competition with copper ions.";
  private static final String NEGATIVE =
      "Copper uptake in leaves rises when the soil is acidic and iron is scarce in spring.";
  private final GeneratorProfile gen = GeneratorProfile.forModel("org/m");
  private final QueryPositivePair pair =
      new QueryPositivePair(
          new Query("q1", "what limits zinc uptake"),
          "d1",
          POSITIVE,
          "k1",
          new PromptTemplate.Messages("s", "u"));

  private static RequestMetrics metrics(String status, double ttft, long completion) {
    return new RequestMetrics(
        "r1",
        "http://h:1/v1",
        status,
        status.equals(RequestMetrics.OK) ? 200 : 0,
        ttft,
        Double.NaN,
        List.of(1.23456, 2.0),
        12.5,
        0.5,
        -1,
        completion,
        completion < 0 ? "none" : "chunks",
        1.0);
  }

  private static ChatClient.Attempt answer(String content) {
    return new ChatClient.Attempt(
        metrics(RequestMetrics.OK, 3.0, 7), content, "sim:tiny", "stop", null, -1);
  }

  private ObjectNode line(ChatClient.Attempt answer, String failure) {
    ArrayNode attempts = Json.PLAIN.createArrayNode();
    if (answer != null) {
      attempts.add(GenerationLine.attempt(answer));
    }
    return GenerationLine.of(gen, "s1", pair, answer, failure, attempts, 1000);
  }

  private static List<String> fields(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void acceptedLineKeepsValidPassagesAndRejectsTheRestWithReasons() {
    ObjectNode l =
        line(
            answer(
                "{\"passages\": ["
                    + Json.PLAIN.valueToTree(NEGATIVE)
                    + ", \"short\", "
                    + Json.PLAIN.valueToTree(POSITIVE)
                    + "]}"),
            null);
    assertEquals(
        List.of(
            "query_id",
            "query",
            "positive_ids",
            "positive_id",
            "negatives",
            "status",
            "rejected",
            "attempt_count",
            "attempts",
            "metrics",
            "finish_reason",
            "generator",
            "model",
            "simulated",
            "key",
            "session",
            "started_at_ms",
            "finished_at_ms"),
        fields(l));
    assertEquals("accepted", l.get("status").asText());
    assertEquals(1, l.get("negatives").size());
    JsonNode neg = l.get("negatives").get(0);
    assertEquals("gen:q1:d1:1", neg.get("doc_id").asText());
    assertEquals(NEGATIVE, neg.get("text").asText());
    assertEquals(
        "[{\"doc_id\":\"gen:q1:d1:2\",\"text\":\"short\",\"reason\":\"too_short\"},"
            + "{\"doc_id\":\"gen:q1:d1:3\",\"text\":\""
            + POSITIVE
            + "\",\"reason\":\"copy_of_positive\"}]",
        l.get("rejected").toString());
    assertEquals(1, l.get("attempt_count").asInt());
    assertEquals(l.get("attempts").get(0), l.get("metrics"));
    assertEquals("stop", l.get("finish_reason").asText());
    assertEquals("m", l.get("generator").asText());
    assertEquals("sim:tiny", l.get("model").asText());
    assertTrue(l.get("simulated").asBoolean());
    assertEquals("k1", l.get("key").asText());
    assertEquals("s1", l.get("session").asText());
    assertEquals(1000, l.get("started_at_ms").asLong());
    assertTrue(l.get("finished_at_ms").asLong() >= 1000);
  }

  @Test
  void rejectedLinesSayWhy() {
    assertEquals("empty_content", line(answer("  "), null).get("reason").asText());
    assertEquals("no_passages_parsed", line(answer("no list here"), null).get("reason").asText());
    ObjectNode all = line(answer("[\"tiny\", \"small\"]"), null);
    assertEquals("rejected", all.get("status").asText());
    assertEquals("all_passages_rejected", all.get("reason").asText());
    assertEquals(0, all.get("negatives").size());
  }

  @Test
  void failedLineHasTheLastErrorAndTheProfilesModel() {
    ObjectNode l = line(null, "timeout: no response within 5 ms");
    assertEquals("failed", l.get("status").asText());
    assertEquals("timeout: no response within 5 ms", l.get("reason").asText());
    assertFalse(l.has("metrics") || l.has("finish_reason"));
    assertEquals(0, l.get("attempt_count").asInt());
    assertEquals("org/m", l.get("model").asText());
    assertFalse(l.get("simulated").asBoolean());
  }

  @Test
  void attemptJsonLeavesOutWhatIsUnknown() {
    ChatClient.Attempt failed =
        new ChatClient.Attempt(
            metrics(ChatClient.HTTP_RETRYABLE, Double.NaN, -1),
            null,
            "",
            null,
            "x".repeat(400),
            2000);
    ObjectNode o = GenerationLine.attempt(failed);
    assertEquals(
        List.of(
            "request_id",
            "endpoint",
            "status",
            "http_status",
            "error",
            "retry_after_ms",
            "e2e_ms",
            "send_ms",
            "token_source",
            "itl_ms"),
        fields(o));
    assertEquals(300, o.get("error").asText().length());
    assertEquals(2000, o.get("retry_after_ms").asLong());
    assertEquals("[1.235,2.0]", o.get("itl_ms").toString(), "rounded to the microsecond");
    ObjectNode ok = GenerationLine.attempt(answer("x"));
    assertEquals(3.0, ok.get("ttft_ms").asDouble());
    assertEquals(7, ok.get("completion_tokens").asLong());
    assertFalse(ok.has("error") || ok.has("retry_after_ms") || ok.has("prompt_tokens"));
  }
}
