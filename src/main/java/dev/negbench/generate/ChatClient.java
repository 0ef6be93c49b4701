package dev.negbench.generate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code POST /v1/chat/completions} to an OpenAI-compatible server (vLLM, Ollama, llama.cpp's
 * server, TGI), streaming (SSE) or not, timed as {@link RequestMetrics} describes. It tolerates the
 * servers' differences: {@code usage} present or not, a final {@code [DONE]} or not, LF, CRLF or CR
 * line ends. It never retries; {@link Generation} decides that from the {@link Attempt}.
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

  private static final ScheduledExecutorService WATCHDOG = watchdog();

  private static ScheduledExecutorService watchdog() {
    var pool =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "negbench-request-deadline");
              t.setDaemon(true);
              return t;
            });
    // Nearly every deadline is cancelled; without this they would pile up until they expire.
    pool.setRemoveOnCancelPolicy(true);
    return pool;
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

  /** The sampling fields of a request body; null ones are left out. */
  static void putSampling(ObjectNode body, GeneratorProfile.Sampling s) {
    if (s.temperature() != null) {
      body.put("temperature", s.temperature());
    }
    if (s.topP() != null) {
      body.put("top_p", s.topP());
    }
    if (s.topK() != null) {
      body.put("top_k", s.topK());
    }
    if (s.minP() != null) {
      body.put("min_p", s.minP());
    }
    body.put("max_tokens", s.maxTokens());
    if (s.seed() != null) {
      body.put("seed", s.seed());
    }
  }

  /** The request body for one prompt. */
  public byte[] body(PromptTemplate.Messages messages) {
    ObjectNode body = Json.PLAIN.createObjectNode();
    body.put("model", profile.model());
    ArrayNode msgs = body.putArray("messages");
    if (!messages.system().isEmpty()) {
      msgs.addObject().put("role", "system").put("content", messages.system());
    }
    msgs.addObject().put("role", "user").put("content", messages.user());
    putSampling(body, profile.sampling());
    if (profile.jsonResponse()) {
      body.putObject("response_format").put("type", "json_object");
    }
    if (profile.stream()) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    profile.extraBody().properties().forEach(e -> body.set(e.getKey(), e.getValue()));
    try {
      return Json.PLAIN.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends one request to {@code baseUrl} (e.g. {@code http://host:8000/v1}) and reads the answer.
   */
  public Attempt send(URI baseUrl, byte[] body, String promptText) {
    String requestId = UUID.randomUUID().toString();
    Timer t = new Timer(requestId, baseUrl.toString());
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(completionsUri(baseUrl))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", profile.stream() ? "text/event-stream" : "application/json")
            .header("X-Request-Id", requestId)
            .POST(new Stamped(HttpRequest.BodyPublishers.ofByteArray(body), t));
    if (apiKey != null) {
      rb.header("Authorization", "Bearer " + apiKey);
    }
    t.start = System.nanoTime();
    HttpResponse.BodyHandler<Attempt> handler =
        info -> {
          if (info.statusCode() != 200) {
            long retryAfter = retryAfterMs(info.headers());
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
          return new StreamSubscriber(t, promptText);
        };
    try {
      return http.send(rb.build(), handler).body();
    } catch (java.net.http.HttpConnectTimeoutException e) {
      return t.fail(
          CONNECT_ERROR, 0, "no connection within " + CONNECT_TIMEOUT.toMillis() + " ms", -1);
    } catch (java.net.ConnectException e) {
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
  static URI modelsUri(URI base) {
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

  /**
   * {@code retry-after-ms} (OpenAI's) else {@code Retry-After} in seconds or as an HTTP date; -1
   * when absent.
   */
  static long retryAfterMs(java.net.http.HttpHeaders headers) {
    var ms = headers.firstValue("retry-after-ms");
    try {
      if (ms.isPresent()) {
        return Math.max(0, (long) Double.parseDouble(ms.get().strip()));
      }
      var s = headers.firstValue("retry-after");
      if (s.isEmpty()) {
        return -1;
      }
      String v = s.get().strip();
      if (v.chars().allMatch(Character::isDigit) && !v.isEmpty()) {
        return Long.parseLong(v) * 1000;
      }
      var when =
          java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
      return Math.max(0, when.toInstant().toEpochMilli() - System.currentTimeMillis());
    } catch (RuntimeException e) {
      return -1; // an unreadable header: fall back to our own backoff
    }
  }

  private Attempt whole(Timer t, byte[] bytes, String promptText) {
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
    t.firstToken = end;
    t.lastToken = end;
    return t.done(
        end, content, root.path("model").asText(""), finish, root.get("usage"), promptText, -1);
  }

  /**
   * Reads a streamed answer as its bytes arrive, on the HTTP client's own thread: each chunk is
   * timed when it is read off the socket, with no hand-off to another thread per token. Gives up
   * (and cancels the body) at the request's deadline.
   */
  private final class StreamSubscriber implements HttpResponse.BodySubscriber<Attempt> {
    private final Timer t;
    private final String promptText;
    private final CompletableFuture<Attempt> result = new CompletableFuture<>();
    private final SseReader sse = new SseReader();
    private final StringBuilder content = new StringBuilder();
    private Flow.Subscription subscription;
    private ScheduledFuture<?> deadline;
    private String model = "";
    private String finish;
    private JsonNode usage;
    private int chunks;
    private long doneAt = -1;
    private Attempt failure;
    private long now;

    StreamSubscriber(Timer t, String promptText) {
      this.t = t;
      this.promptText = promptText;
    }

    @Override
    public CompletionStage<Attempt> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      long remaining = timeout.toNanos() - (System.nanoTime() - t.start);
      deadline =
          WATCHDOG.schedule(
              () -> {
                if (result.complete(
                    t.fail(
                        TIMEOUT,
                        200,
                        "response not finished within " + timeout.toMillis() + " ms",
                        -1))) {
                  s.cancel();
                }
              },
              Math.max(1, remaining),
              TimeUnit.NANOSECONDS);
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      now = System.nanoTime();
      for (ByteBuffer b : items) {
        sse.feed(b, this::event);
      }
      if (failure != null && result.complete(failure)) {
        deadline.cancel(false);
        subscription.cancel();
      }
    }

    @Override
    public void onError(Throwable e) {
      deadline.cancel(false);
      result.complete(t.fail(IO_ERROR, 200, String.valueOf(e), -1));
    }

    @Override
    public void onComplete() {
      deadline.cancel(false);
      if (result.isDone()) {
        return;
      }
      now = System.nanoTime();
      sse.finish(this::event);
      if (failure != null) {
        result.complete(failure);
      } else if (finish == null && doneAt < 0) {
        // Neither a finish_reason nor [DONE]: the stream was cut, the text may be incomplete.
        result.complete(
            t.fail(
                TRUNCATED,
                200,
                "stream ended after " + chunks + " chunks without finish_reason or [DONE]",
                -1));
      } else {
        // The answer ends at [DONE] where one came; the body is read to its end regardless, so
        // the connection goes back to the pool.
        result.complete(
            t.done(
                doneAt > 0 ? doneAt : now,
                content.toString(),
                model,
                finish,
                usage,
                promptText,
                chunks));
      }
    }

    private void event(String data) {
      if (failure != null || doneAt > 0) {
        return;
      }
      if (data.strip().equals("[DONE]")) {
        doneAt = now;
        return;
      }
      Chunk chunk = new Chunk();
      try {
        chunk.parse(data);
      } catch (IOException e) {
        failure =
            t.fail(MALFORMED, 200, "stream chunk is not a JSON object: " + e.getMessage(), -1);
        return;
      }
      if (chunk.error != null) {
        failure = t.fail(HTTP_RETRYABLE, 200, "error in stream: " + chunk.error, -1);
        return;
      }
      if (model.isEmpty() && chunk.model != null) {
        model = chunk.model;
      }
      if (chunk.usage != null && chunk.usage.isObject()) {
        usage = chunk.usage;
      }
      // Qwen3 and DeepSeek-R1 stream their thinking as reasoning_content: output tokens too.
      if (!chunk.content.isEmpty() || chunk.reasoning) {
        t.token(now);
        chunks++;
        content.append(chunk.content);
      }
      if (chunk.finish != null) {
        finish = chunk.finish;
      }
    }
  }

  /**
   * The fields of one streamed chunk that the client needs, read with Jackson's streaming parser (a
   * tree per chunk cost a third of the client's throughput): {@code model}, {@code usage}, {@code
   * error}, and of {@code choices[0]}: {@code delta.content}, {@code delta.reasoning_content},
   * {@code finish_reason}.
   */
  private static final class Chunk {
    String model;
    JsonNode usage;
    JsonNode error;
    String content = "";
    boolean reasoning;
    String finish;

    void parse(String json) throws IOException {
      try (JsonParser p = Json.PLAIN.getFactory().createParser(json)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException("expected a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          switch (name) {
            case "model" -> model = v == JsonToken.VALUE_STRING ? p.getText() : null;
            case "usage" -> usage = v == JsonToken.START_OBJECT ? Json.PLAIN.readTree(p) : null;
            case "error" -> error = Json.PLAIN.readTree(p);
            case "choices" -> {
              if (v != JsonToken.START_ARRAY) {
                p.skipChildren();
                break;
              }
              boolean first = true;
              while (p.nextToken() != JsonToken.END_ARRAY) {
                if (first && p.currentToken() == JsonToken.START_OBJECT) {
                  choice(p);
                } else {
                  p.skipChildren();
                }
                first = false;
              }
            }
            default -> p.skipChildren();
          }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
          throw new IOException("expected one JSON object");
        }
      }
    }

    private void choice(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("finish_reason")) {
          finish = v == JsonToken.VALUE_STRING ? p.getText() : null;
        } else if (name.equals("delta") && v == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken dv = p.nextToken();
            if (field.equals("content") && dv == JsonToken.VALUE_STRING) {
              content = p.getText();
            } else if (field.equals("reasoning_content") && dv == JsonToken.VALUE_STRING) {
              reasoning |= !p.getText().isEmpty();
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
    }
  }

  /**
   * Notes when the client library takes the request body to write it: the request is on its way.
   */
  private record Stamped(HttpRequest.BodyPublisher body, Timer timer)
      implements HttpRequest.BodyPublisher {
    @Override
    public long contentLength() {
      return body.contentLength();
    }

    @Override
    public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> s) {
      body.subscribe(
          new java.util.concurrent.Flow.Subscriber<java.nio.ByteBuffer>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription sub) {
              s.onSubscribe(sub);
            }

            @Override
            public void onNext(java.nio.ByteBuffer item) {
              if (timer.bodySent < 0) {
                timer.bodySent = System.nanoTime();
              }
              s.onNext(item);
            }

            @Override
            public void onError(Throwable e) {
              s.onError(e);
            }

            @Override
            public void onComplete() {
              s.onComplete();
            }
          });
    }
  }

  /** Timestamps of one request. */
  private final class Timer {
    final String requestId;
    final String endpoint;
    long start = System.nanoTime();
    volatile long bodySent = -1;
    final double startedAtMs = System.currentTimeMillis();
    long firstToken = -1;
    long lastToken = -1;
    final List<Double> itl = new ArrayList<>();

    Timer(String requestId, String endpoint) {
      this.requestId = requestId;
      this.endpoint = endpoint;
    }

    void token(long now) {
      if (firstToken < 0) {
        firstToken = now;
      } else {
        itl.add((now - lastToken) / 1e6);
      }
      lastToken = now;
    }

    Attempt fail(String status, int code, String error, long retryAfterMs) {
      double e2e = (System.nanoTime() - start) / 1e6;
      RequestMetrics m =
          new RequestMetrics(
              requestId,
              endpoint,
              status,
              code,
              Double.NaN,
              Double.NaN,
              List.copyOf(itl),
              e2e,
              bodySent > 0 ? (bodySent - start) / 1e6 : Double.NaN,
              -1,
              -1,
              "none",
              startedAtMs);
      return new Attempt(m, null, "", null, error, retryAfterMs);
    }

    Attempt done(
        long end,
        String content,
        String model,
        String finish,
        JsonNode usage,
        String promptText,
        int chunks) {
      long prompt = -1;
      long completion = -1;
      String source;
      if (usage != null && usage.path("completion_tokens").isIntegralNumber()) {
        prompt = usage.path("prompt_tokens").asLong(-1);
        completion = usage.path("completion_tokens").asLong();
        source = "usage";
      } else if (tokens != null) {
        prompt = tokens.count(promptText);
        completion = tokens.count(content);
        source = "tokenizer";
      } else if (chunks >= 0) {
        completion = chunks; // vLLM and llama.cpp stream one token per chunk
        source = "chunks";
      } else {
        source = "none";
      }
      long sent = bodySent > 0 ? bodySent : start;
      double e2e = (end - start) / 1e6;
      double ttft = ((firstToken < 0 ? end : firstToken) - sent) / 1e6;
      double tpot =
          profile.stream() && completion > 1 && firstToken > 0
              ? (end - firstToken) / 1e6 / (completion - 1)
              : Double.NaN;
      RequestMetrics m =
          new RequestMetrics(
              requestId,
              endpoint,
              RequestMetrics.OK,
              200,
              ttft,
              tpot,
              List.copyOf(itl),
              e2e,
              (sent - start) / 1e6,
              prompt,
              completion,
              source,
              startedAtMs);
      return new Attempt(m, content, model, finish, null, -1);
    }
  }

  @Override
  public void close() {
    if (tokens != null) {
      tokens.close();
    }
  }
}
