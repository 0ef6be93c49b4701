package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link RetryAfter} on hand-written headers, and through the client from a real server. */
class RetryAfterTest {
  private static HttpHeaders headers(String... nameValue) {
    Map<String, List<String>> m = new TreeMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put(nameValue[i], List.of(nameValue[i + 1]));
    }
    return HttpHeaders.of(m, (k, v) -> true);
  }

  private static String httpDate(long secondsFromNow) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(secondsFromNow));
  }

  @Test
  void millisecondsThenSecondsThenDate() {
    assertEquals(-1, RetryAfter.millis(headers()));
    assertEquals(1500, RetryAfter.millis(headers("retry-after-ms", " 1500 ")));
    assertEquals(2, RetryAfter.millis(headers("retry-after-ms", "2.7")), "cut to whole ms");
    assertEquals(0, RetryAfter.millis(headers("retry-after-ms", "-5")));
    assertEquals(3000, RetryAfter.millis(headers("Retry-After", "3")));
    assertEquals(
        250,
        RetryAfter.millis(headers("Retry-After", "3", "retry-after-ms", "250")),
        "OpenAI's milliseconds win over seconds");
    long future = RetryAfter.millis(headers("Retry-After", httpDate(30)));
    assertTrue(future > 28_000 && future <= 30_000, "an HTTP date 30 s ahead: " + future);
    assertEquals(0, RetryAfter.millis(headers("Retry-After", httpDate(-30))), "a date passed");
  }

  @Test
  void unreadableIsAbsent() {
    assertEquals(-1, RetryAfter.millis(headers("Retry-After", "soon")));
    assertEquals(-1, RetryAfter.millis(headers("Retry-After", "")));
    assertEquals(-1, RetryAfter.millis(headers("Retry-After", "-3")));
    assertEquals(-1, RetryAfter.millis(headers("retry-after-ms", "x")));
  }

  @Test
  void aServers429CarriesItsWaitIntoTheAttempt() throws IOException {
    try (CannedServer server =
            new CannedServer(
                429, Map.of("Retry-After", "7"), List.of("{\"error\": \"slow down\"}"), 0);
        HttpClient http = ChatClient.newHttpClient(1);
        ChatClient client = new ChatClient(GenerationTest.fastProfile(), http, null)) {
      ChatClient.Attempt a = client.send(server.baseUrl(), new byte[] {'{', '}'}, "");
      assertEquals(ChatClient.HTTP_RETRYABLE, a.metrics().status());
      assertEquals(429, a.metrics().httpStatus());
      assertEquals(7000, a.retryAfterMs());
      assertEquals("HTTP 429: {\"error\": \"slow down\"}", a.error());
      assertTrue(a.retryable());
    }
  }
}
