package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** {@link RequestTimer}: the metrics of set timestamps (nanoseconds), worked out by hand. */
class RequestTimerTest {
  private static final long MS = 1_000_000;

  /** Started at 0, body taken at 1 ms, tokens at the given milliseconds. */
  private static RequestTimer timer(boolean stream, long... tokensAtMs) {
    RequestTimer t = new RequestTimer("r1", "http://h:1/v1", stream, null);
    t.start = 0;
    t.bodySent = MS;
    for (long at : tokensAtMs) {
      t.token(at * MS);
    }
    return t;
  }

  private static JsonNode usage(String json) throws IOException {
    return Json.PLAIN.readTree(json);
  }

  @Test
  void streamedAnswerWithUsage() throws IOException {
    ChatClient.Attempt a =
        timer(true, 3, 4, 6, 7)
            .done(
                8 * MS,
                "text",
                "m",
                "stop",
                usage("{\"prompt_tokens\": 12, \"completion_tokens\": 4}"),
                "prompt",
                4);
    RequestMetrics m = a.metrics();
    assertTrue(a.ok());
    assertEquals("r1", m.requestId());
    assertEquals("http://h:1/v1", m.endpoint());
    assertEquals(200, m.httpStatus());
    assertEquals(2.0, m.ttftMs(), 1e-12, "first token at 3 ms, body sent at 1 ms");
    assertEquals(List.of(1.0, 2.0, 1.0), m.itlMs());
    assertEquals(5.0 / 3, m.tpotMs(), 1e-12, "first token to end over completion - 1");
    assertEquals(8.0, m.e2eMs(), 1e-12);
    assertEquals(1.0, m.sendMs(), 1e-12);
    assertEquals(12, m.promptTokens());
    assertEquals(4, m.completionTokens());
    assertEquals("usage", m.tokenSource());
    assertEquals("text", a.content());
    assertEquals("m", a.model());
    assertEquals("stop", a.finishReason());
    assertNull(a.error());
    assertEquals(-1, a.retryAfterMs());
  }

  @Test
  void withoutUsageChunksCountTokensAndAWholeAnswerCountsNone() throws IOException {
    RequestMetrics chunks = timer(true, 2, 5).done(6 * MS, "", "", null, null, "", 2).metrics();
    assertEquals("chunks", chunks.tokenSource());
    assertEquals(-1, chunks.promptTokens());
    assertEquals(2, chunks.completionTokens());
    assertEquals(4.0, chunks.tpotMs(), 1e-12, "first token at 2 ms, end at 6 ms, 2 tokens");
    // usage without completion_tokens counts for nothing
    RequestMetrics partial =
        timer(true, 2).done(6 * MS, "", "", null, usage("{\"prompt_tokens\": 3}"), "", 1).metrics();
    assertEquals("chunks", partial.tokenSource());
    assertTrue(Double.isNaN(partial.tpotMs()), "one token has no TPOT");

    RequestTimer whole = timer(false);
    whole.wholeAnswer(9 * MS);
    RequestMetrics w = whole.done(9 * MS, "x", "", "stop", null, "", -1).metrics();
    assertEquals("none", w.tokenSource());
    assertEquals(-1, w.completionTokens());
    assertEquals(8.0, w.ttftMs(), 1e-12, "TTFT of a whole answer is the time to all of it");
    assertTrue(Double.isNaN(w.tpotMs()));
    assertEquals(List.of(), w.itlMs());
    RequestMetrics wu =
        timer(false)
            .done(9 * MS, "x", "", "stop", usage("{\"completion_tokens\": 5}"), "", -1)
            .metrics();
    assertEquals(5, wu.completionTokens());
    assertTrue(Double.isNaN(wu.tpotMs()), "no TPOT without streaming");
  }

  @Test
  void aFailureHasNoTimingsOrTokens() {
    RequestTimer t = new RequestTimer("r2", "e", true, null);
    ChatClient.Attempt a = t.fail(ChatClient.HTTP_RETRYABLE, 503, "HTTP 503: busy", 1200);
    RequestMetrics m = a.metrics();
    assertEquals(ChatClient.HTTP_RETRYABLE, m.status());
    assertEquals(503, m.httpStatus());
    assertTrue(Double.isNaN(m.ttftMs()) && Double.isNaN(m.tpotMs()));
    assertTrue(Double.isNaN(m.sendMs()), "the body was never taken");
    assertTrue(m.e2eMs() >= 0);
    assertEquals(-1, m.promptTokens());
    assertEquals(-1, m.completionTokens());
    assertEquals("none", m.tokenSource());
    assertNull(a.content());
    assertEquals("HTTP 503: busy", a.error());
    assertEquals(1200, a.retryAfterMs());
    assertTrue(a.retryable());
  }

  @Test
  void theStampingPublisherNotesWhenTheBodyIsTaken() {
    RequestTimer t = new RequestTimer("r3", "e", true, null);
    HttpRequest.BodyPublisher p = t.stamping(HttpRequest.BodyPublishers.ofString("abc"));
    assertEquals(3, p.contentLength());
    StringBuilder got = new StringBuilder();
    p.subscribe(
        new Flow.Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            assertEquals(-1, t.bodySent);
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(ByteBuffer b) {
            while (b.hasRemaining()) {
              got.append((char) b.get());
            }
          }

          @Override
          public void onError(Throwable e) {
            throw new AssertionError(e);
          }

          @Override
          public void onComplete() {}
        });
    assertEquals("abc", got.toString());
    assertTrue(t.bodySent >= t.start, "stamped on the first bytes");
  }
}
