package dev.negbench.generate;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * The clock of one request: when it was handed to the HTTP client, when the client took its body to
 * write it, when each output token arrived; and the {@link ChatClient.Attempt} these make, its
 * {@link RequestMetrics} computed as that record describes. Token counts come from {@code usage},
 * else from the tokenizer, else from the streamed chunks.
 */
final class RequestTimer {
  final String requestId;
  final String endpoint;
  private final boolean stream;
  private final TokenCounter tokens;

  /** {@link System#nanoTime} just before the request was handed to the HTTP client. */
  long start = System.nanoTime();

  /** When the HTTP client took the body to write it; -1 until then. */
  volatile long bodySent = -1;

  final double startedAtMs = System.currentTimeMillis();
  long firstToken = -1;
  long lastToken = -1;
  private final List<Double> itl = new ArrayList<>();

  /**
   * @param stream whether the answer streams (a whole answer has no TPOT)
   * @param tokens counts tokens when a server omits usage; null to count streamed chunks
   */
  RequestTimer(String requestId, String endpoint, boolean stream, TokenCounter tokens) {
    this.requestId = requestId;
    this.endpoint = endpoint;
    this.stream = stream;
    this.tokens = tokens;
  }

  /** Nanoseconds since {@link #start}. */
  long elapsedNanos() {
    return System.nanoTime() - start;
  }

  /** A chunk carrying output arrived at {@code now}. */
  void token(long now) {
    if (firstToken < 0) {
      firstToken = now;
    } else {
      itl.add((now - lastToken) / 1e6);
    }
    lastToken = now;
  }

  /** A whole (non-streamed) answer arrived at {@code end}: its first and last token at once. */
  void wholeAnswer(long end) {
    firstToken = end;
    lastToken = end;
  }

  /** A failed attempt: no TTFT, TPOT or tokens; E2E up to now. */
  ChatClient.Attempt fail(String status, int code, String error, long retryAfterMs) {
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
    return new ChatClient.Attempt(m, null, "", null, error, retryAfterMs);
  }

  /**
   * An answer that ended at {@code end}.
   *
   * @param usage the server's {@code usage} object, or null
   * @param chunks streamed chunks that carried output; -1 for a whole answer
   */
  ChatClient.Attempt done(
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
        stream && completion > 1 && firstToken > 0
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
    return new ChatClient.Attempt(m, content, model, finish, null, -1);
  }

  /**
   * {@code body}, noting when the client library takes it to write it: the request is on its way.
   */
  HttpRequest.BodyPublisher stamping(HttpRequest.BodyPublisher body) {
    return new Stamped(body, this);
  }

  private record Stamped(HttpRequest.BodyPublisher body, RequestTimer timer)
      implements HttpRequest.BodyPublisher {
    @Override
    public long contentLength() {
      return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
      body.subscribe(
          new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription sub) {
              s.onSubscribe(sub);
            }

            @Override
            public void onNext(ByteBuffer item) {
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
}
