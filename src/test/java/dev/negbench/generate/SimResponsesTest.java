package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The answers on the wire: events, quirks, the cut and malformed faults, error bodies. */
class SimResponsesTest {
  private static final String BODY =
      "{\"model\":\"m\",\"stream\":%s,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"a passage about coffee beans\"}]}";

  private static HttpResponse<String> post(Simulator sim, boolean stream)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/chat/completions"))
                .header("X-Request-Id", "r1")
                .POST(HttpRequest.BodyPublishers.ofString(String.format(BODY, stream)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void streamsChunksThenTheFinishUsageAndDone() throws IOException, InterruptedException {
    try (Simulator sim = Simulator.start(SimProfile.instant())) {
      HttpResponse<String> r = post(sim, true);
      assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElseThrow());
      List<String> events = List.of(r.body().split("\n\n"));
      JsonNode first = Json.PLAIN.readTree(events.get(0).substring("data: ".length()));
      assertEquals("chatcmpl-sim-1", first.get("id").asText());
      assertEquals("assistant", first.at("/choices/0/delta/role").asText());
      int n = events.size();
      assertEquals("data: [DONE]", events.get(n - 1));
      JsonNode usage = Json.PLAIN.readTree(events.get(n - 2).substring("data: ".length()));
      assertEquals(n - 3, usage.at("/usage/completion_tokens").asInt(), "one event a token");
      JsonNode finish = Json.PLAIN.readTree(events.get(n - 3).substring("data: ".length()));
      assertEquals("stop", finish.at("/choices/0/finish_reason").asText());
    }
  }

  @Test
  void mimicsAServerWithoutUsageOrDoneWithCrlf(@TempDir Path tmp)
      throws IOException, InterruptedException {
    SimProfile quirky =
        SimProfile.instant()
            .withQuirks(new SimProfile.Quirks(true, true, true))
            .withTimingsLog(tmp.resolve("t.jsonl"));
    try (Simulator sim = Simulator.start(quirky)) {
      String stream = post(sim, true).body();
      assertTrue(stream.endsWith("\r\n\r\n") && !stream.contains("[DONE]"), stream);
      assertFalse(stream.contains("usage"), stream);
      JsonNode whole = Json.PLAIN.readTree(post(sim, false).body());
      assertFalse(whole.has("usage"), whole.toString());
    }
    List<String> lines = Files.readAllLines(tmp.resolve("t.jsonl"));
    assertEquals(2, lines.size());
    JsonNode streamed = Json.PLAIN.readTree(lines.get(0));
    assertEquals("r1", streamed.get("request_id").asText());
    assertTrue(streamed.has("ttft_ms") && streamed.has("itl_ms") && streamed.has("e2e_ms"));
  }

  @Test
  void cutsOrBreaksTheAnswerHalfwayWhenTheFaultSaysSo(@TempDir Path tmp)
      throws IOException, InterruptedException {
    SimProfile.Faults cut = new SimProfile.Faults(0, 1000, 0, 0, 1, 1, 0, 0, 0);
    SimProfile.Faults malformed = new SimProfile.Faults(0, 1000, 0, 0, 1, 0, 1, 0, 0);
    try (Simulator sim =
        Simulator.start(
            SimProfile.instant().withFaults(cut).withTimingsLog(tmp.resolve("cut.jsonl")))) {
      assertThrows(IOException.class, () -> post(sim, false));
      assertThrows(IOException.class, () -> post(sim, true));
    }
    for (String line : Files.readAllLines(tmp.resolve("cut.jsonl"))) {
      assertEquals("cut", Json.PLAIN.readTree(line).get("status").asText());
    }
    try (Simulator sim = Simulator.start(SimProfile.instant().withFaults(malformed))) {
      String body = post(sim, false).body();
      assertThrows(IOException.class, () -> Json.PLAIN.readTree(body));
    }
  }

  @Test
  void errorsAreOpenAiErrorBodies() throws IOException {
    JsonNode e = Json.PLAIN.readTree(SimResponses.error("not \"found\""));
    assertEquals("not \"found\"", e.at("/error/message").asText());
    assertEquals("simulated", e.at("/error/type").asText());
  }
}
