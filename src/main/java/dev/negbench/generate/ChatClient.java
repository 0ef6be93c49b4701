package dev.negbench.generate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * One {@code POST /v1/chat/completions} to an OpenAI-compatible server (vLLM, Ollama, llama.cpp's
 * server, TGI), streaming (SSE) or not, timed as {@link RequestMetrics} describes. It tolerates the
 * servers' differences: {@code usage} present or not, a final {@code [DONE]} or not, LF, CRLF or CR
 * line ends. It never retries; {@link RequestLoop} decides that from the {@link Attempt}. Its
 * parts: the body ({@link ChatRequestBody}), the clock ({@link RequestTimer}), a streamed answer
 * ({@link StreamedAnswer}) and the server's wait before a retry ({@link RetryAfter}).
 */
public final class ChatClient implements AutoCloseable {
  /**
   * Why an attempt did not produce a completion; all but {@link #HTTP_CLIENT_ERROR} are retried.
   */
  public static final String HTTP_RETRYABLE = "http_retryable";

  public static final String HTTP_CLIENT_ERROR = "http_error";
  public static final String IO_ERROR = "io_error";

  /**
   * No connection: refused, or not made within the connect timeout. The request never reached a
   * server.
   */
  public static final String CONNECT_ERROR = "connect_error";

  public static final String TIMEOUT = "timeout";
  public static final String MALFORMED = "malformed";
  public static final String TRUNCATED = "truncated";

  /** The outcome of one request: content when ok, else the error and any Retry-After. */
  public record Attempt(
      RequestMetrics metrics,
      String content,
      String model,
      String finishReason,
      String error,
      long retryAfterMs) {
    public boolean ok() {
      return metrics.ok();
    }

    public boolean retryable() {
      return !ok() && !HTTP_CLIENT_ERROR.equals(metrics.status());
    }
  }

  private final GeneratorProfile profile;
  private final HttpClient http;
  private final String apiKey;
  private final TokenCounter tokens;
  private final Duration timeout;

  /**
   * @param tokens counts tokens when a server omits usage; null to count streamed chunks
   */
  public ChatClient(GeneratorProfile profile, HttpClient http, TokenCounter tokens) {
    this.profile = profile;
    this.http = http;
    String env = profile.apiKeyEnv();
    String key = env == null || env.isEmpty() ? null : System.getenv(env);
    this.apiKey = key == null || key.isBlank() ? null : key.strip();
    this.tokens = tokens;
    this.timeout = Duration.ofNanos((long) (profile.requestTimeoutSeconds() * 1e9));
  }

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** A health probe gives up after this long: a replica that cannot list its models is not up. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  /** An HTTP client suited to many concurrent requests to a few servers. */
  public static HttpClient newHttpClient(int concurrency) {
    return HttpClient.newBuilder()
        .version(
            HttpClient.Version.HTTP_1_1) // vLLM and llama.cpp serve HTTP/1.1; no h2c upgrade dance
        .connectTimeout(CONNECT_TIMEOUT)
        // Virtual threads for the client's callbacks, where the body subscribers parse and time
        // the chunks. The default pool added ~4 ms per request on a busy 2-core machine (thread
        // wake-ups); running callbacks on the selector thread measured best (TTFT within 0.3 ms of
        // the simulator's) but serialised all parsing on one thread and halved throughput at 64
        // concurrent streams; virtual threads: within 0.5 ms, and ~30% more requests/s than that.
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();
  }

  /** The request body for one prompt ({@link ChatRequestBody}). */
  public byte[] body(PromptTemplate.Messages messages) {
    return ChatRequestBody.of(profile, messages);
  }

