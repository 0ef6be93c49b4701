package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Planning answers: rendering, tokens, max_tokens, the count of each prompt. */
class SimCompletionsTest {
  private static final String USER =
      "<query>coffee roasting</query> <passage>Roasting coffee beans at home takes ten"
          + " minutes. Coffee roasting smells.</passage>";

  private static JsonNode post(HttpClient c, Simulator sim, String extra)
      throws IOException, InterruptedException {
    String body =
        "{\"model\":\"m\""
            + extra
            + ",\"messages\":[{\"role\":\"user\",\"content\":"
            + Json.PLAIN.writeValueAsString(USER)
            + "}]}";
    HttpResponse<String> r =
        c.send(
            HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return Json.PLAIN.readTree(r.body());
  }

  @Test
  void rendersPassagesAsANumberedListOrJson() {
    assertEquals("1. a b\n2. c\n", SimCompletions.render(List.of("a b", "c"), false));
    assertEquals(
        "{\"passages\":[\"a b\",\"c\"]}", SimCompletions.render(List.of("a b", "c"), true));
  }

  @Test
  void countsRunsOfWhitespaceWithTheWordAfterThem() {
    assertEquals(0, SimCompletions.countTokens("  "));
    assertEquals(3, SimCompletions.countTokens("one two\n three  "));
  }

  @Test
  void answersCutAtMaxTokensAndCountsEachPrompt() throws IOException, InterruptedException {
    HttpClient c = HttpClient.newHttpClient();
    try (Simulator sim = Simulator.start(SimProfile.instant())) {
      JsonNode whole = post(c, sim, "");
      String content = whole.at("/choices/0/message/content").asText();
      assertEquals("sim:m", whole.get("model").asText());
      assertEquals("stop", whole.at("/choices/0/finish_reason").asText());
      assertEquals(
          SimCompletions.countTokens(content), whole.at("/usage/completion_tokens").asInt());
      assertEquals(
          SimCompletions.countTokens(USER + "\n"), whole.at("/usage/prompt_tokens").asInt());

      JsonNode cut = post(c, sim, ",\"max_tokens\":3");
      assertEquals("length", cut.at("/choices/0/finish_reason").asText());
      assertEquals(3, cut.at("/usage/completion_tokens").asInt());
      assertTrue(content.startsWith(cut.at("/choices/0/message/content").asText()));

      JsonNode json = post(c, sim, ",\"response_format\":{\"type\":\"json_object\"}");
      JsonNode passages =
          Json.PLAIN.readTree(json.at("/choices/0/message/content").asText()).get("passages");
      assertTrue(passages.isArray() && !passages.isEmpty(), json.toString());

      assertEquals(3, sim.requests());
      assertEquals(List.of(3), List.copyOf(sim.promptCounts().values()), "one prompt, 3 times");
    }
  }
}
