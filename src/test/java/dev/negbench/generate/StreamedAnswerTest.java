package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StreamedAnswer} and {@link StreamChunk}: hand-written event streams from a real server,
 * read through the client, and single chunks parsed.
 */
class StreamedAnswerTest {
  @TempDir Path tmp;

  private static ChatClient.Attempt send(GeneratorProfile profile, CannedServer server) {
    try (HttpClient http = ChatClient.newHttpClient(1);
        ChatClient client = new ChatClient(profile, http, null)) {
      return client.send(server.baseUrl(), new byte[] {'{', '}'}, "prompt");
    }
  }

  private static ChatClient.Attempt stream(long pauseMs, String... events) throws IOException {
    try (CannedServer server = CannedServer.sse(List.of(events), pauseMs)) {
      return send(GenerationTest.fastProfile(), server);
    }
  }

  @Test
  void contentReasoningFinishUsageAndDone() throws IOException {
    ChatClient.Attempt a =
        stream(
            5,
            "{\"model\":\"m1\",\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}",
            "{\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\" world\"},\"finish_reason\":\"stop\"}]}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}",
            "[DONE]",
            "{\"choices\":[{\"delta\":{\"content\":\" after done\"}}]}");
    assertTrue(a.ok(), a.error());
    assertEquals("Hello world", a.content(), "nothing after [DONE]");
    assertEquals("m1", a.model());
    assertEquals("stop", a.finishReason());
    RequestMetrics m = a.metrics();
    assertEquals("usage", m.tokenSource());
    assertEquals(5, m.promptTokens());
    assertEquals(3, m.completionTokens());
    assertEquals(2, m.itlMs().size(), "three chunks carried output, the thinking one too");
    assertTrue(m.ttftMs() >= 0 && m.tpotMs() >= 0 && m.e2eMs() >= m.ttftMs(), m.toString());
  }

  @Test
  void aFinishReasonWithoutDoneEndsTheAnswer() throws IOException {
    ChatClient.Attempt a =
        stream(
            0,
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"b\"},\"finish_reason\":\"length\"}]}");
    assertTrue(a.ok(), a.error());
    assertEquals("ab", a.content());
    assertEquals("length", a.finishReason());
    assertEquals("chunks", a.metrics().tokenSource());
    assertEquals(2, a.metrics().completionTokens());
  }

  @Test
  void cutErrorAndMalformedStreams() throws IOException {
    ChatClient.Attempt cut = stream(0, "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}");
    assertEquals(ChatClient.TRUNCATED, cut.metrics().status());
    assertEquals(200, cut.metrics().httpStatus());
    assertEquals("stream ended after 1 chunks without finish_reason or [DONE]", cut.error());
    assertTrue(cut.retryable());

    ChatClient.Attempt error = stream(0, "{\"error\":{\"message\":\"overloaded\"}}");
    assertEquals(ChatClient.HTTP_RETRYABLE, error.metrics().status());
    assertEquals("error in stream: {\"message\":\"overloaded\"}", error.error());

    ChatClient.Attempt malformed =
        stream(0, "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}", "{not json");
    assertEquals(ChatClient.MALFORMED, malformed.metrics().status());
    assertTrue(
        malformed.error().startsWith("stream chunk is not a JSON object: "), malformed.error());
    assertNull(malformed.content());
  }

  @Test
  void aStallingStreamEndsAtTheRequestDeadline() throws IOException {
    Path p = tmp.resolve("p.json");
    Files.writeString(p, "{\"model\": \"m\", \"request_timeout_s\": 0.3}");
    try (CannedServer server =
        CannedServer.sse(
            List.of("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}", "[DONE]"), 10_000)) {
      long t0 = System.nanoTime();
      ChatClient.Attempt a = send(GeneratorProfile.load(p), server);
      double waitedMs = (System.nanoTime() - t0) / 1e6;
      assertEquals(ChatClient.TIMEOUT, a.metrics().status());
      assertEquals(200, a.metrics().httpStatus());
      assertEquals("response not finished within 300 ms", a.error());
      assertTrue(waitedMs < 5_000, "gave up at the deadline, not at the end: " + waitedMs);
    }
  }

  @Test
  void chunkFieldsFromTheFirstChoiceOnly() throws IOException {
    StreamChunk c =
        StreamChunk.parse(
            "{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\","
                + "\"reasoning_content\":\"\",\"tool_calls\":[]},\"finish_reason\":null},"
                + "{\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}],\"usage\":null}");
    assertEquals("m", c.model);
    assertEquals("a", c.content);
    assertEquals(false, c.reasoning, "empty reasoning is no output");
    assertNull(c.finish);
    assertNull(c.usage);
    assertNull(c.error);
    StreamChunk r =
        StreamChunk.parse("{\"choices\":[{\"delta\":{\"reasoning_content\":\"think\"}}]}");
    assertEquals("", r.content);
    assertTrue(r.reasoning);
    assertThrows(IOException.class, () -> StreamChunk.parse("[1]"));
    assertThrows(IOException.class, () -> StreamChunk.parse("{} {}"));
    assertThrows(IOException.class, () -> StreamChunk.parse("{\"a\": "));
  }
}