  /**
   * Sends one request to {@code baseUrl} (e.g. {@code http://host:8000/v1}) and reads the answer.
   */
  public Attempt send(URI baseUrl, byte[] body, String promptText) {
    String requestId = UUID.randomUUID().toString();
    RequestTimer t = new RequestTimer(requestId, baseUrl.toString(), profile.stream(), tokens);
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(completionsUri(baseUrl))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", profile.stream() ? "text/event-stream" : "application/json")
            .header("X-Request-Id", requestId)
            .POST(t.stamping(HttpRequest.BodyPublishers.ofByteArray(body)));
    if (apiKey != null) {
      rb.header("Authorization", "Bearer " + apiKey);
    }
    t.start = System.nanoTime();
    HttpResponse.BodyHandler<Attempt> handler =
        info -> {
          if (info.statusCode() != 200) {
            long retryAfter = RetryAfter.millis(info.headers());
            int code = info.statusCode();
            boolean retryable = code == 429 || code == 408 || code >= 500;
            return HttpResponse.BodySubscribers.mapping(
                HttpResponse.BodySubscribers.ofByteArray(),
                bytes -> {
                  String text =
                      new String(bytes, 0, Math.min(bytes.length, 2000), StandardCharsets.UTF_8);
                  return t.fail(
                      retryable ? HTTP_RETRYABLE : HTTP_CLIENT_ERROR,
                      code,
                      "HTTP " + code + ": " + text.strip(),
                      retryAfter);
                });
          }
          if (!profile.stream()) {
            // The whole answer comes at once; the request timeout bounds the wait for it.
            return HttpResponse.BodySubscribers.mapping(
                HttpResponse.BodySubscribers.ofByteArray(), bytes -> whole(t, bytes, promptText));
          }
          return new StreamedAnswer(t, promptText, timeout);
        };
    try {
      return http.send(rb.build(), handler).body();
    } catch (HttpConnectTimeoutException e) {
      return t.fail(
          CONNECT_ERROR, 0, "no connection within " + CONNECT_TIMEOUT.toMillis() + " ms", -1);
    } catch (ConnectException e) {
      return t.fail(CONNECT_ERROR, 0, String.valueOf(e), -1);
    } catch (HttpTimeoutException e) {
      return t.fail(TIMEOUT, 0, "no response within " + timeout.toMillis() + " ms", -1);
    } catch (IOException e) {
      return t.fail(IO_ERROR, 0, String.valueOf(e), -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return t.fail(IO_ERROR, 0, "interrupted", -1);
    }
  }

  /**
   * Whether the server at {@code baseUrl} answers {@code GET /v1/models} with 200: the check vLLM's
   * and most routers' health probes make, cheap on the server and independent of the prompt.
   */
  public boolean probe(URI baseUrl) {
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(modelsUri(baseUrl)).timeout(PROBE_TIMEOUT).GET();
    if (apiKey != null) {
      rb.header("Authorization", "Bearer " + apiKey);
    }
    try {
      return http.send(rb.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The models list beside the completions URL: {@code http://h:1/v1} gives {@code
   * http://h:1/v1/models}.
   */
  public static URI modelsUri(URI base) {
    String c = completionsUri(base).toString();
    return URI.create(c.substring(0, c.length() - "/chat/completions".length()) + "/models");
  }

  static URI completionsUri(URI base) {
    String s = base.toString();
    if (s.endsWith("/chat/completions")) {
      return base;
    }
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s.endsWith("/v1") ? s + "/chat/completions" : s + "/v1/chat/completions");
  }

  /** A whole (non-streamed) answer: {@code choices[0].message} of one JSON body. */
  private Attempt whole(RequestTimer t, byte[] bytes, String promptText) {
    long end = System.nanoTime();
    JsonNode root;
    try {
      root = Json.PLAIN.readTree(bytes);
    } catch (IOException e) {
      return t.fail(MALFORMED, 200, "response is not JSON: " + e.getMessage(), -1);
    }
    JsonNode choice = root == null ? null : root.path("choices").path(0);
    if (choice == null || choice.isMissingNode() || !choice.path("message").isObject()) {
      return t.fail(MALFORMED, 200, "response has no choices[0].message", -1);
    }
    String content = choice.path("message").path("content").asText("");
    String finish = choice.path("finish_reason").asText(null);
    t.wholeAnswer(end);
    return t.done(
        end, content, root.path("model").asText(""), finish, root.get("usage"), promptText, -1);
  }

  @Override
  public void close() {
    if (tokens != null) {
      tokens.close();
    }
  }
}
